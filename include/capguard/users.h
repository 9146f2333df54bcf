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

// A user as `capguard exec --user` takes it, USER, UID, USER:GROUP or
// UID:GID, into `plan`'s uid and gid. A USER or UID is looked up with
// find_user(); a UID without an entry needs a GID (never a silent gid 0). A
// GROUP is looked up with find_group() and replaces the entry's gid. On
// error `plan` is untouched. Errors: bad_user (an empty part),
// user_without_group, and those of find_user() and find_group().
CAPGUARD_EXPORT Result resolve_user(const char* spec, Plan* plan);

// A comma list of group names or numbers, as find_group() takes them, into
// `groups[0..*count)`. On unknown_group `*bad` is the word (possibly empty);
// too_many_groups past kMaxGroups; open, read.
CAPGUARD_EXPORT Result resolve_groups(const char* list, uint32_t (&groups)[kMaxGroups], int64_t* count, Word* bad);

}  // namespace capguard

#endif  // CAPGUARD_USERS_H_
