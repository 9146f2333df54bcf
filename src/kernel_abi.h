// The kernel ABI capguard uses, defined here rather than taken from libcap or
// <sys/capability.h>. Mirrors include/uapi/linux/capability.h and
// include/uapi/linux/prctl.h.
#ifndef CAPGUARD_SRC_KERNEL_ABI_H_
#define CAPGUARD_SRC_KERNEL_ABI_H_

#include <stdint.h>

namespace capguard::abi {

// _LINUX_CAPABILITY_VERSION_3: 64-bit sets as two 32-bit words.
inline constexpr uint32_t kCapVersion3 = 0x20080522;
inline constexpr int kCapWords = 2;  // _LINUX_CAPABILITY_U32S_3

struct CapHeader {  // struct __user_cap_header_struct
  uint32_t version;
  int pid;  // 0: the calling thread
};

struct CapData {  // struct __user_cap_data_struct
  uint32_t effective;
  uint32_t permitted;
  uint32_t inheritable;
};

inline constexpr int kPrSetKeepcaps = 8;         // PR_SET_KEEPCAPS
inline constexpr int kPrCapbsetRead = 23;        // PR_CAPBSET_READ
inline constexpr int kPrCapbsetDrop = 24;        // PR_CAPBSET_DROP
inline constexpr int kPrGetSecurebits = 27;      // PR_GET_SECUREBITS
inline constexpr int kPrSetSecurebits = 28;      // PR_SET_SECUREBITS
inline constexpr int kPrSetChildSubreaper = 36;  // PR_SET_CHILD_SUBREAPER
inline constexpr int kPrSetNoNewPrivs = 38;      // PR_SET_NO_NEW_PRIVS
inline constexpr int kPrGetNoNewPrivs = 39;      // PR_GET_NO_NEW_PRIVS
inline constexpr int kPrCapAmbient = 47;         // PR_CAP_AMBIENT
inline constexpr int kPrCapAmbientIsSet = 1;     // PR_CAP_AMBIENT_IS_SET
inline constexpr int kPrCapAmbientRaise = 2;     // PR_CAP_AMBIENT_RAISE
inline constexpr int kPrCapAmbientClearAll = 4;  // PR_CAP_AMBIENT_CLEAR_ALL

// include/uapi/linux/stat.h: struct statx up to stx_dev_minor; the kernel
// writes 256 bytes.
struct Statx {
  uint32_t mask, blksize;
  uint64_t attributes;
  uint32_t nlink, uid, gid;
  uint16_t mode, spare;
  uint64_t ino, size, blocks, attributes_mask;
  uint8_t times[64];
  uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
  uint8_t rest[112];
};
static_assert(sizeof(Statx) == 256);
inline constexpr long kStatxBasic = 0x11a;               // STATX_MODE | STATX_UID | STATX_GID | STATX_INO
inline constexpr uint64_t kStatxAttrMountRoot = 0x2000;  // STATX_ATTR_MOUNT_ROOT

// include/linux/dirent.h: struct linux_dirent64, a name of up to 255 bytes
// after it.
struct Dirent {
  uint64_t ino;
  int64_t off;  // where the next entry starts, for lseek(2)
  uint16_t reclen;
  uint8_t type;
  char name[1];
};

// include/uapi/asm-generic/statfs.h, whose words are longs on 64-bit
// systems and 32-bit ones alike.
struct Statfs {
  unsigned long type, bsize, blocks, bfree, bavail, files, ffree;
  int fsid[2];
  unsigned long namelen, frsize, flags, spare[4];
};
inline constexpr unsigned long kStNosuid = 0x2;  // ST_NOSUID
// include/uapi/linux/magic.h: PROC_SUPER_MAGIC, SYSFS_MAGIC.
inline constexpr long kProcMagic = 0x9fa0, kSysfsMagic = 0x62656572;

// The kernel's sigset_t, as rt_sigaction(2) and rt_sigtimedwait(2) take it:
// 64 signals on x86_64 and aarch64.
inline constexpr long kSigsetSize = 8;

inline constexpr uint8_t kDtUnknown = 0, kDtDir = 4, kDtReg = 8;  // d_type

// include/uapi/linux/xattr.h: getxattrat(2)'s struct xattr_args, and its
// number in the table that x86_64 and aarch64 share from 424 on (Linux
// 6.13; no libc here names it).
struct XattrArgs {
  uint64_t value;  // the buffer's address
  uint32_t size, flags;
};
inline constexpr long kSysGetxattrat = 464;

// include/uapi/linux/personality.h: uname(2) then says 2.6.x, not the release.
inline constexpr long kUname26 = 0x0020000;

// include/uapi/linux/securebits.h
inline constexpr unsigned long kSecbitNoroot = 1 << 0;
inline constexpr unsigned long kSecbitNorootLocked = 1 << 1;
inline constexpr unsigned long kSecbitNoSetuidFixup = 1 << 2;
inline constexpr unsigned long kSecbitNoSetuidFixupLocked = 1 << 3;
inline constexpr unsigned long kSecbitKeepCaps = 1 << 4;
inline constexpr unsigned long kSecbitKeepCapsLocked = 1 << 5;
inline constexpr unsigned long kSecbitNoCapAmbientRaise = 1 << 6;

}  // namespace capguard::abi

#endif  // CAPGUARD_SRC_KERNEL_ABI_H_
