// The file reads of src/files_linux.cc over the fake kernel of
// fake_kernel.h: the lookup of the file a command runs (a file replaced
// between its lookup and its read, an ExecFile given again, descriptor 0,
// the question a child in a new user namespace answers about a rootid), the
// arguments exec_file() gives the kernel, and scan_tree() when statfs fails
// or its root is too long.
#include <errno.h>
#include <gtest/gtest.h>
#include <string.h>

#include <deque>
#include <string>
#include <vector>

#include "capguard/execve.h"
#include "fake_kernel.h"
#include "files.h"

namespace capguard {
namespace {

using test::Fault;

constexpr uint32_t kProgram = 0100755;

// The file judged (inode 1) is not the file opened for reading (inode 2):
// refused as replaced, the descriptor of each closed, nothing handed out.
// The same for a script's interpreter, and the script's descriptor, closed
// before the interpreter's lookup, is not closed again.
TEST_F(Fault, AFileReplacedAfterItsLookupIsRefusedAndClosed) {
  kernel.files["/bin/app"] = "\177ELF";
  kernel.files["/bin/script"] = "#!/bin/app\n";
  const sys::FileStat judged{kProgram, 0, 0, 1, 1, false}, other{kProgram, 0, 0, 1, 2, false};
  struct {
    const char* command;
    std::deque<sys::FileStat> stats;  // each file judged, then opened for reading
  } cases[] = {{"/bin/app", {judged, other}}, {"/bin/script", {judged, judged, judged, other}}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.command);
    kernel.opens = kernel.closes = 0;
    kernel.stats = c.stats;
    Creds caller;
    ExecFile file;
    Result r = find_exec_file(c.command, nullptr, caller, &file);
    EXPECT_EQ(r.code, Error::replaced);
    EXPECT_STREQ(r.what, "/bin/app");
    EXPECT_EQ(file.fd, -1);
    EXPECT_EQ(kernel.opens, kernel.closes);
  }
}

// The same inode through an idmapped mount and an ordinary one: the same
// device and inode, another owner. What the file will grant is read from
// the descriptor that runs, not from the one judged.
TEST_F(Fault, TheOwnerIsTheOneTheDescriptorThatRunsShows) {
  kernel.files["/bin/app"] = "\177ELF";
  kernel.stats = {{0104755, 1000, 1000, 1, 1, false}, {0106755, 0, 0, 1, 1, false}};
  Creds caller;
  ExecFile file;
  ASSERT_TRUE(find_exec_file("/bin/app", nullptr, caller, &file).ok());
  EXPECT_EQ(file.mode, 0106755u);
  EXPECT_EQ(file.uid, 0u);
  EXPECT_EQ(file.gid, 0u);
  (void)sys::close(file.fd);
  EXPECT_EQ(kernel.opens, kernel.closes);
}

// A file judged and opened that then cannot be read (whether it is a
// script cannot be told), or whose mount's nosuid flag cannot be read: it
// is refused, named with the errno, and closed.
TEST_F(Fault, AFileThatCannotBeReadIsRefused) {
  kernel.files["/bin/app"] = "\177ELF";
  for (bool unreadable : {true, false}) {
    SCOPED_TRACE(unreadable ? "read" : "fstatfs");
    kernel.opens = kernel.closes = 0;
    kernel.stats = {{kProgram, 0, 0, 1, 1, false}, {kProgram, 0, 0, 1, 1, false}};
    kernel.read_results = {-EINTR, unreadable ? -EIO : 0};
    kernel.nosuid = unreadable ? 0 : -EIO;
    Creds caller;
    ExecFile file;
    Result r = find_exec_file("/bin/app", nullptr, caller, &file);
    EXPECT_EQ(r.code, unreadable ? Error::unreadable : Error::statfs);
    EXPECT_STREQ(r.what, "/bin/app");
    EXPECT_EQ(r.sys_errno, EIO);
    EXPECT_EQ(file.fd, -1);
    EXPECT_EQ(kernel.opens, 2);
    EXPECT_EQ(kernel.closes, 2);
  }
}

// An ExecFile given again, filled by a script's lookup and its descriptor
// closed by the caller since: a failed lookup starts over from the command
// (not the script's interpreter), closes nothing of it (the number may be
// another file's by now) and leaves fd -1.
TEST_F(Fault, AnExecFileGivenAgainStartsOver) {
  kernel.files["/bin/script"] = "#!/bin/app\n";
  kernel.files["/bin/app"] = "\177ELF";
  for (uint64_t ino : {1, 1, 2, 2}) kernel.stats.push_back({kProgram, 0, 0, 1, ino, false});
  Creds caller;
  ExecFile file;
  ASSERT_TRUE(find_exec_file("/bin/script", nullptr, caller, &file).ok());
  EXPECT_EQ(file.depth, 1);
  EXPECT_EQ(file.fd, 3);
  (void)sys::close(file.fd);
  EXPECT_EQ(find_exec_file("/bin/none", nullptr, caller, &file).code, Error::exec_not_found);
  EXPECT_EQ(file.depth, 0);
  EXPECT_EQ(file.fd, -1);
  EXPECT_EQ(kernel.opens, 4);
  EXPECT_EQ(kernel.closes, 4);
}

// A script whose interpreter is neither ELF nor a script, each opened as
// descriptor 0 (standard input closed): refused, and descriptor 0 closed
// each time, the script's before its interpreter is opened.
TEST_F(Fault, FilesOnDescriptor0AreClosed) {
  kernel.file_fd = 0;
  kernel.files["/bin/script"] = "#!/bin/text\n";
  kernel.files["/bin/text"] = "text";
  for (uint64_t ino : {1, 1, 2, 2}) kernel.stats.push_back({kProgram, 0, 0, 1, ino, false});
  Creds caller;
  ExecFile file;
  EXPECT_EQ(find_exec_file("/bin/script", nullptr, caller, &file).code, Error::not_elf);
  EXPECT_EQ(file.fd, -1);
  EXPECT_EQ(kernel.opens, 4);
  EXPECT_EQ(kernel.closes, 4);
}

// What scan_tree() reported, in order: each file found, each failure with
// its errno.
using Seen = std::vector<std::string>;
void note_found(const ScanFile& f, void* seen) { static_cast<Seen*>(seen)->push_back(f.path); }
void note_failed(const Result& r, void* seen) {
  static_cast<Seen*>(seen)->push_back(std::string(r.what) + ": " + error_message(r.code) + " " +
                                      std::to_string(r.sys_errno));
}

// scan_tree() of "/r" down a chain `depth` directories deep on ext4: what
// it reported. Every directory it opened is closed.
Seen scan_chain(test::FakeKernel& kernel, int depth) {
  kernel.chain = depth;
  kernel.fs_type = 0xef53;  // ext4
  kernel.opens = kernel.closes = 0;
  Seen seen;
  scan_tree("/r", note_found, note_failed, &seen);
  EXPECT_EQ(kernel.opens, kernel.closes);
  EXPECT_TRUE(kernel.chain_open.empty());
  return seen;
}
// "/r" and "/d" `depth` times: the chain's directory at that depth.
std::string chain_path(int depth) {
  std::string path = "/r";
  for (int i = 0; i < depth; ++i) path += "/d";
  return path;
}

// scan_tree() of a root that fills the path buffer, leaving no room for
// its NUL: named (ENAMETOOLONG), and nothing asked of the kernel. One byte
// less is walked.
TEST_F(Fault, AScanOfARootLongerThanAPathIsNamedNotWalked) {
  std::string root(kPathMax, 'a');
  root[0] = '/';
  Seen seen;
  scan_tree(root.c_str(), note_found, note_failed, &seen);
  EXPECT_EQ(seen, Seen{root + ": " + error_message(Error::open) + " " + std::to_string(ENAMETOOLONG)});
  EXPECT_TRUE(kernel.stats.empty());
  kernel.stats = {{040755, 0, 0, 1, 1, false}};
  kernel.fs_type = -EIO;
  root.pop_back();
  seen.clear();
  scan_tree(root.c_str(), note_found, note_failed, &seen);
  EXPECT_EQ(seen, Seen{root + ": cannot read the file system type 5"});
}

// Fills the stack below the caller with bytes that are no NUL, so that a
// string a callee leaves unterminated there shows.
[[gnu::noinline]] void dirty_stack() {
  volatile char junk[64 * 1024];
  for (size_t i = 0; i < sizeof junk; ++i) junk[i] = 'x';
}

// exec_file(): the arguments the kernel gives (fs/binfmt_script.c): an ELF
// file's as they are; for a script, the last interpreter's words first, and
// the script's path in place of argv[0]. Without execveat (ENOSYS), the
// file through its /proc/self/fd link, and only on a proc filesystem.
TEST_F(Fault, ExecFileGivesTheKernelsArguments) {
  ExecFile f;
  strcpy(f.path, "/dir/s");
  f.fd = 3;
  auto run = [&f](size_t room) {
    char a0[] = "s", a1[] = "a1";
    char* slots[] = {nullptr, nullptr, nullptr, a0, a1, nullptr};
    return exec_file(f, slots + 3, room, nullptr);
  };
  Result r = run(0);
  EXPECT_EQ(r.code, Error::exec_failed);
  EXPECT_EQ(r.sys_errno, EBADF);
  EXPECT_EQ(kernel.exec_path, "fd 3");
  EXPECT_EQ(kernel.exec_argv, (std::vector<std::string>{"s", "a1"}));
  strcpy(f.interpreters[0].text, "/bin/i1");
  f.interpreters[0].text[7] = '\0';
  strcpy(f.interpreters[0].text + 8, "x");
  f.interpreters[0].arg = 8;
  f.depth = 1;
  EXPECT_EQ(run(1).code, Error::too_many_interpreters);
  EXPECT_EQ(run(2).code, Error::exec_failed);
  EXPECT_EQ(kernel.exec_argv, (std::vector<std::string>{"/bin/i1", "x", "/dir/s", "a1"}));
  strcpy(f.interpreters[1].text, "/bin/sh");
  f.depth = 2;
  EXPECT_EQ(run(3).code, Error::exec_failed);
  EXPECT_EQ(kernel.exec_argv, (std::vector<std::string>{"/bin/sh", "/bin/i1", "x", "/dir/s", "a1"}));
  kernel.execveat_result = -ENOSYS;
  kernel.fs_type = 0x01021994;  // tmpfs: a /proc that is not one
  r = run(3);
  EXPECT_EQ(r.sys_errno, ENOSYS);
  EXPECT_EQ(kernel.exec_path, "fd 3");
  kernel.fs_type = abi::kProcMagic;
  f.fd = 12;
  dirty_stack();
  r = run(3);
  EXPECT_EQ(r.sys_errno, ENOENT);
  EXPECT_EQ(kernel.exec_path, "/proc/self/fd/12");
  EXPECT_EQ(kernel.exec_argv, (std::vector<std::string>{"/bin/sh", "/bin/i1", "x", "/dir/s", "a1"}));
}

// scan_tree() of a directory whose filesystem cannot be told (statfs
// fails): that failure alone, named, and nothing opened.
TEST_F(Fault, AScanWhoseFilesystemCannotBeToldOpensNothing) {
  kernel.stats = {{040755, 0, 0, 1, 1, false}};
  kernel.fs_type = -EIO;
  Seen seen;
  scan_tree("/data", note_found, note_failed, &seen);
  EXPECT_EQ(seen, Seen{"/data: cannot read the file system type 5"});
  EXPECT_EQ(kernel.opens, 0);
}

// scan_tree() down a chain 34 directories deep whose open at depth 33,
// past the 32 levels kept open, finds no descriptor left (EMFILE): the kept
// ones are given back, and the walk goes on by path, to the end, reporting
// nothing; the same with the root on descriptor 0 (standard input
// closed). If the open fails again after that, the directory is named and
// not walked. Each directory opened is closed.
TEST_F(Fault, AScanOutOfDescriptorsPastTheKeptLevelsGoesOn) {
  std::string level33 = chain_path(33);
  struct {
    std::multiset<int> emfile_at;
    int root_fd;
    Seen seen;
    int opens;  // each level, then each above the failure again, by path, on the way up
  } cases[] = {{{33}, 3, {}, 35 + 34}, {{33}, 0, {}, 35 + 34}, {{33, 33}, 3, {level33 + ": cannot open 24"}, 33 + 33}};
  for (auto& c : cases) {
    kernel.file_fd = c.root_fd;
    kernel.emfile_at = c.emfile_at;
    EXPECT_EQ(scan_chain(kernel, 34), c.seen);
    EXPECT_TRUE(kernel.emfile_at.empty()) << "an EMFILE not met";
    EXPECT_EQ(kernel.opens, c.opens);
  }
}

// scan_tree() down a chain 257 directories deep: the 256 levels below the
// root are walked (each level's slots, up to the last, in use: the ASan
// build sees one missing), and the 257th is named, not entered.
TEST_F(Fault, AScanNamesTheDirectoryPastTheDeepestLevel) {
  EXPECT_EQ(scan_chain(kernel, 257), Seen{chain_path(257) + ": " + error_message(Error::too_deep) + " 0"});
  EXPECT_EQ(kernel.opens, 257 + 256 - 32);  // each level, then those not kept open again on the way up
}

// scan_tree() down a chain 3 directories deep whose directory at one depth
// is replaced between its stat and its open, or cannot be read (getdents64
// fails): that directory is named with its error and not walked, the levels
// above it are walked, and each descriptor is closed. The root too, on
// descriptor 0 (standard input closed) as on 3.
TEST_F(Fault, AScanNamesADirectoryReplacedOrUnreadableAndDoesNotWalkIt) {
  struct {
    int test::FakeKernel::*fault;  // the depth it is at
    int at, root_fd;
    Error code;
    int sys_errno;
  } cases[] = {{&test::FakeKernel::replaced_at, 0, 0, Error::replaced, 0},
               {&test::FakeKernel::replaced_at, 0, 3, Error::replaced, 0},
               {&test::FakeKernel::replaced_at, 1, 3, Error::replaced, 0},
               {&test::FakeKernel::replaced_at, 2, 0, Error::replaced, 0},
               {&test::FakeKernel::unreadable_at, 0, 0, Error::read, EIO},
               {&test::FakeKernel::unreadable_at, 0, 3, Error::read, EIO},
               {&test::FakeKernel::unreadable_at, 2, 3, Error::read, EIO}};
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message() << error_message(c.code) << " at " << c.at << ", root on " << c.root_fd);
    kernel.replaced_at = kernel.unreadable_at = -1;
    kernel.*c.fault = c.at;
    kernel.file_fd = c.root_fd;
    EXPECT_EQ(scan_chain(kernel, 3),
              Seen{chain_path(c.at) + ": " + error_message(c.code) + " " + std::to_string(c.sys_errno)});
    EXPECT_EQ(kernel.opens, c.at + 1);
  }
}

