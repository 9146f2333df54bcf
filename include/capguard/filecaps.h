// capguard: file capabilities, the security.capability extended attribute
// that setcap(8) writes and execve(2) reads (include/uapi/linux/capability.h,
// struct vfs_ns_cap_data; security/commoncap.c, get_vfs_caps_from_disk()).
#ifndef CAPGUARD_FILECAPS_H_
#define CAPGUARD_FILECAPS_H_

#include <stddef.h>
#include <stdint.h>

#include "capguard/capset.h"
#include "capguard/error.h"

namespace capguard {

struct FileCaps {
  CapSet permitted;
  CapSet inheritable;
  bool effective = false;  // VFS_CAP_FLAGS_EFFECTIVE: the program is capability-dumb
  int revision = 0;        // 1 (32-bit sets), 2 (64-bit), 3 (64-bit and a rootid)
  uint32_t rootid = 0;     // revision 3: root of the user namespace they belong to
};

// The attribute's value, as the kernel lays it out: little-endian 32-bit
// words, the revision in the top byte of the first and the flags in its low
// bits. Pure. Capabilities the running kernel does not know are kept.
// Errors: filecaps_length (not the size of its revision), filecaps_revision
// (not 1, 2 or 3), filecaps_flags (a flag other than effective).
CAPGUARD_EXPORT Result parse_file_caps(const uint8_t* value, size_t n, FileCaps* out);

// Whether a symlink at the end of a path is followed.
enum class Links : uint8_t { follow, no_follow };

// The file capabilities of `path`, revision 0 when it has none (a symlink
// not followed has none) or its filesystem keeps no attributes. execve(2)
// follows symlinks; getcap(8) does not. The kernel shows a revision 3 value
// whose rootid is this user namespace's root as revision 2, and refuses to
// show one that belongs to no namespace from here up (getxattr EOVERFLOW;
// cap_inode_getsecurity()). Errors: getxattr (with the path) and those of
// parse_file_caps().
CAPGUARD_EXPORT Result read_file_caps(const char* path, FileCaps* out, Links links = Links::follow);

}  // namespace capguard

#endif  // CAPGUARD_FILECAPS_H_
