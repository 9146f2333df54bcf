// capguard: the parser of /proc/<pid>/status text.
//
// Pure: no I/O, no allocation, never reads past the length it is given.
#ifndef CAPGUARD_STATUS_H_
#define CAPGUARD_STATUS_H_

#include <stddef.h>
#include <stdint.h>

#include "capguard/capset.h"
#include "capguard/error.h"

namespace capguard {

// Extracts the CapInh, CapPrm, CapEff, CapBnd and CapAmb lines, in any order,
// from text fed in pieces split anywhere, and the Threads line; every other
// line is skipped. The
// kernel writes each as "CapXxx:\t%016llx\n" (fs/proc/array.c, render_cap_t);
// blanks before the digits and upper-case digits are accepted, anything else
// in a Cap line is an error that names the set (Result::set). The first error
// sticks; later input is ignored.
class StatusParser {
 public:
  void feed(const char* text, size_t n);
  // Ends the text. Errors: status_truncated when it does not end with a
  // newline, status_missing_line, or the first error met while feeding.
  // `*out` is written only on success.
  Result finish(State* out) const;
  // The "Threads:" line's number, or -1 when it is absent or not a number.
  long threads() const { return threads_; }
  // All five Cap lines are in, whole, without error. The kernel writes them
  // once, after the Threads line: a reader of /proc may stop here.
  bool done() const { return seen_ == kAllSets && col_ == 0 && error_.ok(); }

 private:
  void end_line();

  // Bytes that decide what a line is: "CapInh:" or "Threads:".
  static constexpr uint8_t kKeyLen = 8;
  static constexpr int8_t kThreadsField = kSetCount;

  State state_;
  Result error_;
  SetMask seen_ = 0;
  char key_[kKeyLen] = {};
  uint8_t col_ = 0;     // key bytes seen in this line, up to kKeyLen
  int8_t field_ = -1;   // the Set of this line once its key matched, kThreadsField, or -1
  uint8_t digits_ = 0;  // digits seen in this line's value
  bool bad_ = false;    // the Threads value has a character that is no digit
  uint64_t value_ = 0;
  long threads_ = -1;
};

// The whole of a status text at once.
Result parse_status(const char* text, size_t n, State* out);

}  // namespace capguard

#endif  // CAPGUARD_STATUS_H_