// scan_tree() of a directory holding a set-uid file, then an entry whose
// statx fails (not ENOENT): the file is found, and the entry named with its
// error, not judged by the file's mode left from the statx before.
TEST_F(Fault, AnEntryThatCannotBeStatedAfterAFileIsNamed) {
  kernel.leaves = {{"a", abi::kDtUnknown, 0104755}, {"b", abi::kDtUnknown, -EIO}};
  EXPECT_EQ(scan_chain(kernel, 1), (Seen{"/r/d/a", "/r/d/b: " + std::string(error_message(Error::stat)) + " 5"}));
}

// scan_tree() down a chain 63 directories deep, each holding one entry
// (24 bytes in the shared buffer), whose deepest holds a file with a name of
// 255 bytes (a 280-byte record): 536 bytes are left, and the whole room is
// given to that read (the largest record must fit).
TEST_F(Fault, TheLongestNameFitsTheRoomLeftAtDepth) {
  std::string name(255, 's');
  kernel.leaves = {{name, abi::kDtUnknown, 0104755}};
  EXPECT_EQ(scan_chain(kernel, 63), Seen{chain_path(63) + "/" + name});
}

// scan_tree() takes getdents64's word for an entry's type where it gives
// one: a symlink is passed over unstated (were it stated, its error would be
// named), and an entry of unknown type (a file system that does not say) is
// stated like any other.
TEST_F(Fault, AScanStatesEntriesOfUnknownTypeAndPassesOverSymlinks) {
  constexpr uint8_t kDtLnk = 10;  // DT_LNK
  kernel.leaves = {{"a", abi::kDtReg, 0104755}, {"l", kDtLnk, -EACCES}, {"u", abi::kDtUnknown, 0102755}};
  EXPECT_EQ(scan_chain(kernel, 1), (Seen{"/r/d/a", "/r/d/u"}));
}

