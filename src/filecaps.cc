#include "capguard/filecaps.h"

namespace capguard {
namespace {

// include/uapi/linux/capability.h
constexpr uint32_t kRevisionMask = 0xff000000;
constexpr uint32_t kFlagsEffective = 0x000001;
constexpr size_t kSize[] = {0, 12, 20, 24};  // XATTR_CAPS_SZ_1.._3, by revision

uint32_t word(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

}  // namespace

Result parse_file_caps(const uint8_t* value, size_t n, FileCaps* out) {
  if (n < 4) return Result::failure(Error::filecaps_length);
  uint32_t magic = word(value);
  uint32_t revision = (magic & kRevisionMask) >> 24;
  if (revision < 1 || revision > 3) return Result::failure(Error::filecaps_revision);
  if (n != kSize[revision]) return Result::failure(Error::filecaps_length);
  if ((magic & ~kRevisionMask & ~kFlagsEffective) != 0) return Result::failure(Error::filecaps_flags);
  FileCaps f;
  f.revision = static_cast<int>(revision);
  f.effective = (magic & kFlagsEffective) != 0;
  // Revision 1 has one word per set; the others two, low word first.
  for (size_t w = 0; w < (revision == 1 ? 1u : 2u); ++w) {
    f.permitted.bits |= uint64_t{word(value + 4 + 8 * w)} << (32 * w);
    f.inheritable.bits |= uint64_t{word(value + 8 + 8 * w)} << (32 * w);
  }
  if (revision == 3) f.rootid = word(value + 20);
  *out = f;
  return Result::success();
}

}  // namespace capguard
