// walk_procs() over the fake kernel of fake_kernel.h: /proc as a few
// directories and files, each read able to fail, vanish or lie.
#include <errno.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_kernel.h"
#include "procs.h"
#include "status_text.h"

namespace capguard {
namespace {

using test::Fault;
using test::kStatusText;

// What the walk reported, a line each: "found PID TID PPID UID NAME USERNS
// EFFECTIVE" or "failed PID WHAT ERRNO".
struct Seen {
  std::vector<std::string> lines;
};

void found(const Proc& p, void* ctx) {
  static_cast<Seen*>(ctx)->lines.push_back("found " + std::to_string(p.pid) + " " + std::to_string(p.tid) + " " +
                                           std::to_string(p.ppid) + " " + std::to_string(p.uid) + " " + p.name + " " +
                                           std::to_string(p.userns) + " " +
                                           std::to_string(p.state[Set::effective].bits));
}

void failed(long pid, const Result& r, void* ctx) {
  static_cast<Seen*>(ctx)->lines.push_back("failed " + std::to_string(pid) + " " + r.what + " " +
                                           std::to_string(static_cast<int>(r.code)) + " " +
                                           std::to_string(r.sys_errno));
}

// `text` with `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}
std::string status_with(const std::string& from, const std::string& to) { return replaced(kStatusText, from, to); }

// The status file of process `name`, child of `ppid`, with `from` replaced
// by `to`.
std::string status_of(const std::string& name, int ppid, const std::string& from = "", const std::string& to = "") {
  std::string text = replaced(status_with("Name:\tcat", "Name:\t" + name), "PPid:\t2851",
                              "PPid:\t" + std::to_string(ppid));
  return replaced(text, from, to);
}

class Procs : public Fault {
 protected:
  void SetUp() override {
    Fault::SetUp();
    kernel.fs_type = abi::kProcMagic;
    kernel.links["/proc/self"] = "99";  // capguard itself
    kernel.dirs["/proc"] = {".", "..", "self", "1", "99", "sys"};
    kernel.files["/proc/1/status"] = status_of("init", 0, "Uid:\t0\t0", "Uid:\t5\t7");
    kernel.dirs["/proc/1/task"] = {".", "..", "1"};         // read only for more than one thread
    kernel.links["/proc/1/ns/user"] = "user:[4026531837]";  // the initial one
  }
  Result walk() { return walk_procs(found, failed, &seen); }
  std::vector<std::string> lines() { return seen.lines; }
  Seen seen;
};

const std::string kInit = "found 1 1 0 7 init 4026531837 2098176";  // 0x200400 effective

TEST_F(Procs, AProcessIsFoundWithEveryField) {
  ASSERT_TRUE(walk().ok());
  EXPECT_EQ(lines(), std::vector<std::string>{kInit});
  EXPECT_EQ(kernel.opens, 2);  // /proc and the status file: one thread, no task directory
  EXPECT_EQ(kernel.opens, kernel.closes);
}

// The caller is skipped by the pid /proc/self names, not getpid()'s: where
// /proc is another pid namespace's, that number is another process there
// (PID 1 when the caller is init of a namespace of its own), and where the
// caller is not in that namespace, nothing is skipped.
TEST_F(Procs, TheCallerIsSkippedByThePidProcGivesIt) {
  kernel.files["/proc/99/status"] = status_of("other", 1);
  const std::string other = "found 99 99 1 0 other 0 2098176";
  kernel.pid = 1;
  ASSERT_TRUE(walk().ok());
  EXPECT_EQ(lines(), std::vector<std::string>{kInit});
  kernel.links["/proc/self"] = "1";
  seen.lines.clear();
  ASSERT_TRUE(walk().ok());
  EXPECT_EQ(lines(), std::vector<std::string>{other});
  kernel.links.erase("/proc/self");
  seen.lines.clear();
  ASSERT_TRUE(walk().ok());
  EXPECT_EQ(lines(), (std::vector<std::string>{kInit, other}));
  EXPECT_EQ(kernel.opens, kernel.closes);
}

// A /proc/self that cannot be read but for ENOENT, or that names no pid (a
// text cut at 11 bytes is none), is an error of the walk, before /proc is
// listed: capguard would list itself.
TEST_F(Procs, AProcSelfThatCannotBeReadOrIsNoPidIsAnError) {
  for (const char* text : {"", "x", "12345678901", "2147483648"}) {
    kernel.links["/proc/self"] = text;
    Result r = walk();
    EXPECT_EQ(r.code, Error::not_procfs) << text;
    EXPECT_STREQ(r.what, "/proc/self");
  }
  kernel.fail["read_link"] = -EACCES;
  Result r = walk();
  EXPECT_EQ(r.code, Error::read);
  EXPECT_STREQ(r.what, "/proc/self");
  EXPECT_EQ(r.sys_errno, EACCES);
  EXPECT_EQ(kernel.opens, 0);  // /proc is not listed
  kernel.fail.erase("read_link");
  kernel.links["/proc/self"] = "2147483647";  // the largest pid: 99 is not skipped (the fake kernel's default file)
  EXPECT_TRUE(walk().ok());
  EXPECT_EQ(lines(), (std::vector<std::string>{kInit, "found 99 99 2851 0 cat 0 2098176"}));
}

// Standard input closed: /proc itself is descriptor 0.
TEST_F(Procs, ProcOnDescriptorZero) {
  kernel.dir_fd = 0;
  ASSERT_TRUE(walk().ok());
  EXPECT_EQ(lines(), std::vector<std::string>{kInit});
  EXPECT_EQ(kernel.opens, kernel.closes);
}

TEST_F(Procs, ProcItselfFails) {
  kernel.fs_type = -EACCES;
  Result r = walk();
  EXPECT_EQ(r.code, Error::fs_type);
  EXPECT_STREQ(r.what, "/proc");
  EXPECT_EQ(r.sys_errno, EACCES);
  kernel.fs_type = 0x01021994;  // tmpfs
  r = walk();
  EXPECT_EQ(r.code, Error::not_procfs);
  EXPECT_STREQ(r.what, "/proc");
  kernel.fs_type = abi::kProcMagic;
  kernel.dirs.clear();
  r = walk();
  EXPECT_EQ(r.code, Error::open);
  EXPECT_STREQ(r.what, "/proc");
  EXPECT_EQ(r.sys_errno, ENOENT);
  EXPECT_TRUE(lines().empty());
}

TEST_F(Procs, AReadOfProcThatFailsAfterItsEntriesIsAnError) {
  kernel.fail["read_dir"] = -EIO;
  Result r = walk();
  EXPECT_EQ(r.code, Error::read);
  EXPECT_STREQ(r.what, "/proc");
  EXPECT_EQ(r.sys_errno, EIO);
  EXPECT_EQ(lines(), std::vector<std::string>{kInit});  // what was read before
  EXPECT_EQ(kernel.opens, kernel.closes);
}

// StatusParser::kernel_task() decides, from the status file alone: neither
// its namespace nor its threads are looked at.
TEST_F(Procs, KernelThreadsAreSkipped) {
  kernel.dirs["/proc"] = {"2", "1"};
  kernel.files["/proc/2/status"] = replaced(status_of("kthreadd", 0, "Kthread:\t0", "Kthread:\t1"), "Threads:\t1",
                                            "Threads:\t2");
  ASSERT_TRUE(walk().ok());
  EXPECT_EQ(lines(), std::vector<std::string>{kInit});
  EXPECT_EQ(kernel.opens, 3);  // /proc and the two status files
  kernel.files["/proc/2/status"] = status_of("kthreadd", 0);
  kernel.links["/proc/2/ns/user"] = "user:[9]";
  seen.lines.clear();
  ASSERT_TRUE(walk().ok());
  EXPECT_EQ(lines(), (std::vector<std::string>{"found 2 2 0 0 kthreadd 9 2098176", kInit}));
}

TEST_F(Procs, VanishedProcessesAreSkippedUnreadableOnesNamed) {
  kernel.dirs["/proc"] = {"3", "4", "5", "6", "7", "1"};
  kernel.open_errors["/proc/3/status"] = -ENOENT;
  kernel.open_errors["/proc/4/status"] = -ESRCH;
  kernel.open_errors["/proc/5/status"] = -EACCES;
  kernel.files["/proc/6/status"] = status_of("a", 1, "PPid:\t1\n", "");
  kernel.files["/proc/7/status"] = status_of("b", 1, "Uid:\t0\t0\t0\t0\n", "");
  ASSERT_TRUE(walk().ok());
  auto code = [](Error e) { return std::to_string(static_cast<int>(e)); };
  EXPECT_EQ(lines(),
            (std::vector<std::string>{"failed 5 /proc/PID/status " + code(Error::open) + " 13",
                                      "failed 6 /proc/PID/status " + code(Error::status_missing_line) + " 0",
                                      "failed 7 /proc/PID/status " + code(Error::status_missing_line) + " 0", kInit}));
  EXPECT_EQ(kernel.opens, kernel.closes);
}

TEST_F(Procs, AReadThatFailsNamesItsFile) {
  kernel.read_results = {-ESRCH};  // it ended
  ASSERT_TRUE(walk().ok());
  EXPECT_TRUE(lines().empty());
  kernel.read_results = {-EIO};
  ASSERT_TRUE(walk().ok());
  EXPECT_EQ(lines(), std::vector<std::string>{"failed 1 /proc/PID/status " +
                                              std::to_string(static_cast<int>(Error::read)) + " 5"});
}

// The namespace's inode comes from its link's text, "user:[INODE]": 0 when
// the link cannot be read (the ptrace rules) or is not so.
TEST_F(Procs, TheNamespaceIsItsLinksInode) {
  auto userns = [this](const char* link) {
    kernel.links["/proc/1/ns/user"] = link;
    seen.lines.clear();
    EXPECT_TRUE(walk().ok());
    return lines().size() == 1 ? lines()[0].substr(lines()[0].find("init ") + 5) : "";
  };
  EXPECT_EQ(userns("user:[4294967295]"), "4294967295 2098176");  // the longest text
  EXPECT_EQ(userns("user:[1]"), "1 2098176");                    // the shortest
  EXPECT_EQ(userns("user:[04294967295]"), "0 2098176");          // one byte too long: it may have been cut
  EXPECT_EQ(userns("user:[42949672950]"), "0 2098176");          // longer than any: cut, no ']'
  EXPECT_EQ(userns("user:[4294967296]"), "0 2098176");           // past 32 bits
  EXPECT_EQ(userns("user:[]"), "0 2098176");
  EXPECT_EQ(userns("user:[7"), "0 2098176");
  EXPECT_EQ(userns("user:[7x]"), "0 2098176");
  EXPECT_EQ(userns("mnt:[4026531841]"), "0 2098176");
  EXPECT_EQ(userns("user:(7]"), "0 2098176");
  EXPECT_EQ(userns("user:7]"), "0 2098176");
  EXPECT_EQ(userns("user[7]"), "0 2098176");
  EXPECT_EQ(userns("user:[7]x"), "0 2098176");
  kernel.links.erase("/proc/1/ns/user");  // not to be read
  seen.lines.clear();
  ASSERT_TRUE(walk().ok());
  EXPECT_EQ(lines(), std::vector<std::string>{"found 1 1 0 7 init 0 2098176"});
}

TEST_F(Procs, AThreadIsFoundWhenItsSetsDiffer) {
  kernel.files["/proc/1/status"] = status_of("init", 0, "Threads:\t1", "Threads:\t3");
  kernel.dirs["/proc/1/task"] = {".", "..", "1", "8", "9"};
  kernel.files["/proc/1/task/8/status"] = kStatusText;  // as the main thread
  kernel.files["/proc/1/task/9/status"] = replaced(status_with("Uid:\t0\t0", "Uid:\t0\t6"), "CapEff:\t0000000000200400",
                                                   "CapEff:\t0000000000000001");
  ASSERT_TRUE(walk().ok());
  EXPECT_EQ(lines(),
            (std::vector<std::string>{"found 1 1 0 0 init 4026531837 2098176", "found 1 9 0 6 init 4026531837 1"}));
  // /proc, the process's status, its task directory, and the two other
  // threads' status: the main thread's is the process's, read once.
  EXPECT_EQ(kernel.opens, 5);
  EXPECT_EQ(kernel.opens, kernel.closes);
  // Bit 0 of one set alone differs, or the thread cannot be read, or ended.
  kernel.files["/proc/1/task/9/status"] = status_with("CapAmb:\t0000000000000400", "CapAmb:\t0000000000000401");
  kernel.open_errors["/proc/1/task/8/status"] = -EACCES;
  seen.lines.clear();
  ASSERT_TRUE(walk().ok());
  EXPECT_EQ(lines(), (std::vector<std::string>{
                         "found 1 1 0 0 init 4026531837 2098176",
                         "failed 1 /proc/PID/task/TID/status " + std::to_string(static_cast<int>(Error::open)) + " 13",
                         "found 1 9 0 0 init 4026531837 2098176"}));
  kernel.open_errors["/proc/1/task/8/status"] = -ENOENT;
  seen.lines.clear();
  ASSERT_TRUE(walk().ok());
  EXPECT_EQ(lines(), (std::vector<std::string>{"found 1 1 0 0 init 4026531837 2098176",
                                               "found 1 9 0 0 init 4026531837 2098176"}));
}

TEST_F(Procs, ThreadsOfAProcessThatEndedOrCannotBeListed) {
  kernel.files["/proc/1/status"] = status_of("init", 0, "Threads:\t1", "Threads:\t2");
  // No task directory: the process ended.
  ASSERT_TRUE(walk().ok());
  EXPECT_EQ(lines(), std::vector<std::string>{"found 1 1 0 0 init 4026531837 2098176"});
  // One that cannot be read to its end.
  kernel.dirs["/proc/1/task"] = {"1"};
  kernel.fail["read_dir"] = -EIO;
  kernel.dirs["/proc"] = {"1"};
  seen.lines.clear();
  Result r = walk();
  EXPECT_EQ(r.code, Error::read);  // /proc's own read fails the same way
  EXPECT_EQ(lines(), (std::vector<std::string>{
                         "found 1 1 0 0 init 4026531837 2098176",
                         "failed 1 /proc/PID/task " + std::to_string(static_cast<int>(Error::read)) + " 5"}));
  EXPECT_EQ(kernel.opens, kernel.closes);
}

}  // namespace
}  // namespace capguard
