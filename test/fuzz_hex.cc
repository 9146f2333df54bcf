// libFuzzer: the hex parser against a plain reference: the same inputs are
// taken, with the same value, and nothing wider than 64 bits; a value taken
// round-trips through the capsh decode line.
#include <stddef.h>
#include <stdint.h>

#include "capguard/format.h"
#include "capguard/names.h"

namespace {

// Optional 0x/0X, then one or more hex digits whose value fits in 64 bits.
bool reference(const char* s, size_t n, uint64_t* out) {
  size_t i = n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 2 : 0;
  if (i == n) return false;
  size_t significant = 0;
  uint64_t v = 0;
  for (; i < n; ++i) {
    char c = s[i];
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return false;
    if (significant > 0 || d != 0) ++significant;
    if (significant > 16) return false;
    v = v * 16 + static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capguard;
  const char* s = reinterpret_cast<const char*>(data);
  uint64_t v = 0x1234, want = 0;
  bool ok = parse_hex(s, size, &v).ok();
  if (ok != reference(s, size, &want) || (ok ? v != want : v != 0x1234)) __builtin_trap();
  if (!ok) return 0;
  char line[kFormatMax];
  size_t n = format_decode(CapSet{v}, line, sizeof line);
  uint64_t again = 0;
  if (n < 19 || !parse_hex(line, 18, &again).ok() || again != v) __builtin_trap();
  return 0;
}
