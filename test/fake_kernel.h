// A scripted kernel for the fault tests: fake_kernel.cc defines the sys layer
// (src/sys.h) in place of sys_posix.cc and sys_linux.cc, answering from the
// FakeKernel of the running test, so each call can fail, be interrupted or
// come back short.
#ifndef CAPGUARD_TEST_FAKE_KERNEL_H_
#define CAPGUARD_TEST_FAKE_KERNEL_H_

#include <errno.h>
#include <gtest/gtest.h>
#include <stddef.h>
#include <stdint.h>

#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kernel_abi.h"
#include "status_text.h"
#include "sys.h"

namespace capguard::test {

struct FakeKernel {
  std::string file = kStatusText;  // what every open file holds ...
  std::map<std::string, std::string> files = {{"/proc/sys/kernel/cap_last_cap", "40\n"}};  // ... but these
  std::string open_file;
  std::deque<long> open_results;  // scripted open results, then file_fd
  int file_fd = 3;                // 0 when standard input is closed
  std::deque<long> read_results;  // scripted -errno before each read, 0: real read
  size_t read_max = 1 << 20;      // bytes one read returns at most
  size_t pos = 0;
  int opens = 0, closes = 0, prctls = 0;
  long capget_result = 0;
  abi::CapData cap_data[2] = {{0x200400, 0xfeffffff, 0x400}, {0, 0x1ff, 0}};
  int last_cap = 40;
  uint64_t bounding = ~0ull;             // up to last_cap
  long bounding_error = 0;               // returned by PR_CAPBSET_READ when not 0
  long ambient_error = 0;                // returned by PR_CAP_AMBIENT_IS_SET when not 0 ...
  unsigned long ambient_error_from = 0;  // ... for capabilities from this one on
  uint64_t ambient = 0x400;
  std::string last_path;
  std::string release = "6.1.0-13-amd64";  // uname(2)
  long personality = 0;                    // personality(2)
  // The calling thread's credentials. The calls that change them follow the
  // kernel's rules (security/commoncap.c), so a wrong order fails here too.
  uint32_t uids[3] = {}, gids[3] = {};
  std::vector<uint32_t> groups = {0, 1, 2, 3, 4};
  long no_new_privs = 0, securebits = 0;  // keep_caps is securebit 0x10
  long exe_mode = 0100755;                // stat(2) of /proc/self/exe, or -errno
  std::map<std::string, long> fail;       // call -> -errno it returns instead
  std::set<std::string> ignore;           // calls that succeed but change nothing
  std::vector<std::string> calls;         // calls that change credentials, in order
  // spawn(): what fork returns, and what the parent reads from the pipe
  // (strings, or a negative errno).
  long fork_result = -EAGAIN;
  std::deque<std::pair<long, std::string>> pipe_reads;
  std::set<int> pipe_ends;  // open: 5 and 6 for a pipe, 7 and 8 for a second, ...
  bool pipe_ended = false;  // the parent's read end gave EOF
  long waited = 0;
  int signal_masks = 0;  // block_signals and set_signal_mask calls
  // run_as_init(): getpid(2), whether it became a subreaper, what clone(2)
  // returns (check_plan() and the rootid question fork with it too), bytes
  // written to the child, what waitpid(-1) reaps ({pid, status}, pid 0: none
  // has ended; none left: ECHILD), the signals sigwaitinfo takes, the
  // kill(2)s made, and the child's process group and terminal.
  long pid = 1;
  bool subreaper = false;
  long clone_result = -EAGAIN;
  size_t go_bytes = 0;
  uint64_t signal_mask = 0x1234;  // the caller's, as rt_sigprocmask keeps it
  uint64_t waited_for = 0;        // the set rt_sigtimedwait was given
  std::deque<std::pair<long, int>> reaps;
  std::deque<int> signals;
  std::vector<std::pair<long, int>> kills;
  long process_group = 0;                  // setpgid(pid, pid)'s pid
  std::pair<int, long> foreground{-1, 0};  // tcsetpgrp's descriptor and group
  std::string stderr_text;                 // what was written to fd 2
  // find_exec_file() and scan_tree(): open_path(2) finds the paths in
  // `files` (as file_fd, as open_read() opens them); statx(2) of a
  // descriptor, or of a path but /proc/self/exe, answers these in turn, then
  // EBADF; fgetxattr(2) gives this value (empty: ENODATA); statfs(2) gives
  // this type, or error; fstatfs(2) says nosuid (1), not (0), or fails.
  std::deque<sys::FileStat> stats;
  std::string xattr;
  long fs_type = -ENOENT;
  long nosuid = 0;
  // scan_tree() down a chain: below the root it walks, `chain` directories
  // named "d", each the only entry of the one above. Each is descriptor
  // file_fd plus its depth while open, and inode 1 plus its depth; an open at a
  // depth in `emfile_at` fails with EMFILE, once for each time it is there;
  // one at the depth `replaced_at` is another directory once open (its
  // descriptor's inode is not its path's); one at `unreadable_at` fails its
  // getdents64(2) with EIO.
  int chain = 0;
  std::multiset<int> emfile_at;
  int replaced_at = -1, unreadable_at = -1;
  // The deepest directory's entries (none when empty), each a name, the type
  // getdents64(2) gives it, and what link_stat(2) gives it: a mode, or -errno.
  struct Leaf {
    std::string name;
    uint8_t type;
    long mode;
  };
  std::vector<Leaf> leaves;
  std::map<int, std::string> chain_open;  // descriptor -> path
  std::set<int> chain_read;               // descriptors read to their end
  // walk_procs(): open_dir(2) of a path in `dirs` gives descriptor dir_fd
  // and up, whose first getdents64(2) gives these names, the next 0 (or the
  // -errno of `fail["read_dir"]`); open_read(2) of a path in `open_errors`
  // fails with that -errno; readlink(2) of a path in `links` gives its text.
  std::map<std::string, std::vector<std::string>> dirs;
  int dir_fd = 100;                      // the first free descriptor for them: 0 when standard input is closed
  std::map<int, std::string> dirs_open;  // descriptor -> path
  std::set<int> dirs_read;
  std::map<std::string, long> open_errors;
  std::map<std::string, std::string> links;  // readlinkat(2): these, others ENOENT
  // exec_file(): execveat(2)'s result, and the path (execve(2)'s, or
  // "fd N") and arguments of the last exec asked for.
  long execveat_result = -EBADF;
  std::string exec_path;
  std::vector<std::string> exec_argv;
};

// Makes the sys layer answer from `kernel` (nullptr between tests, when no
// call may come).
void use_fake_kernel(FakeKernel* kernel);

// A fresh FakeKernel for each test, in `kernel`; no pipe end may be left
// open by the end of the test, nor when it calls SetUp() again.
class Fault : public ::testing::Test {
 protected:
  void SetUp() override {
    EXPECT_TRUE(kernel.pipe_ends.empty()) << "a pipe end left open";
    use_fake_kernel(&kernel);
  }
  void TearDown() override {
    EXPECT_TRUE(kernel.pipe_ends.empty()) << "a pipe end left open";
    use_fake_kernel(nullptr);
  }
  FakeKernel kernel;
};

}  // namespace capguard::test

#endif  // CAPGUARD_TEST_FAKE_KERNEL_H_
