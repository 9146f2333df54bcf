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
  uid = gid = 7;
  Result r = find_user("nobody", 6, &uid, &gid);
  EXPECT_EQ(r.code, Error::unknown_user);
  EXPECT_STREQ(r.what, "/etc/passwd");
  EXPECT_EQ(uid + gid, 14u) << "no ids made up for a user not found";
  EXPECT_EQ(kernel.opens, kernel.closes);
}

// --user SPEC, over /etc/passwd and /etc/group as the fake kernel serves
// them: "uid:gid:groups:home", or the error and the file it names.
std::string resolve(const char* spec) {
  User u;
  u.uid = 7;
  Result r = resolve_user(spec, &u);
  if (!r.ok())
    return error_message(r.code) + std::string(" ") + (r.what ? r.what : "-") + (u.uid == 7 ? "" : " touched");
  std::string groups;
  for (int64_t i = 0; i < u.group_count; ++i) groups += (i ? " " : "") + std::to_string(u.groups[i]);
  return std::to_string(u.uid) + ":" + std::to_string(u.gid) + ":" + groups + ":" + u.home;
}

TEST_F(Fault, ResolveUser) {
  kernel.files["/etc/passwd"] =
      "root:x:0:0::/root:/bin/sh\n#app:x:5:5::/commented:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n"
      "bare:x:1002:1002\n";
  kernel.files["/etc/group"] = "root:x:0:\n#old:x:40:app\nstaff:x:50:app\nwheel:x:10:root,app,app\nx:x:60:apps,ap\n";
  EXPECT_EQ(resolve("app"), "1000:1001:1001 50 10:/home/app");
  EXPECT_EQ(resolve("app:"), "1000:1001:1001 50 10:/home/app");
  EXPECT_EQ(resolve("1000"), "1000:1001:1001 50 10:/home/app");
  EXPECT_EQ(resolve("root"), "0:0:0 10:/root");
  EXPECT_EQ(resolve("0"), "0:0:0 10:/root");
  EXPECT_EQ(resolve("bare"), "1002:1002:1002:/") << "no home field: /";
  EXPECT_EQ(resolve("app:staff"), "1000:50:50:/home/app");
  EXPECT_EQ(resolve("app:0"), "1000:0:0:/home/app");
  EXPECT_EQ(resolve("4242:4343"), "4242:4343:4343:/");
  EXPECT_EQ(resolve("4294967294:0"), "4294967294:0:0:/");
  EXPECT_EQ(resolve("4242"), "no entry gives its group; write UID:GID /etc/passwd");
  EXPECT_EQ(resolve("bogus"), "no such user /etc/passwd");
  EXPECT_EQ(resolve("5"), "no entry gives its group; write UID:GID /etc/passwd") << "a comment is no entry";
  EXPECT_EQ(resolve("4294967295:0"), "no such user /etc/passwd") << "(uid_t)-1";
  EXPECT_EQ(resolve("app:bogus"), "no such group /etc/group");
  for (const char* bad : {"", ":", ":0"}) EXPECT_EQ(resolve(bad), "not USER, UID, USER:GROUP or UID:GID -") << bad;
  kernel.read_results = {-EISDIR};
  EXPECT_EQ(resolve("app"), "cannot read /etc/passwd");
  kernel.read_results = {0, 0, -EIO};  // /etc/group fails after /etc/passwd was read
  EXPECT_EQ(resolve("app"), "cannot read /etc/group");
  kernel.open_results = {-ENOENT};  // no /etc/passwd (a scratch image): UID:GID still works
  EXPECT_EQ(resolve("4242:4343"), "4242:4343:4343:/");
  kernel.open_results = {-ENOENT};
  EXPECT_EQ(resolve("app"), "no such user /etc/passwd");
  EXPECT_EQ(kernel.opens, kernel.closes);
  // A home that does not fit: an error, never a wrong HOME.
  kernel.files["/etc/passwd"] = "app:x:1000:1001::/" + std::string(kHomeMax, 'h') + ":/bin/sh\n";
  EXPECT_EQ(resolve("app"), "entry too long to read its name and home directory /etc/passwd");
  // A name too long to look for in /etc/group: the same, never a wrong group.
  kernel.files["/etc/passwd"] = std::string(300, 'n') + ":x:1000:1001::/:/bin/sh\n";
  EXPECT_EQ(resolve("1000"), "entry too long to read its name and home directory /etc/passwd");
  // More groups than kMaxGroups: refused.
  std::string many = "app:x:1000:1001::/:/bin/sh\n";
  kernel.files["/etc/passwd"] = many;
  many.clear();
  for (int g = 0; g < kMaxGroups; ++g) many += "g" + std::to_string(g) + ":x:" + std::to_string(2000 + g) + ":app\n";
  kernel.files["/etc/group"] = many;
  EXPECT_EQ(resolve("app"), "more supplementary groups than capguard sets (256) /etc/group");
  kernel.files["/etc/group"] = many.substr(0, many.rfind("g255"));
  EXPECT_EQ(resolve("app").substr(0, 19), "1000:1001:1001 2000");
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
