// libFuzzer: capability and set lists. What parses formats back to a list
// that parses to the same set; what fails names a word inside the input.
#include <stddef.h>
#include <stdint.h>

#include "capguard/format.h"
#include "capguard/names.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capguard;
  const char* s = reinterpret_cast<const char*>(data);
  CapSet caps{0x5a5a};
  Word bad;
  Result r = parse_cap_list(s, size, &caps, &bad);
  if (r.ok()) {
    char text[kFormatMax];
    size_t n = format_list(caps, text, sizeof text);
    CapSet again;
    if (n >= sizeof text || !parse_cap_list(text, n, &again, &bad).ok() || !(again == caps)) __builtin_trap();
  } else if (r.code != Error::unknown_capability || bad.begin + bad.len > size || !(caps == CapSet{0x5a5a})) {
    __builtin_trap();
  }
  SetMask sets = 0x40;
  r = parse_set_list(s, size, &sets, &bad);
  if (r.ok() ? (sets == 0 || (sets & ~kAllSets) != 0) : (bad.begin + bad.len > size || sets != 0x40)) __builtin_trap();
  if (size > 0) (void)parse_cap(s, size);
  return 0;
}
