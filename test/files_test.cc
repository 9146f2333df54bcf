// The Linux backend's file reads (src/files_linux.cc) against the real
// kernel.
#include <gtest/gtest.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "capguard/filecaps.h"

namespace capguard {
namespace {

// read_file_caps() fills the whole of `*out`: a file without capabilities
// read into a FileCaps that holds another's leaves revision 0 and no sets.
TEST(ReadFileCaps, AFileWithoutCapabilitiesClearsWhatWasThere) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to set file capabilities";
  char path[] = "/tmp/capguard-files-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  // struct vfs_cap_data: revision 2 with the effective bit, cap_net_raw permitted.
  const uint32_t value[5] = {0x02000001, 1 << 13, 0, 0, 0};
  ASSERT_EQ(fsetxattr(fd, "security.capability", value, sizeof value, 0), 0);
  FileCaps caps;
  ASSERT_TRUE(read_file_caps(path, &caps).ok());
  EXPECT_EQ(caps.revision, 2);
  EXPECT_EQ(caps.permitted.bits, uint64_t{1} << 13);
  EXPECT_TRUE(caps.effective);
  ASSERT_EQ(fremovexattr(fd, "security.capability"), 0);
  ASSERT_TRUE(read_file_caps(path, &caps).ok());
  EXPECT_EQ(caps.revision, 0);
  EXPECT_EQ(caps.permitted.bits, 0u);
  EXPECT_FALSE(caps.effective);
  close(fd);
  unlink(path);
}

}  // namespace
}  // namespace capguard
