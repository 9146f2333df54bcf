// The status text parser that parse_status() runs, fed in pieces, for the
// readers of /proc files. Internal: not installed.
#ifndef CAPGUARD_SRC_STATUS_PARSER_H_
#define CAPGUARD_SRC_STATUS_PARSER_H_

#include <stddef.h>
#include <stdint.h>

#include "capguard/status.h"

namespace capguard {

// parse_status() (capguard/status.h) over text fed in pieces split anywhere,
// which also reads the lines that `capguard ps` shows or needs. The first
// error sticks; later input is ignored.
class StatusParser {
 public:
  void feed(const char* text, size_t n);
  // Ends the text, with parse_status()'s errors.
  Result finish(State* out) const;
  // The "Threads:" line's number, or -1 when it is absent or not a number.
  long threads() const { return threads_; }
  // The "Uid:" line's second id, the effective uid, or -1 when absent or
  // not a number.
  long uid() const { return uid_; }
  // The "PPid:" line's number, or -1 when it is absent or not a number.
  long ppid() const { return ppid_; }
  // The "Name:" line's name, cut to 15 bytes (a kernel thread's may be
  // longer), its "\n" and "\\" read back as the newline and backslash the
  // kernel escaped that way (fs/proc/array.c, proc_task_name()); empty when
  // absent.
  const char* name() const { return name_; }
  static constexpr size_t kNameSize = 16;  // TASK_COMM_LEN
  // A kernel thread: "Kthread: 1" (Linux 6.4 and later; fs/proc/array.c).
  // Where that line is missing: no address space (no "VmSize:" line: a
  // kernel thread has none, kernel/fork.c, get_task_mm()), not a zombie
  // ("State: Z"), and one thread. That also takes a process of one thread
  // that is on its way out, past letting go of its memory: it runs no code
  // of its own again. A main thread that is so while others live on (one
  // can be kept there, closing a file on FUSE) is no kernel thread.
  bool kernel_task() const;
  // All five Cap lines are in, whole, without error. The kernel writes them
  // once, after every other line read here: a reader of /proc may stop.
  bool done() const { return seen_ == kAllSets && col_ == 0 && error_.ok(); }

 private:
  void end_line();

  // Bytes that decide what a line is: the longest keys, "Threads:" and
  // "Kthread:".
  static constexpr uint8_t kKeyLen = 8;
  // The other lines read, numbered after the Cap lines' Sets: the decimal
  // numbers first (VmSize's is never used).
  enum Field : int8_t { kThreads = kSetCount, kUid, kPpid, kKthread, kVmSize, kName, kState };
  static Field match_key(const char* key, uint8_t n);

  State state_;
  Result error_;
  SetMask seen_ = 0;
  char key_[kKeyLen] = {};
  uint8_t col_ = 0;      // key bytes seen in this line, up to kKeyLen
  int8_t field_ = -1;    // the Set or Field of this line once its key matched, or -1
  uint8_t digits_ = 0;   // digits seen in this line's value (this id's, in the Uid line); Name: 1 once past its tab
  uint8_t ids_ = 0;      // the Uid line's ids ended so far
  bool bad_ = false;     // a number has a character that is no digit
  bool escape_ = false;  // Name: a backslash waits for its letter
  uint64_t value_ = 0;
  long threads_ = -1;
  long uid_ = -1;
  long ppid_ = -1;
  long kthread_ = -1;
  bool memory_ = false;  // a VmSize line
  char run_state_ = 0;   // the State line's letter
  uint8_t name_len_ = 0;
  char name_[kNameSize] = {};  // the last byte always NUL
};

}  // namespace capguard

#endif  // CAPGUARD_SRC_STATUS_PARSER_H_
