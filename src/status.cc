#include "procs.h"
#include "status_parser.h"
#include "text.h"

namespace capguard {
namespace {

// The keys, indexed by Set.
constexpr char kKeys[kSetCount][8] = {"CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:"};

constexpr uint8_t kMaxDigits = 16;         // a 64-bit mask
constexpr uint64_t kMaxThreads = 1 << 22;  // PID_MAX_LIMIT: no process has more
constexpr uint64_t kMaxUid = 0xffffffff;

Result error(Error e, int set = -1) { return Result::failure(e, set).with_what("status text"); }

int match_cap_key(const char* key) {
  for (const char(&k)[8] : kKeys)
    if (text::equal(key, 7, k, 7)) return static_cast<int>(&k - kKeys);
  return -1;
}

}  // namespace

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
        if (col_ == 7) field_ = static_cast<int8_t>(match_cap_key(key_));
        if (col_ == 8 && text::equal(key_, 8, "Threads:", 8)) field_ = kThreadsField;
        if (col_ == 4 && text::equal(key_, 4, "Uid:", 4)) field_ = kUidField;
      }
    } else if (digits_ == 0 && (c == '\t' || c == ' ')) {
      // Blanks before the value: the kernel writes one tab.
    } else if (field_ == kUidField && (c == '\t' || c == ' ')) {
      // The blank after an id: real, effective, saved, file system.
      if (++ids_ == 2 && !bad_) uid_ = static_cast<long>(value_);
      value_ = 0;
      digits_ = 0;
    } else if (field_ >= kThreadsField) {
      // Good while at most 10 * kMaxUid + 9.
      value_ = value_ * 10 + static_cast<uint64_t>(c - '0');
      bad_ = bad_ || c < '0' || c > '9' || value_ > (field_ == kThreadsField ? kMaxThreads : kMaxUid);
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
  if (field_ == kThreadsField) {
    threads_ = digits_ > 0 && !bad_ ? static_cast<long>(value_) : -1;
  } else if (field_ >= 0 && field_ < kThreadsField) {
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

Result StatusParser::finish(State* out) const {
  if (!error_.ok()) return error_;
  if (col_ != 0) return error(Error::status_truncated);
  for (int i = 0; i < kSetCount; ++i)
    if ((seen_ & set_bit(static_cast<Set>(i))) == 0) return error(Error::status_missing_line, i);
  *out = state_;
  return Result::success();
}

bool parse_stat(const char* s, size_t n, Proc* p, uint64_t* flags) {
  size_t end = n;  // past the last ')'
  while (end > 0 && s[end - 1] != ')') --end;
  size_t at = 0;
  while (at < end && s[at] != '(') ++at;
  if (end < at + 2) return false;
  for (size_t i = at + 1; i + 1 < end && i - at <= sizeof p->name - 1; ++i) p->name[i - at - 1] = s[i];
  uint64_t ppid = 0;
  for (int field = 3; field <= 9; ++field) {  // STATE is field 3
    if (end >= n || s[end] != ' ') return false;
    size_t b = ++end;
    while (end < n && s[end] != ' ') ++end;
    if ((field == 4 && !text::parse_decimal(s + b, end - b, 0x7fffffff, &ppid)) ||
        (field == 9 && !text::parse_decimal(s + b, end - b, 0xffffffff, flags)))  // task_struct's flags: 32 bits
      return false;
  }
  p->ppid = static_cast<long>(ppid);
  return true;
}

Result parse_status(const char* text, size_t n, State* out) {
  StatusParser parser;
  parser.feed(text, n);
  return parser.finish(out);
}

}  // namespace capguard
