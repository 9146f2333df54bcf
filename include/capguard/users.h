// capguard: user and group names from /etc/passwd and /etc/group, read
// directly: a static binary has no NSS, and a scratch image no nsswitch.conf.
// Every function here is async-signal-safe (raw reads into stack buffers).
#ifndef CAPGUARD_USERS_H_
#define CAPGUARD_USERS_H_

#include <stddef.h>
#include <stdint.h>

#include "capguard/drop.h"
#include "capguard/error.h"
#include "capguard/names.h"

namespace capguard {

// `key[0..len)`, a name or a decimal number, in /etc/passwd: its uid and
// primary gid. A missing file has no entries. Errors: unknown_user, open,
// read (`what` "/etc/passwd").
CAPGUARD_EXPORT Result find_user(const char* key, size_t len, uint32_t* uid, uint32_t* gid);

// `key[0..len)` in /etc/group; a number needs no entry. Errors:
// unknown_group, open, read (`what` "/etc/group").
CAPGUARD_EXPORT Result find_group(const char* key, size_t len, uint32_t* gid);

// Room for a home directory, and for the passwd(5) line that holds it.
inline constexpr size_t kHomeMax = 1024;

// Who `capguard exec --user SPEC` runs a program as.
struct User {
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint32_t groups[kMaxGroups] = {};  // the supplementary groups
  int64_t group_count = 0;
  char home[kHomeMax] = {};  // for HOME
};

// SPEC as Docker's --user takes it and gosu implements it: USER, UID,
// USER:GROUP, UID:GID and mixes; "USER:" is USER. A word of digits is an id,
// any other a name that must exist. USER or UID is looked up in /etc/passwd
// (find_user()): its uid, and unless GROUP is given its gid and, as
// initgroups(3) does, the supplementary groups: that gid and each
// /etc/group entry that lists the user. A GROUP gives the gid and the only
// supplementary group. A UID without an entry needs a GID (never a silent
// gid 0), and its home is "/"; UID:GID needs no file at all. Errors: bad_user
// (no USER), user_without_group, long_entry (a name or home that does not fit),
// too_many_groups, and those of find_user() and find_group().
CAPGUARD_EXPORT Result resolve_user(const char* spec, User* out);

// A comma list of group names or numbers, as find_group() takes them, into
// `groups[0..*count)`. On unknown_group `*bad` is the word (possibly empty);
// too_many_groups past kMaxGroups; open, read.
CAPGUARD_EXPORT Result resolve_groups(const char* list, uint32_t (&groups)[kMaxGroups], int64_t* count, Word* bad);

}  // namespace capguard

#endif  // CAPGUARD_USERS_H_
