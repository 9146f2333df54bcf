#include "capguard/users.h"

#include <errno.h>

#include "entry_finder.h"
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

// Feeds the file at `path` to `f` until it finds the entry. A missing file
// is an empty one: a scratch image may have no /etc/passwd.
Result search(const char* path, EntryFinder* f) {
  Result r = read_file(path, [f](const char* p, size_t n) {
    f->feed(p, n);
    return !f->found();
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
    else if (len_ < kPrefixMax)
      line_[len_++] = text[i];
    else
      overflow_ = true;
  }
}

void EntryFinder::end_line() {
  // Of a line longer than the prefix only the fields ending within it count.
  if (overflow_)
    while (len_ > 0 && line_[len_ - 1] != ':') --len_;
  const char* name;
  const char* id_text;
  const char* gid_text;
  size_t name_len, id_len, gid_len;
  uint32_t want = 0;
  if (key_len_ > 0 && field(line_, len_, 0, &name, &name_len) && field(line_, len_, 2, &id_text, &id_len) &&
      parse_id(id_text, id_len, &ids_[0]) &&
      (db_ == Db::group || (field(line_, len_, 3, &gid_text, &gid_len) && parse_id(gid_text, gid_len, &ids_[1]))))
    found_ = parse_id(key_, key_len_, &want) ? ids_[0] == want : text::equal(name, name_len, key_, key_len_);
  len_ = 0;
  overflow_ = false;
}

void EntryFinder::finish() {
  if (!found_ && (len_ > 0 || overflow_)) end_line();
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

Result resolve_user(const char* spec, Plan* plan) {
  size_t len = 0;
  while (spec[len] != '\0' && spec[len] != ':') ++len;
  const char* group = spec[len] == ':' ? spec + len + 1 : nullptr;
  if (len == 0 || (group != nullptr && *group == '\0')) return Result::failure(Error::bad_user);
  uint32_t uid = 0, gid = 0;
  Result r = find_user(spec, len, &uid, &gid);
  if (r.code == Error::unknown_user && parse_id(spec, len, &uid)) {
    if (group == nullptr) return Result::failure(Error::user_without_group).with_what(kPasswd);
    r = Result::success();
  }
  if (r.ok() && group != nullptr) r = find_group(group, text::length(group), &gid);
  if (r.ok()) plan->uid = uid, plan->gid = gid;
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
