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

inline constexpr int kPrCapbsetRead = 23;      // PR_CAPBSET_READ
inline constexpr int kPrCapAmbient = 47;       // PR_CAP_AMBIENT
inline constexpr int kPrCapAmbientIsSet = 1;   // PR_CAP_AMBIENT_IS_SET

}  // namespace capguard::abi

#endif  // CAPGUARD_SRC_KERNEL_ABI_H_
