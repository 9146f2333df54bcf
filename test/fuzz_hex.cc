// libFuzzer: the hex parser. A value it takes round-trips through the capsh
// decode line; nothing wider than 64 bits is ever taken.
#include <stddef.h>
#include <stdint.h>

#include "capguard/format.h"
#include "capguard/names.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capguard;
  uint64_t v = 0x1234;
  Result r = parse_hex(reinterpret_cast<const char*>(data), size, &v);
  if (!r.ok()) {
    if (v != 0x1234) __builtin_trap();
    return 0;
  }
  char line[kFormatMax];
  size_t n = format_decode(CapSet{v}, line, sizeof line);
  uint64_t again = 0;
  if (n < 19 || !parse_hex(line, 18, &again).ok() || again != v) __builtin_trap();
  return 0;
}
