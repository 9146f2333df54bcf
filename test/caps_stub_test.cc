// The stub backend, built with -Dcaps_backend=stub.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "capguard/caps.h"
#include "capguard/drop.h"
#include "capguard/guard.h"
#include "child.h"
#include "config.h"

namespace capguard {
namespace {

TEST(Stub, EveryReadIsUnsupported) {
  State s = {{{1}, {2}, {3}, {4}, {5}}};
  int last = 7;
  EXPECT_EQ(read_thread(&s).code, Error::unsupported);
  EXPECT_EQ(read_thread_syscalls(&s).code, Error::unsupported);
  EXPECT_EQ(read_pid(1, &s).code, Error::unsupported);
  EXPECT_EQ(kernel_last_cap(&last).code, Error::unsupported);
  EXPECT_EQ(s, (State{{{1}, {2}, {3}, {4}, {5}}}));
  EXPECT_EQ(last, 7);
}

TEST(Stub, GuardPassesAndSaysSoOnce) {
  auto r = test::run_in_child([] {
    bool ok = guard(CapSet{}).ok() && guard(CapSet{}, kAllSets).ok() && guard(CapSet{~0ull}).ok();
    return ok ? 0 : 1;
  });
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err, std::string("capguard: skipping linux-only capability check on ") + CAPGUARD_SYSTEM + "\n");
}

// A set-uid or set-gid caller is known by either pair of ids differing.
TEST(Stub, CheckCallerRefusesWhenEitherIdDiffers) {
  if (getuid() != 0) GTEST_SKIP() << "needs root to make the real and effective ids differ";
  for (bool gid : {false, true}) {
    auto r = test::run_in_child([gid] {
      if (!check_caller().ok()) return 1;
      if ((gid ? setresgid(1000, 0, 0) : setresuid(1000, 0, 0)) != 0) return 2;
      return check_caller().code == Error::setid_caller ? 0 : 3;
    });
    EXPECT_EQ(r.status, 0) << (gid ? "gid" : "uid");
  }
}

}  // namespace
}  // namespace capguard
