#include "capguard/users.h"

#include <errno.h>

#include "entry_finder.h"
#include "plan.h"
#include "read_file.h"
#include "text.h"

namespace capguard {
namespace {

constexpr char kPasswd[] = "/etc/passwd";
constexpr char kGroup[] = "/etc/group";

// Field `n` (from 0) of a ':'-separated line; false when it has fewer.
bool field(const char* line, size_t len, int n, const char** begin, size_t* flen) {
  size_t i = 0;
  for (; n > 0; ++i) {
    if (i == len) return false;
    if (line[i] == ':') --n;
  }
  size_t end = i;
  while (end < len && line[end] != ':') ++end;
  *begin = line + i;
  *flen = end - i;
  return true;
}

// Feeds the file at `path` to `f` until it is done. A missing file is an
// empty one: a scratch image may have no /etc/passwd.
template <class Finder>
Result search(const char* path, Finder* f) {
  Result r = read_file(path, [f](const char* p, size_t n) {
    f->feed(p, n);
    return !f->done();
  });
  f->finish();
  return r.code == Error::open && r.sys_errno == ENOENT ? Result::success() : r;
}

bool parse_id(const char* s, size_t n, uint32_t* out) {
  uint64_t v = 0;
  if (!text::parse_decimal(s, n, kMaxId, &v)) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

}  // namespace

void EntryFinder::feed(const char* text, size_t n) {
  for (size_t i = 0; i < n && !found_; ++i) {
    if (text[i] == '\n')
      end_line();
    else if (len_ < kHomeMax)
      line_[len_++] = text[i];
    else
      overflow_ = true;
  }
}

void EntryFinder::end_line() {
  // Of a line longer than the buffer only the fields ending within it count.
  if (overflow_)
    while (len_ > 0 && line_[len_ - 1] != ':') --len_;
  const char *name_text = nullptr, *id_text, *gid_text, *home_text = nullptr;
  size_t name_len = 0, id_len, gid_len, home_len = 0;
  uint32_t want = 0;
  if (key_len_ > 0 && len_ > 0 && line_[0] != '#' && field(line_, len_, 0, &name_text, &name_len) &&
      field(line_, len_, 2, &id_text, &id_len) && parse_id(id_text, id_len, &ids_[0]) &&
      (db_ == Db::group || (field(line_, len_, 3, &gid_text, &gid_len) && parse_id(gid_text, gid_len, &ids_[1]))))
    found_ = parse_id(key_, key_len_, &want) ? ids_[0] == want : text::equal(name_text, name_len, key_, key_len_);
  for (size_t i = 0; found_ && i < name_len && i + 1 < sizeof name_; ++i) name_[i] = name_text[i];
  if (found_ && db_ == Db::passwd) {
    bool has_home = field(line_, len_, 5, &home_text, &home_len) && home_len > 0;
    cut_ = (!has_home && overflow_) || name_len >= sizeof name_;
    // Moved to the front of the line, which is no longer needed.
    for (size_t i = 0; i < home_len && has_home; ++i) line_[i] = home_text[i];
    line_[0] = has_home ? line_[0] : '/';
    line_[has_home ? home_len : 1] = '\0';
  }
  len_ = 0;
  overflow_ = false;
}

void EntryFinder::finish() {
  if (!found_ && (len_ > 0 || overflow_)) end_line();
}

void MemberFinder::feed(const char* text, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    char c = text[i];
    if (c == '\n') {
      end_line();
    } else if (skip_) {
    } else if (colons_ < 3) {
      skip_ = (len_ == 0 && c == '#') || len_ == sizeof head_;
      if (c == ':') ++colons_;
      if (!skip_) head_[len_++] = c;
    } else if (c == ',') {
      end_member();
    } else if (match_ < user_len_ && c == user_[match_]) {
      ++match_;
    } else {
      differs_ = true;
    }
  }
}

void MemberFinder::end_member() {
  member_ = member_ || (!differs_ && match_ == user_len_ && user_len_ > 0);
  match_ = 0;
  differs_ = false;
}

void MemberFinder::end_line() {
  end_member();
  const char* gid_text;
  size_t gid_len;
  uint32_t gid;
  if (member_ && !skip_ && colons_ == 3 && field(head_, len_ - 1, 2, &gid_text, &gid_len) &&
      parse_id(gid_text, gid_len, &gid) && !contains(groups_, *count_, gid)) {
    if (*count_ == kMaxGroups)
      too_many_ = true;
    else
      groups_[(*count_)++] = gid;
  }
  len_ = 0;
  colons_ = 0;
  member_ = skip_ = false;
}

void MemberFinder::finish() {
  if (len_ > 0) end_line();
}

Result find_user(const char* key, size_t len, uint32_t* uid, uint32_t* gid) {
  EntryFinder f(key, len, Db::passwd);
  Result r = search(kPasswd, &f);
  if (r.ok() && !f.found()) r = Result::failure(Error::unknown_user).with_what(kPasswd);
  if (r.ok()) *uid = f.id(), *gid = f.group();
  return r;
}

Result find_group(const char* key, size_t len, uint32_t* gid) {
  if (parse_id(key, len, gid)) return Result::success();
  EntryFinder f(key, len, Db::group);
  Result r = search(kGroup, &f);
  if (r.ok() && !f.found()) r = Result::failure(Error::unknown_group).with_what(kGroup);
  if (r.ok()) *gid = f.id();
  return r;
}

Result resolve_user(const char* spec, User* out) {
  size_t len = 0;
  while (spec[len] != '\0' && spec[len] != ':') ++len;
  const char* group = spec[len] == ':' && spec[len + 1] != '\0' ? spec + len + 1 : nullptr;
  if (len == 0) return Result::failure(Error::bad_user);
  User u;
  EntryFinder f(spec, len, Db::passwd);
  Result r = search(kPasswd, &f);
  if (r.ok() && f.found() && f.home() == nullptr) r = Result::failure(Error::long_entry).with_what(kPasswd);
  if (!r.ok()) return r;
  if (f.found()) {
    u.uid = f.id(), u.gid = f.group();
    for (size_t i = 0; i == 0 || f.home()[i - 1] != '\0'; ++i) u.home[i] = f.home()[i];
  } else if (!parse_id(spec, len, &u.uid)) {
    return Result::failure(Error::unknown_user).with_what(kPasswd);
  } else if (group == nullptr) {
    return Result::failure(Error::user_without_group).with_what(kPasswd);
  } else {
    u.home[0] = '/';
  }
  if (group != nullptr) r = find_group(group, text::length(group), &u.gid);
  u.groups[0] = u.gid;
  u.group_count = 1;
  if (group == nullptr && f.found()) {
    // As initgroups(3): the primary gid and every group that lists the name.
    MemberFinder m(f.name(), text::length(f.name()), u.groups, &u.group_count);
    r = search(kGroup, &m);
    if (r.ok() && m.too_many()) r = Result::failure(Error::too_many_groups).with_what(kGroup);
  }
  if (r.ok()) *out = u;
  return r;
}

Result resolve_groups(const char* list, uint32_t (&groups)[kMaxGroups], int64_t* count, Word* bad) {
  Result r;
  int64_t n = 0;
  bool ok = text::for_each_word(list, text::length(list), bad, [&](const char* w, size_t len) {
    if (n == kMaxGroups) r = Result::failure(Error::too_many_groups);
    if (r.ok()) r = find_group(w, len, &groups[n++]);
    return r.ok();
  });
  if (ok) *count = n;
  return r;
}

}  // namespace capguard
