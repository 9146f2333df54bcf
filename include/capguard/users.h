// capguard: user and group names from /etc/passwd and /etc/group, read
// directly: a static binary has no NSS, and a scratch image no nsswitch.conf.
#ifndef CAPGUARD_USERS_H_
#define CAPGUARD_USERS_H_

#include <stddef.h>
#include <stdint.h>

#include "capguard/error.h"

namespace capguard {

// Finds the entry whose name is `key`, or, when `key` is a decimal number,
// whose id is that number, in passwd(5) (`passwd` true: the gid field must be
// a number too) or group(5) text fed in pieces split anywhere. Only the first
// fields of a line are looked at, so lines of any length (a group with
// thousands of members) are fine; a line whose needed fields do not fit in
// kPrefixMax bytes is no entry. Pure.
class EntryFinder {
 public:
  EntryFinder(const char* key, size_t key_len, bool passwd)
      : key_(key), key_len_(key_len), passwd_(passwd) {}
  void feed(const char* text, size_t n);
  void finish();  // the end of the text: a last line without a newline counts
  bool found() const { return found_; }
  uint32_t id() const { return ids_[0]; }     // field 3: the uid, or the gid of a group
  uint32_t group() const { return ids_[1]; }  // field 4 of passwd: the primary gid

 private:
  void end_line();

  // Enough for "name:password:id:gid:" with a 32-byte name (useradd's limit)
  // and far longer; a longer prefix is not an entry capguard can use.
  static constexpr size_t kPrefixMax = 256;

  const char* key_;
  size_t key_len_;
  bool passwd_;
  char line_[kPrefixMax] = {};
  size_t len_ = 0;
  bool overflow_ = false;  // this line is longer than kPrefixMax
  bool found_ = false;
  uint32_t ids_[2] = {};
};

// `key` (a name or a number) in /etc/passwd: its uid and primary gid. A
// missing file has no entries. Errors: unknown_user, proc_open, proc_read.
Result find_user(const char* key, uint32_t* uid, uint32_t* gid);
// `key` in /etc/group; a number needs no entry. Errors: unknown_group, ...
Result find_group(const char* key, uint32_t* gid);

}  // namespace capguard

#endif  // CAPGUARD_USERS_H_
