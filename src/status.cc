#include "status_parser.h"
#include "text.h"

namespace capguard {
namespace {

constexpr uint8_t kMaxDigits = 16;     // a 64-bit mask
constexpr uint64_t kMaxPid = 1 << 22;  // PID_MAX_LIMIT: no pid is larger, no process has more threads
constexpr uint64_t kMaxUid = 0xffffffff;

Result error(Error e, int set = -1) { return Result::failure(e, set).with_what("status text"); }

}  // namespace

StatusParser::Field StatusParser::match_key(const char* key, uint8_t n) {
  constexpr struct {
    char key[kKeyLen + 1];
    int8_t field;
  } kKeys[] = {{"CapInh:", static_cast<int8_t>(Set::inheritable)},
               {"CapPrm:", static_cast<int8_t>(Set::permitted)},
               {"CapEff:", static_cast<int8_t>(Set::effective)},
               {"CapBnd:", static_cast<int8_t>(Set::bounding)},
               {"CapAmb:", static_cast<int8_t>(Set::ambient)},
               {"Threads:", kThreads},
               {"Uid:", kUid},
               {"PPid:", kPpid},
               {"Kthread:", kKthread},
               {"VmSize:", kVmSize},
               {"Name:", kName},
               {"State:", kState}};
  // `key` ends at its first colon, and each key here at its only one: the
  // first n bytes equal, the key is n long.
  for (size_t i = 0; i < sizeof kKeys / sizeof *kKeys; ++i)
    if (text::equal(key, n, kKeys[i].key, n)) return static_cast<Field>(kKeys[i].field);
  return static_cast<Field>(-1);
}

void StatusParser::feed(const char* text, size_t n) {
  for (size_t i = 0; i < n && error_.ok(); ++i) {
    char c = text[i];
    if (c == '\n') {
      end_line();
    } else if (field_ < 0) {
      if (col_ == kKeyLen) {
        // A line of no interest: on to its newline in one step.
        const void* nl = __builtin_memchr(text + i, '\n', n - i);
        i = nl == nullptr ? n - 1 : static_cast<size_t>(static_cast<const char*>(nl) - text) - 1;
      } else {
        key_[col_++] = c;
        if (c == ':') field_ = match_key(key_, col_);
        if (field_ == kVmSize) memory_ = true;
      }
    } else if (field_ == kName) {
      if (digits_ == 0) {
        digits_ = 1;  // the tab after the colon: a name may start with a blank
      } else if (c == '\\' && !escape_) {
        escape_ = true;
      } else {
        if (name_len_ < sizeof name_ - 1) name_[name_len_++] = escape_ && c == 'n' ? '\n' : c;
        escape_ = false;
      }
    } else if (digits_ == 0 && (c == '\t' || c == ' ')) {
      // Blanks before the value: the kernel writes one tab.
    } else if (field_ == kState) {
      run_state_ = c;
      // The rest, the state's name in words, goes on as the key's: no key
      // starts "State:" but this one.
      field_ = -1;
    } else if (field_ == kUid && (c == '\t' || c == ' ')) {
      // The blank after an id: real, effective, saved, file system.
      if (++ids_ == 2 && !bad_) uid_ = static_cast<long>(value_);
      value_ = 0;
      digits_ = 0;
    } else if (field_ >= kThreads) {
      // Good while at most 10 * kMaxUid + 9.
      value_ = value_ * 10 + static_cast<uint64_t>(c - '0');
      bad_ = bad_ || c < '0' || c > '9' || value_ > (field_ == kUid ? kMaxUid : kMaxPid);
      ++digits_;
    } else if (text::hex_value(c) < 0) {
      error_ = error(Error::status_bad_digit, field_);
    } else if (digits_ == kMaxDigits) {
      error_ = error(Error::status_too_many_digits, field_);
    } else {
      value_ = value_ << 4 | static_cast<uint64_t>(text::hex_value(c));
      ++digits_;
    }
  }
}

void StatusParser::end_line() {
  long number = digits_ > 0 && !bad_ ? static_cast<long>(value_) : -1;
  if (field_ == kThreads) threads_ = number;
  if (field_ == kPpid) ppid_ = number;
  if (field_ == kKthread) kthread_ = number;
  if (field_ >= 0 && field_ < kThreads) {
    SetMask bit = set_bit(static_cast<Set>(field_));
    if (digits_ == 0)
      error_ = error(Error::status_empty_value, field_);
    else if ((seen_ & bit) != 0)
      error_ = error(Error::status_duplicate_line, field_);
    state_.sets[field_] = {value_};
    seen_ |= bit;
  }
  col_ = 0;
  field_ = -1;
  digits_ = 0;
  ids_ = 0;
  bad_ = false;
  value_ = 0;
}

bool StatusParser::kernel_task() const {
  return kthread_ >= 0 ? kthread_ != 0 : !memory_ && run_state_ != 'Z' && threads_ == 1;
}

Result StatusParser::finish(State* out) const {
  if (!error_.ok()) return error_;
  if (col_ != 0) return error(Error::status_truncated);
  for (int i = 0; i < kSetCount; ++i)
    if ((seen_ & set_bit(static_cast<Set>(i))) == 0) return error(Error::status_missing_line, i);
  *out = state_;
  return Result::success();
}

Result parse_status(const char* text, size_t n, State* out) {
  StatusParser parser;
  parser.feed(text, n);
  return parser.finish(out);
}

}  // namespace capguard
