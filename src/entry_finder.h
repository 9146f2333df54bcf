// The passwd(5) and group(5) readers behind capguard/users.h.
// Internal: not installed.
#ifndef CAPGUARD_SRC_ENTRY_FINDER_H_
#define CAPGUARD_SRC_ENTRY_FINDER_H_

#include <stddef.h>
#include <stdint.h>

#include "capguard/users.h"

namespace capguard {

// passwd(5), whose entries need a numeric gid too, or group(5).
enum class Db : uint8_t { passwd, group };

// Finds the entry whose name is `key`, or, when `key` is a decimal number,
// whose id is that number, in `db` text fed in pieces split anywhere. A line
// that starts with '#' is a comment, as glibc's files backend reads it. Only
// the first fields of a line are looked at, so lines of any length (a group
// with thousands of members) are fine; a line whose needed fields do not fit
// in kHomeMax bytes is no entry. Pure.
class EntryFinder {
 public:
  EntryFinder(const char* key, size_t key_len, Db db) : key_(key), key_len_(key_len), db_(db) {}
  void feed(const char* text, size_t n);
  void finish();  // the end of the text: a last line without a newline counts
  bool found() const { return found_; }
  bool done() const { return found_; }        // what follows need not be fed
  const char* name() const { return name_; }  // field 1 of the entry found
  uint32_t id() const { return ids_[0]; }     // field 3: the uid, or the gid of a group
  uint32_t group() const { return ids_[1]; }  // field 4 of passwd: the primary gid
  // Field 6 of passwd, the home directory: "/" when the entry has none;
  // null when it or the name does not fit (kHomeMax, name_).
  const char* home() const { return cut_ ? nullptr : line_; }

 private:
  void end_line();

  const char* key_;
  size_t key_len_;
  Db db_;
  char line_[kHomeMax] = {};  // the line, and once found its home directory
  char name_[256] = {};
  size_t len_ = 0;
  bool overflow_ = false;  // this line is longer than kHomeMax
  bool found_ = false;
  bool cut_ = false;
  uint32_t ids_[2] = {};
};

// Collects the gids of the group(5) entries whose member list (field 4)
// names `user`, once each, after those already in `groups`; text fed in
// pieces split anywhere, member lists of any length. Pure.
class MemberFinder {
 public:
  MemberFinder(const char* user, size_t len, uint32_t* groups, int64_t* count)
      : user_(user), user_len_(len), groups_(groups), count_(count) {}
  void feed(const char* text, size_t n);
  void finish();
  bool too_many() const { return too_many_; }  // more than kMaxGroups
  bool done() const { return false; }

 private:
  void end_member();
  void end_line();

  const char* user_;
  size_t user_len_;
  uint32_t* groups_;
  int64_t* count_;
  char head_[256] = {};  // "name:password:gid", far longer than useradd allows
  size_t len_ = 0;
  int colons_ = 0;
  size_t match_ = 0;      // bytes of `user` matched in this member
  bool differs_ = false;  // this member is not `user`
  bool member_ = false;   // this line lists `user`
  bool skip_ = false;     // a comment, or a head longer than head_
  bool too_many_ = false;
};

}  // namespace capguard

#endif  // CAPGUARD_SRC_ENTRY_FINDER_H_
