#include "capguard/users.h"

#include <errno.h>

#include "read_file.h"
#include "text.h"

namespace capguard {
namespace {

constexpr uint64_t kMaxId = 0xfffffffe;  // (uid_t)-1 means "no change" to the kernel

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

bool same(const char* a, size_t an, const char* b, size_t bn) {
  if (an != bn) return false;
  for (size_t i = 0; i < an; ++i)
    if (a[i] != b[i]) return false;
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
  return r.code == Error::proc_open && r.sys_errno == ENOENT ? Result{} : r;
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
      (!passwd_ || (field(line_, len_, 3, &gid_text, &gid_len) && parse_id(gid_text, gid_len, &ids_[1]))))
    found_ = parse_id(key_, key_len_, &want) ? ids_[0] == want : same(name, name_len, key_, key_len_);
  len_ = 0;
  overflow_ = false;
}

void EntryFinder::finish() {
  if (!found_ && (len_ > 0 || overflow_)) end_line();
}

Result find_user(const char* key, uint32_t* uid, uint32_t* gid) {
  EntryFinder f(key, text::length(key), true);
  Result r = search("/etc/passwd", &f);
  if (r.ok() && !f.found()) r = {Error::unknown_user};
  if (r.ok()) *uid = f.id(), *gid = f.group();
  return r;
}

Result find_group(const char* key, uint32_t* gid) {
  if (parse_id(key, text::length(key), gid)) return {};
  EntryFinder f(key, text::length(key), false);
  Result r = search("/etc/group", &f);
  if (r.ok() && !f.found()) r = {Error::unknown_group};
  if (r.ok()) *gid = f.id();
  return r;
}

}  // namespace capguard
