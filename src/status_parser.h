// The status text parser that parse_status() runs, fed in pieces, for the
// readers of /proc files. Internal: not installed.
#ifndef CAPGUARD_SRC_STATUS_PARSER_H_
#define CAPGUARD_SRC_STATUS_PARSER_H_

#include <stddef.h>
#include <stdint.h>

#include "capguard/status.h"

namespace capguard {

// parse_status() (capguard/status.h) over text fed in pieces split anywhere,
// which also reads the Threads line. The first error sticks; later input is
// ignored.
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
  // All five Cap lines are in, whole, without error. The kernel writes them
  // once, after the Threads line: a reader of /proc may stop here.
  bool done() const { return seen_ == kAllSets && col_ == 0 && error_.ok(); }

 private:
  void end_line();

  // Bytes that decide what a line is: "CapInh:" or "Threads:".
  static constexpr uint8_t kKeyLen = 8;
  static constexpr int8_t kThreadsField = kSetCount, kUidField = kSetCount + 1;

  State state_;
  Result error_;
  SetMask seen_ = 0;
  char key_[kKeyLen] = {};
  uint8_t col_ = 0;     // key bytes seen in this line, up to kKeyLen
  int8_t field_ = -1;   // the Set of this line once its key matched, kThreadsField, kUidField, or -1
  uint8_t digits_ = 0;  // digits seen in this line's value (this id's, in the Uid line)
  uint8_t ids_ = 0;     // the Uid line's ids ended so far
  bool bad_ = false;    // the Threads or Uid value has a character that is no digit
  uint64_t value_ = 0;
  long threads_ = -1;
  long uid_ = -1;
};

}  // namespace capguard

#endif  // CAPGUARD_SRC_STATUS_PARSER_H_
