// The running kernel's release, for the rules that changed between
// releases: the ambient set (4.3), the ids execve compares (6.17).
#ifndef CAPGUARD_SRC_RELEASE_H_
#define CAPGUARD_SRC_RELEASE_H_

#include <stdint.h>

namespace capguard {

// Whether the running kernel is older than WANT_MAJOR.WANT_MINOR, by
// uname(2)'s release. A release unreadable, or made up by the UNAME26
// persona, counts as newer: the rules capguard is tested against most.
bool kernel_before(uint64_t want_major, uint64_t want_minor);

}  // namespace capguard

#endif  // CAPGUARD_SRC_RELEASE_H_
