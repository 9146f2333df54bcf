// libFuzzer: the status parser, whole and split at a point the input picks.
// Both must agree, and a success must hold what the Cap lines say.
#include <stddef.h>
#include <stdint.h>

#include "capguard/status.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capguard;
  if (size == 0) return 0;
  const char* text = reinterpret_cast<const char*>(data) + 1;
  size_t n = size - 1, cut = data[0] % (n + 1);
  State whole, split;
  Result a = parse_status(text, n, &whole);
  StatusParser p;
  p.feed(text, cut);
  p.feed(text + cut, n - cut);
  Result b = p.finish(&split);
  if (a.code != b.code || a.set != b.set || (a.ok() && !(whole == split))) __builtin_trap();
  return 0;
}
