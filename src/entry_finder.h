// The passwd(5) and group(5) entry finder behind capguard/users.h.
// Internal: not installed.
#ifndef CAPGUARD_SRC_ENTRY_FINDER_H_
#define CAPGUARD_SRC_ENTRY_FINDER_H_

#include <stddef.h>
#include <stdint.h>

namespace capguard {

// passwd(5), whose entries need a numeric gid too, or group(5).
enum class Db : uint8_t { passwd, group };

// Finds the entry whose name is `key`, or, when `key` is a decimal number,
// whose id is that number, in `db` text fed in pieces split anywhere. Only the first
// fields of a line are looked at, so lines of any length (a group with
// thousands of members) are fine; a line whose needed fields do not fit in
// kPrefixMax bytes is no entry. Pure.
class EntryFinder {
 public:
  EntryFinder(const char* key, size_t key_len, Db db) : key_(key), key_len_(key_len), db_(db) {}
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
  Db db_;
  char line_[kPrefixMax] = {};
  size_t len_ = 0;
  bool overflow_ = false;  // this line is longer than kPrefixMax
  bool found_ = false;
  uint32_t ids_[2] = {};
};

}  // namespace capguard

#endif  // CAPGUARD_SRC_ENTRY_FINDER_H_
