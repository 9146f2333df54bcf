// User and group lookup (src/users.cc) over the fake kernel of
// fake_kernel.h: /etc/passwd and /etc/group read one byte at a time, with
// EINTR, and failing.
#include <errno.h>
#include <gtest/gtest.h>

#include <string>

#include "capguard/caps.h"
#include "capguard/users.h"
#include "fake_kernel.h"

namespace capguard {
namespace {

using test::Fault;

// Every file read survives one-byte reads and EINTR: cap_last_cap, and
// /etc/passwd and /etc/group for the CLI's names.
TEST_F(Fault, EveryFileSurvivesShortAndInterruptedReads) {
  kernel.read_max = 1;
  for (int i = 0; i < 400; ++i) kernel.read_results.push_back(i % 3 ? 0 : -EINTR);
  kernel.open_results = {-EINTR};
  int last = 0;
  ASSERT_TRUE(kernel_last_cap(&last).ok());
  EXPECT_EQ(last, 40);
  kernel.files["/etc/passwd"] = "root:x:0:0::/:/bin/sh\napp:x:1000:1001::/:/bin/sh";
  kernel.files["/etc/group"] = "root:x:0:\nusers:x:100:a,b";
  uint32_t uid = 0, gid = 0;
  ASSERT_TRUE(find_user("app", 3, &uid, &gid).ok());
  EXPECT_EQ(uid, 1000u);
  EXPECT_EQ(gid, 1001u);
  ASSERT_TRUE(find_group("users", 5, &gid).ok());
  EXPECT_EQ(gid, 100u);
  kernel.read_results = {0, 0, -EIO};
  EXPECT_EQ(find_user("app", 3, &uid, &gid).code, Error::read);
  kernel.open_results = {-EACCES};
  EXPECT_EQ(find_group("users", 5, &gid).code, Error::open);
  kernel.open_results = {-ENOENT};  // no /etc/group: no such group
  EXPECT_EQ(find_group("users", 5, &gid).code, Error::unknown_group);
  EXPECT_EQ(kernel.opens, kernel.closes);
}

// --user SPEC, over /etc/passwd and /etc/group as the fake kernel serves them.
struct Resolved {
  Error code;
  uint32_t uid, gid;
  const char* what;
  bool operator==(const Resolved& o) const {
    return code == o.code && (code != Error::ok || (uid == o.uid && gid == o.gid)) &&
           std::string(what ? what : "") == (o.what ? o.what : "");
  }
};
std::ostream& operator<<(std::ostream& os, const Resolved& r) {
  return os << static_cast<int>(r.code) << " " << r.uid << ":" << r.gid << " " << (r.what ? r.what : "-");
}

Resolved resolve(const char* spec) {
  Plan plan;
  plan.uid = plan.gid = 7;
  Result r = resolve_user(spec, &plan);
  EXPECT_TRUE(r.ok() || (plan.uid == 7 && plan.gid == 7)) << "untouched on error";
  return {r.code, static_cast<uint32_t>(plan.uid), static_cast<uint32_t>(plan.gid), r.what};
}

TEST_F(Fault, ResolveUser) {
  kernel.files["/etc/passwd"] = "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/:/bin/sh\n";
  kernel.files["/etc/group"] = "root:x:0:\nstaff:x:50:app\n";
  Resolved ok{Error::ok, 0, 0, nullptr};
  EXPECT_EQ(resolve("app"), (Resolved{Error::ok, 1000, 1001, nullptr}));
  EXPECT_EQ(resolve("1000"), (Resolved{Error::ok, 1000, 1001, nullptr}));
  EXPECT_EQ(resolve("root"), ok);
  EXPECT_EQ(resolve("0"), ok);
  EXPECT_EQ(resolve("app:staff"), (Resolved{Error::ok, 1000, 50, nullptr}));
  EXPECT_EQ(resolve("app:0"), (Resolved{Error::ok, 1000, 0, nullptr}));
  EXPECT_EQ(resolve("4242:4343"), (Resolved{Error::ok, 4242, 4343, nullptr}));
  EXPECT_EQ(resolve("4294967294:0"), (Resolved{Error::ok, 4294967294u, 0, nullptr}));
  EXPECT_EQ(resolve("4242"), (Resolved{Error::user_without_group, 0, 0, "/etc/passwd"}));
  EXPECT_EQ(resolve("bogus"), (Resolved{Error::unknown_user, 0, 0, "/etc/passwd"}));
  EXPECT_EQ(resolve("4294967295:0"), (Resolved{Error::unknown_user, 0, 0, "/etc/passwd"})) << "(uid_t)-1";
  EXPECT_EQ(resolve("app:bogus"), (Resolved{Error::unknown_group, 0, 0, "/etc/group"}));
  for (const char* bad : {"", ":", "app:", ":0"})
    EXPECT_EQ(resolve(bad), (Resolved{Error::bad_user, 0, 0, nullptr})) << bad;
  kernel.read_results = {-EISDIR};
  EXPECT_EQ(resolve("app"), (Resolved{Error::read, 0, 0, "/etc/passwd"}));
  kernel.open_results = {-ENOENT};  // no /etc/passwd (a scratch image): UID:GID still works
  EXPECT_EQ(resolve("4242:4343"), (Resolved{Error::ok, 4242, 4343, nullptr}));
  kernel.open_results = {-ENOENT};
  EXPECT_EQ(resolve("app"), (Resolved{Error::unknown_user, 0, 0, "/etc/passwd"}));
  EXPECT_EQ(kernel.opens, kernel.closes);
}

TEST_F(Fault, ResolveGroups) {
  kernel.files["/etc/group"] = "root:x:0:\nstaff:x:50:app\n";
  uint32_t groups[kMaxGroups];
  int64_t count = -1;
  Word bad;
  ASSERT_TRUE(resolve_groups("staff, 7,root", groups, &count, &bad).ok());
  ASSERT_EQ(count, 3);
  EXPECT_EQ(groups[0], 50u);
  EXPECT_EQ(groups[1], 7u);
  EXPECT_EQ(groups[2], 0u);
  Result r = resolve_groups("staff,bogus", groups, &count, &bad);
  EXPECT_EQ(r.code, Error::unknown_group);
  EXPECT_STREQ(r.what, "/etc/group");
  EXPECT_EQ(bad.begin, 6u);
  EXPECT_EQ(bad.len, 5u);
  EXPECT_EQ(count, 3) << "untouched on error";
  r = resolve_groups("0,,1", groups, &count, &bad);
  EXPECT_EQ(r.code, Error::unknown_group);
  EXPECT_EQ(bad.begin, 2u);
  EXPECT_EQ(bad.len, 0u);
  std::string many;
  for (int i = 0; i < kMaxGroups; ++i) many += std::to_string(i) + ",";
  many.pop_back();
  ASSERT_TRUE(resolve_groups(many.c_str(), groups, &count, &bad).ok());
  EXPECT_EQ(count, kMaxGroups);
  EXPECT_EQ(groups[kMaxGroups - 1], static_cast<uint32_t>(kMaxGroups - 1));
  r = resolve_groups((many + ",9").c_str(), groups, &count, &bad);
  EXPECT_EQ(r.code, Error::too_many_groups);
  EXPECT_EQ(bad.begin, many.size() + 1);
  kernel.open_results = {-EACCES};
  r = resolve_groups("staff", groups, &count, &bad);
  EXPECT_EQ(r.code, Error::open);
  EXPECT_EQ(r.sys_errno, EACCES);
  EXPECT_STREQ(r.what, "/etc/group");
}

}  // namespace
}  // namespace capguard
