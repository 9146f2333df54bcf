#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "entry_finder.h"

namespace capguard {
namespace {

struct Found {
  bool found;
  uint32_t id, group;
  bool operator==(const Found& o) const { return found == o.found && (!found || (id == o.id && group == o.group)); }
};

// Feeds `text` split at `cut`, from heap copies of exactly its bytes.
Found find(const std::string& text, const std::string& key, Db db, size_t cut = 0) {
  EntryFinder f(key.data(), key.size(), db);
  std::vector<char> a(text.begin(), text.begin() + static_cast<long>(cut));
  std::vector<char> b(text.begin() + static_cast<long>(cut), text.end());
  f.feed(a.data(), a.size());
  f.feed(b.data(), b.size());
  f.finish();
  return {f.found(), f.id(), f.group()};
}

constexpr Found kNone = {false, 0, 0};

const std::string kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
    "app:x:1000:1001::/home/app:/bin/sh\n";

TEST(Users, PasswdByNameAndNumber) {
  EXPECT_EQ(find(kPasswd, "app", Db::passwd), (Found{true, 1000, 1001}));
  EXPECT_EQ(find(kPasswd, "1000", Db::passwd), (Found{true, 1000, 1001}));
  EXPECT_EQ(find(kPasswd, "root", Db::passwd), (Found{true, 0, 0}));
  EXPECT_EQ(find(kPasswd, "nobody", Db::passwd), (Found{true, 65534, 65534}));
  for (const char* key : {"ap", "app2", "App", "", "1001", "-1", "4294967295"})
    EXPECT_EQ(find(kPasswd, key, Db::passwd), kNone) << key;
}

TEST(Users, EverySplitFindsTheSame) {
  for (size_t cut = 0; cut <= kPasswd.size(); ++cut)
    EXPECT_EQ(find(kPasswd, "app", Db::passwd, cut), (Found{true, 1000, 1001})) << cut;
}

TEST(Users, LastLineWithoutNewline) {
  std::string text = "root:x:0:0::/:/bin/sh\napp:x:1000:1000:/:/bin/sh";
  EXPECT_EQ(find(text, "app", Db::passwd), (Found{true, 1000, 1000}));
  EntryFinder f("app", 3, Db::passwd);
  f.feed(text.data(), text.size());
  EXPECT_FALSE(f.found()) << "only finish() ends the last line";
}

// A passwd entry without a usable gid is no entry: never a guessed group.
TEST(Users, PasswdNeedsAGid) {
  for (const char* text :
       {"app:x:1000:\n", "app:x:1000\n", "app:x:1000:abc:/:/bin/sh\n", "app:x:1000:-1:/:/bin/sh\n",
        "app:x:1000:4294967295:/:/bin/sh\n", "app:x:1000:1001\r\n", "app:x::1001:/:/bin/sh\n", "app\n"})
    EXPECT_EQ(find(text, "app", Db::passwd), kNone) << text;
}

TEST(Users, LongLines) {
  std::string gecos(5000, 'g');
  EXPECT_EQ(find("app:x:1000:1001:" + gecos + ":/:/bin/sh\n", "app", Db::passwd), (Found{true, 1000, 1001}));
  // Cut inside the gid field: no entry, rather than a wrong gid.
  std::string password(1010, 'p');
  EXPECT_EQ(find("app:" + password + ":1000:1234567:/:/bin/sh\n", "app", Db::passwd), kNone);
  EXPECT_EQ(find(std::string(1100, 'n') + ":x:1000:1001::/:/bin/sh\n", std::string(1100, 'n'), Db::passwd), kNone);
  // The line after an overlong one is read normally.
  EXPECT_EQ(find(std::string(5000, 'z') + "\n" + kPasswd, "app", Db::passwd), (Found{true, 1000, 1001}));
}

TEST(Users, Groups) {
  std::string members;
  for (int i = 0; i < 2000; ++i) members += "user" + std::to_string(i) + ",";
  std::string text = "root:x:0:\ndaemon:x:1:\nusers:x:100:" + members + "\n::7:\n";
  EXPECT_EQ(find(text, "users", Db::group).id, 100u);
  EXPECT_TRUE(find(text, "users", Db::group).found);
  EXPECT_EQ(find(text, "daemon", Db::group).id, 1u);
  EXPECT_EQ(find(text, "100", Db::group).id, 100u);
  EXPECT_EQ(find(text, "", Db::group), kNone) << "an empty name matches no line, not even '::7:'";
  EXPECT_EQ(find("bad:x:\n", "bad", Db::group), kNone);
  EXPECT_EQ(find("bad:x:12x:\n", "bad", Db::group), kNone);
}

// A comment line is no entry; a passwd entry's home is field 6, "/" when
// it has none.
TEST(Users, CommentsAndHome) {
  std::string text = "#app:x:5:5::/commented:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\nbare:x:7:7\n";
  EntryFinder f("app", 3, Db::passwd);
  f.feed(text.data(), text.size());
  f.finish();
  ASSERT_TRUE(f.found());
  EXPECT_EQ(f.id(), 1000u);
  EXPECT_STREQ(f.home(), "/home/app");
  EXPECT_STREQ(f.name(), "app");
  EntryFinder b("7", 1, Db::passwd);
  b.feed(text.data(), text.size());
  b.finish();
  ASSERT_TRUE(b.found());
  EXPECT_STREQ(b.home(), "/");
  EXPECT_STREQ(b.name(), "bare");
  EXPECT_EQ(find(text, "5", Db::passwd), kNone);
  EXPECT_EQ(find("#g:x:5:\n", "#g", Db::group), kNone);
}

// The edges of what EntryFinder keeps: a line of kHomeMax bytes is whole, one
// more overflows and keeps only the fields that end within it (here no home:
// refused, never cut); the line after an overflow is read whole again; a
// name of 255 bytes fits, with its NUL, one of 256 is refused; a home of one
// byte is a home.
std::string home_of(const std::string& text, const std::string& key) {
  EntryFinder f(key.data(), key.size(), Db::passwd);
  f.feed(text.data(), text.size());
  f.finish();
  return !f.found() ? "not found" : f.home() == nullptr ? "refused" : std::string(f.name()) + " " + f.home();
}

TEST(Users, TheEdgesOfWhatFits) {
  std::string head = "app:x:1000:1001::";
  std::string home = "/" + std::string(kHomeMax - head.size() - 1, 'h');
  EXPECT_EQ(home_of(head + home + "\n", "app"), "app " + home);
  EXPECT_EQ(home_of(head + home + "h\n", "app"), "refused");
  EXPECT_EQ(home_of(std::string(5000, 'z') + "\napp:x:1000:1001::/home/app\n", "app"), "app /home/app");
  std::string name(255, 'n');
  EXPECT_EQ(home_of(name + ":x:1000:1001::/home/n\n", name), name + " /home/n");
  EXPECT_EQ(home_of(name + "n:x:1000:1001::/home/n\n", name + "n"), "refused");
  EXPECT_EQ(home_of("app:x:1000:1001::a\n", "app"), "app a");
}

// Every group whose member list names the user, split anywhere, once each.
std::string members(const std::string& text, const std::string& user, size_t cut) {
  uint32_t groups[kMaxGroups] = {7};
  int64_t count = 1;
  MemberFinder m(user.data(), user.size(), groups, &count);
  m.feed(text.data(), cut);
  m.feed(text.data() + cut, text.size() - cut);
  m.finish();
  std::string out = m.too_many() ? "too many:" : "";
  for (int64_t i = 0; i < count; ++i) out += (i ? " " : "") + std::to_string(groups[i]);
  return out;
}

TEST(Users, MemberLists) {
  std::string many;
  for (int i = 0; i < 3000; ++i) many += "user" + std::to_string(i) + ",";
  std::string text = "root:x:0:\nwheel:x:10:root,app\n#old:x:40:app\nx:x:60:apps,ap,xapp\nbig:x:70:" + many +
                     "app\nseven:x:7:app\nlast:x:80:app";
  for (size_t cut = 0; cut <= text.size(); cut += cut < 100 ? 1 : 997)
    EXPECT_EQ(members(text, "app", cut), "7 10 70 80") << cut;
  EXPECT_EQ(members(text, "root", 0), "7 10");
  EXPECT_EQ(members(text, "", 0), "7") << "an empty name is no member";
  EXPECT_EQ(members("bad:x:7x:app\nshort:x:\n", "app", 0), "7");
  EXPECT_EQ(members("one:x:5:b,a\n", "a", 0), "7 5") << "a name of one letter";
  std::string full;
  for (int g = 1; g <= kMaxGroups; ++g) full += "g:x:" + std::to_string(100 + g) + ":app\n";
  EXPECT_EQ(members(full, "app", 0).substr(0, 9), "too many:");
}

}  // namespace
}  // namespace capguard