// Two longs, as the child writes them: unshare(2)'s result, then fgetxattr(2)'s.
std::string answer(long unshared, long read) {
  long words[2] = {unshared, read};
  return std::string(reinterpret_cast<const char*>(words), sizeof words);
}

// A revision 3 value for rootid 1000, which maps here: whether it counts is
// asked of a child (pid 42) in a new user namespace, through a pipe. Each
// answer is taken as given, each failure names its call, both pipe ends are
// closed (the fixture checks) and the child is reaped.
TEST_F(Fault, TheRootidQuestionTakesTheChildsAnswerAndNamesEachFailure) {
  const uint32_t value[6] = {0x03000001, 1 << 13, 0, 0, 0, 1000};  // cap_net_raw+ep, rootid 1000
  kernel.files["/bin/app"] = "\177ELF";
  kernel.xattr.assign(reinterpret_cast<const char*>(value), sizeof value);
  struct Case {
    const char* name;
    long clone, pipe;
    std::deque<std::pair<long, std::string>> reads;
    const char* call;  // nullptr: no error
    long sys_errno;
    uint32_t rootid;
  } cases[] = {
      {"counts", 42, 0, {{0, answer(0, 24)}}, nullptr, 0, 0},
      {"an EINTR, then counts", 42, 0, {{-EINTR, ""}, {0, answer(0, 24)}}, nullptr, 0, 0},
      {"no ancestor's root", 42, 0, {{0, answer(0, -EOVERFLOW)}}, nullptr, 0, kForeignRootid},
      {"no pipe", 42, -EMFILE, {}, "pipe2", EMFILE, 1000},
      {"no child", -EAGAIN, 0, {}, "clone", EAGAIN, 1000},
      {"the child died unheard", 42, 0, {}, "unshare(CLONE_NEWUSER)", EIO, 1000},
      {"unshare refused", 42, 0, {{0, answer(-EINVAL, 0)}}, "unshare(CLONE_NEWUSER)", EINVAL, 1000},
      {"fgetxattr failed", 42, 0, {{0, answer(0, -EIO)}}, "fgetxattr in a new user namespace", EIO, 1000},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    kernel.stats = {{kProgram, 0, 0, 1, 1, false}, {kProgram, 0, 0, 1, 1, false}};
    kernel.clone_result = c.clone;
    kernel.fail.erase("pipe");
    if (c.pipe != 0) kernel.fail["pipe"] = c.pipe;
    kernel.pipe_reads = c.reads;
    kernel.waited = 0;
    Creds caller;
    ExecFile file;
    Result r = find_exec_file("/bin/app", nullptr, caller, &file);
    if (c.call == nullptr) {
      ASSERT_TRUE(r.ok()) << r.what;
      EXPECT_EQ(file.caps.rootid, c.rootid);
      EXPECT_EQ(file.caps.permitted.bits, uint64_t{1} << 13);
      (void)sys::close(file.fd);
    } else {
      EXPECT_EQ(r.code, Error::rootid);
      EXPECT_STREQ(r.what, c.call);
      EXPECT_EQ(r.sys_errno, c.sys_errno);
      EXPECT_EQ(file.fd, -1);
    }
    EXPECT_EQ(kernel.waited, c.clone > 0 && c.pipe == 0 ? 42 : 0);
    EXPECT_EQ(kernel.opens, kernel.closes);
  }
}

}  // namespace
}  // namespace capguard
