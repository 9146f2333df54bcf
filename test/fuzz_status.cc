// libFuzzer: the status parser, whole and split at a point the input picks:
// both give the same result, error, set and Threads value. A text made only
// of the five Cap lines the kernel writes always parses to their values.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "status_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capguard;
  if (size == 0) return 0;
  const char* text = reinterpret_cast<const char*>(data) + 1;
  size_t n = size - 1, cut = data[0] % (n + 1);
  State whole, split;
  StatusParser a, b;
  a.feed(text, n);
  b.feed(text, cut);
  b.feed(text + cut, n - cut);
  Result ra = a.finish(&whole), rb = b.finish(&split);
  if (ra.code != rb.code || ra.set != rb.set || a.threads() != b.threads() || a.uid() != b.uid() ||
      (ra.ok() && !(whole == split)))
    __builtin_trap();
  // The kernel's own form, with values from the input.
  State want;
  uint64_t words[kSetCount] = {};
  memcpy(words, data, size < sizeof words ? size : sizeof words);
  char kernel[5 * 32];
  int len = 0;
  const char* keys[] = {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"};
  for (int i = 0; i < kSetCount; ++i) {
    want.sets[i].bits = words[i];
    len += snprintf(kernel + len, sizeof kernel - static_cast<size_t>(len), "%s:\t%016llx\n", keys[i],
                    static_cast<unsigned long long>(words[i]));
  }
  State got;
  if (!parse_status(kernel, static_cast<size_t>(len), &got).ok() || !(got == want)) __builtin_trap();
  return 0;
}
