// libFuzzer: the file capability parser. A value it takes is exactly the
// bytes its fields make again; it takes a value exactly when the length
// fits the revision and no flag but effective is set. What it takes prints
// as getcap's text, and predict_exec() keeps the kernel's invariants on it.
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capguard/execve.h"
#include "capguard/filecaps.h"
#include "capguard/format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capguard;
  uint8_t* copy = static_cast<uint8_t*>(malloc(size));  // exact size: ASan sees overreads
  if (size > 0) memcpy(copy, data, size);
  FileCaps f;
  Result r = parse_file_caps(copy, size, &f);
  uint32_t magic = size >= 4
                       ? uint32_t{data[0]} | uint32_t{data[1]} << 8 | uint32_t{data[2]} << 16 | uint32_t{data[3]} << 24
                       : 0;
  uint32_t revision = magic >> 24;
  bool valid = size >= 4 && revision >= 1 && revision <= 3 &&
               size == (revision == 1   ? 12u
                        : revision == 2 ? 20u
                                        : 24u) &&
               (magic & 0x00fffffe) == 0;
  if (r.ok() != valid) abort();
  if (r.ok()) {
    uint8_t again[24] = {};
    uint32_t words[6] = {(revision << 24) | (f.effective ? 1u : 0u),      static_cast<uint32_t>(f.permitted.bits),
                         static_cast<uint32_t>(f.inheritable.bits),       static_cast<uint32_t>(f.permitted.bits >> 32),
                         static_cast<uint32_t>(f.inheritable.bits >> 32), f.rootid};
    for (size_t i = 0; i < 6; ++i)
      for (size_t b = 0; b < 4; ++b) again[4 * i + b] = static_cast<uint8_t>(words[i] >> (8 * b));
    if (f.revision != static_cast<int>(revision) || memcmp(again, data, size) != 0) abort();
    if (revision == 1 && ((f.permitted.bits | f.inheritable.bits) >> 32) != 0) abort();
    // getcap's text always fits; execve's outcome keeps the kernel's
    // invariants, for root and a user with some inheritable capabilities.
    char text[kFormatMax];
    if (format_getcap(f, data[4] % 64, text, sizeof text) >= sizeof text) abort();
    for (uint32_t uid = 0; uid <= 1000; uid += 1000) {
      Creds c;
      c.uid = c.euid = c.gid = c.egid = uid;
      c.last_cap = data[5] % 64;
      c.caps[Set::bounding] = CapSet{~0ull >> (63 - c.last_cap)};
      c.caps[Set::inheritable] = c.caps[Set::permitted] = c.caps[Set::ambient] = CapSet{uint64_t{data[6]} << 8};
      ExecFile file;
      file.caps = f;
      file.mode = 0100755 | (uint32_t{data[7]} & 06000);
      Exec e = predict_exec(c, file);
      CapSet reasons;
      for (CapSet r : e.reasons) reasons.bits |= r.bits;
      if (e.error != 0 ? e.missing.empty() || e.error != EPERM
                       : !e.caps[Set::effective].minus(e.caps[Set::permitted]).empty() ||
                             !e.caps[Set::ambient].minus(e.caps[Set::permitted]).empty() ||
                             e.caps[Set::bounding] != c.caps[Set::bounding] ||
                             e.caps[Set::inheritable] != c.caps[Set::inheritable] || reasons != e.caps[Set::permitted])
        abort();
    }
  }
  free(copy);
  return 0;
}
