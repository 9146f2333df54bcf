#include "capguard/exec.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "child.h"

namespace capguard {
namespace {

// Runs exec_path in a child; the child exits 0 from the exec'd command, or
// 100 + the Error it returned.
int exec_in_child(const char* file, const char* path_env) {
  std::string env = path_env ? std::string("PATH=") + path_env : "";
  return test::run_in_child([&] {
           char* argv[] = {const_cast<char*>(file), nullptr};
           char* envp[] = {path_env ? env.data() : nullptr, nullptr};
           return 100 + static_cast<int>(exec_path(file, argv, envp).code);
         })
      .status;
}

constexpr int kNotFound = 100 + static_cast<int>(Error::exec_not_found);
constexpr int kDenied = 100 + static_cast<int>(Error::exec_denied);

class Exec : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/capguard-exec-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::string plain = dir_ + "/plain";
    FILE* f = fopen(plain.c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs("#!/bin/sh\nexit 0\n", f);
    fclose(f);
    ASSERT_EQ(chmod(plain.c_str(), 0644), 0);
  }
  void TearDown() override {
    (void)chdir("/");
    (void)system(("rm -rf " + dir_).c_str());
  }
  void write_file(const std::string& name, const char* text, mode_t mode) {
    FILE* f = fopen((dir_ + "/" + name).c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs(text, f);
    fclose(f);
    ASSERT_EQ(chmod((dir_ + "/" + name).c_str(), mode), 0);
  }
  std::string dir_;
};

TEST_F(Exec, SearchesPath) {
  EXPECT_EQ(exec_in_child("true", ("/nonexistent::" + dir_ + ":/usr/bin:/bin").c_str()), 0);
}

TEST_F(Exec, DefaultPathWhenEnvironmentHasNone) { EXPECT_EQ(exec_in_child("true", nullptr), 0); }

TEST_F(Exec, NotFound) {
  EXPECT_EQ(exec_in_child("capguard-no-such-command", "/usr/bin:/bin"), kNotFound);
  EXPECT_EQ(exec_in_child("/nonexistent/true", "/usr/bin"), kNotFound);
  EXPECT_EQ(exec_in_child("", "/usr/bin"), kNotFound);
}

TEST_F(Exec, NotExecutable) {
  EXPECT_EQ(exec_in_child((dir_ + "/plain").c_str(), "/usr/bin"), kDenied);
  EXPECT_EQ(exec_in_child("plain", (dir_ + ":/usr/bin").c_str()), kDenied);
}

TEST_F(Exec, EmptyPathEntriesNeverMeanTheCurrentDirectory) {
  ASSERT_EQ(chmod((dir_ + "/plain").c_str(), 0755), 0);
  ASSERT_EQ(chdir(dir_.c_str()), 0);
  EXPECT_EQ(exec_in_child("plain", ":"), kNotFound);
  EXPECT_EQ(exec_in_child("plain", "::/nonexistent"), kNotFound);
  EXPECT_EQ(exec_in_child("plain", "."), 0) << "\".\", said, does";
}

// Nor the root: an empty entry is not joined into "/name".
TEST_F(Exec, EmptyPathEntriesNeverMeanTheRoot) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root, to write a program into /";
  std::string name = "capguard-exec-test-" + std::to_string(getpid()), path = "/" + name;
  FILE* f = fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fputs("#!/bin/sh\nexit 42\n", f);
  fclose(f);
  ASSERT_EQ(chmod(path.c_str(), 0755), 0);
  int rc = exec_in_child(name.c_str(), ":");
  unlink(path.c_str());
  EXPECT_EQ(rc, kNotFound);
}

// Like execvp(3): a match that is not executable does not end the search.
TEST_F(Exec, DeniedEarlyFoundLater) {
  ASSERT_EQ(mkdir((dir_ + "/later").c_str(), 0755), 0);
  write_file("later/plain", "#!/bin/sh\nexit 42\n", 0755);
  EXPECT_EQ(exec_in_child("plain", (dir_ + ":" + dir_ + "/later").c_str()), 42);
}

// A PATH entry that is a file (ENOTDIR), as one that is missing (ENOENT),
// does not end the search.
TEST_F(Exec, FileOnPathFoundLater) {
  EXPECT_EQ(exec_in_child("true", (dir_ + "/plain:/usr/bin:/bin").c_str()), 0);
  EXPECT_EQ(exec_in_child("true", (dir_ + "/plain/sub:/usr/bin:/bin").c_str()), 0);
}

TEST_F(Exec, OtherFailuresEndTheSearch) {
  write_file("junk", "not a program", 0755);
  ASSERT_EQ(mkdir((dir_ + "/later").c_str(), 0755), 0);
  write_file("later/junk", "#!/bin/sh\nexit 42\n", 0755);
  EXPECT_EQ(exec_in_child("junk", (dir_ + ":" + dir_ + "/later").c_str()), 100 + static_cast<int>(Error::exec_failed));
}

TEST_F(Exec, OverlongNamesFail) {
  std::string name(5000, 'x');
  char* argv[] = {name.data(), nullptr};
  char* envp[] = {nullptr};
  Result r = exec_path(name.c_str(), argv, envp);  // returns at once: nothing to run
  EXPECT_EQ(r.code, Error::exec_failed);
  EXPECT_EQ(r.sys_errno, ENAMETOOLONG);
  std::string dir(5000, 'd');
  EXPECT_EQ(exec_in_child("true", (dir + ":/usr/bin:/bin").c_str()), 0);
}

// The kernel takes a path of up to 4095 bytes and its NUL (PATH_MAX):
// "/usr/./././.../bin/true" of exactly 4095 runs, of 4096 is refused
// unrun, as a name given with a slash and as a PATH entry joined with one.
TEST_F(Exec, TheLongestPathRuns) {
  auto padded = [](size_t length, const char* tail) {
    std::string p = "/usr";
    while (p.size() + 2 + strlen(tail) <= length) p += "/.";
    return p + (p.size() + strlen(tail) < length ? "/" : "") + tail;
  };
  std::string fits = padded(4095, "/bin/true"), over = padded(4096, "/bin/true");
  ASSERT_EQ(fits.size(), 4095u);
  ASSERT_EQ(over.size(), 4096u);
  EXPECT_EQ(exec_in_child(fits.c_str(), nullptr), 0);
  EXPECT_EQ(exec_in_child(over.c_str(), nullptr), 100 + static_cast<int>(Error::exec_failed));
  std::string fits_dir = padded(4095 - 5, "/bin"), over_dir = padded(4096 - 5, "/bin");
  EXPECT_EQ(exec_in_child("true", fits_dir.c_str()), 0);
  EXPECT_EQ(exec_in_child("true", over_dir.c_str()), kNotFound);
  // A PATH entry too long for "/xy" is skipped, not cut to run "/x".
  write_file("x", "#!/bin/sh\nexit 42\n", 0755);
  std::string dir = dir_;
  while (dir.size() + 2 + 3 <= 4096) dir += "/.";
  if (dir.size() + 3 < 4096) dir += "/";
  ASSERT_EQ(dir.size() + 3, 4096u);
  EXPECT_EQ(exec_in_child("xy", dir.c_str()), kNotFound);
  EXPECT_EQ(exec_in_child("x", dir.c_str()), 42);
}

}  // namespace
}  // namespace capguard
