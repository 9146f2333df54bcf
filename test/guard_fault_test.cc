// The boot guard (capguard/guard.h) over the fake kernel of fake_kernel.h.
#include <errno.h>
#include <gtest/gtest.h>

#include "capguard/guard.h"
#include "fake_kernel.h"

namespace capguard {
namespace {

using test::Fault;

// The boot guard fails closed: what it cannot read, it does not pass.
TEST_F(Fault, GuardFailsClosed) {
  kernel.capget_result = -EPERM;
  kernel.stderr_text.clear();
  Result r = guard(CapSet{~0ull}, kAllSets);
  EXPECT_EQ(r.code, Error::read_caps);
  EXPECT_EQ(r.sys_errno, EPERM);
  EXPECT_EQ(kernel.stderr_text,
            "capguard: level=error event=capability_read_failed error=\"capget: cannot read the capability sets: EPERM "
            "(errno 1)\"\n");
  kernel.capget_result = 0;
  kernel.bounding_error = -EPERM;
  kernel.stderr_text.clear();
  r = guard(CapSet{~0ull}, kAllSets);
  EXPECT_EQ(r.code, Error::read_bounding);
  EXPECT_EQ(kernel.stderr_text,
            "capguard: level=error event=capability_read_failed"
            " error=\"prctl(PR_CAPBSET_READ): cannot read the bounding set (cap_chown): EPERM (errno 1)\"\n");
}

// The common check asks the kernel once: no /proc, no prctl.
TEST_F(Fault, GuardCostsOneCapget) {
  kernel.cap_data[0].inheritable = 0;
  ASSERT_TRUE(guard(CapSet{~0ull}).ok());
  EXPECT_EQ(kernel.prctls, 0);
  EXPECT_EQ(kernel.opens, 0);
}

}  // namespace
}  // namespace capguard
