#!/bin/bash
# What an auditor checks by hand, as TAP: no heap, exception or iostream
# symbol in the library, the name table in .rodata, zero heap allocations at
# run time, and a static binary that is static.
# usage: audit_test.sh CAPGUARD LIBCAPGUARD.a STATIC(true|false)
# NM and OBJDUMP name the binutils for the build's target (default nm, objdump);
# CAPGUARD_SANITIZE and CAPGUARD_BACKEND are the build's b_sanitize and backend.
set -u
CG=$1 LIB=$2 STATIC=$3 NM=${NM:-nm} OBJDUMP=${OBJDUMP:-objdump}
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
need() { command -v "$1" >/dev/null || { not_ok "$1 is installed" "install it: apt-get install $2"; done_testing; }; }
need "$NM" binutils
need valgrind valgrind

forbidden='_Znwm|_Znam|_ZdlPv|_ZdaPv|\bmalloc\b|\bcalloc\b|\brealloc\b|\bfree\b|basic_ostream|ios_base|__cxa_throw|__cxa_guard|__gxx_personality|__cxa_atexit'
bad=$("$NM" -u "$LIB" 2>/dev/null | grep -E "$forbidden" | sort -u | tr '\n' ' ')
[ -z "$bad" ] && ok "library references no heap, exception, guard or iostream symbol" || not_ok "library references no heap symbol" "$bad"
# gcc has no -Werror=global-constructors: look for what a static constructor leaves.
ctors=$("$NM" "$LIB" 2>/dev/null | grep -E '_GLOBAL__sub_I|__cxa_atexit' | sort -u | tr '\n' ' ')
[ -z "$ctors" ] && ok "library has no static constructors or destructors" || not_ok "no static constructors" "$ctors"
bad=$("$NM" "$CG" 2>/dev/null | grep -E "$forbidden" | sort -u | tr '\n' ' ')
if [ "$STATIC" = true ]; then
  [ -z "$bad" ] && ok "static binary contains no allocator at all" || not_ok "static binary contains no allocator" "$bad"
  ldd_out=$(ldd "$CG" 2>&1)
  case "$ldd_out" in *"not a dynamic executable"*) ok "ldd calls the binary not dynamic" ;; *) not_ok "ldd calls the binary not dynamic" "$ldd_out" ;; esac
fi

# With -fdata-sections the table has a .rodata.<symbol> section of its own
# (the object's; with -flto also a .gnu.lto_ section of the same name).
section=$("$OBJDUMP" -t "$LIB" | awk '$3 == "O" && /kCapNames/ { print $4 }' | sort -u)
case "$section" in
  .rodata | .rodata.*) ok "the name table is in .rodata" ;;
  *) not_ok "the name table is in .rodata" "section: '$section'" ;;
esac
rel=$("$OBJDUMP" -r -j "${section:-.rodata}" "$LIB" 2>/dev/null | grep -c R_ || true)
[ "$rel" = 0 ] && ok "the name table needs no relocations" || not_ok "the name table needs no relocations" "$rel relocations"

if [ "$STATIC" = true ]; then
  done_testing  # valgrind cannot see a static binary's allocator
fi
if [ "${CAPGUARD_SANITIZE:-none}" != none ]; then
  skip "valgrind runs" "a sanitized binary does not run under valgrind (its runtime must come first); the plain build runs them"
  done_testing
fi
# exec runs every step of the drop, then cannot run its command, which only
# root may execute, so that valgrind sees the process exit rather than exec
# away.
rootonly=$(mktemp)
trap 'rm -f "$rootonly"' EXIT
chmod 700 "$rootonly"
# clean NAME COMMAND...: COMMAND, a valgrind run, reports no error (the use
# of an uninitialised byte, too) and no heap allocation; its stderr is left
# in $log.
clean() {
  local what=$1 rc usage
  shift
  log=$("$@" 2>&1 >/dev/null)
  rc=$?
  # One summary for each process that exits under valgrind: with --init, the
  # init's, and its child's when the child exits rather than exec.
  usage=$(echo "$log" | grep -o 'total heap usage: .*')
  if [ $rc != 99 ] && [ -n "$usage" ] && ! echo "$usage" | grep -qv 'total heap usage: 0 allocs, 0 frees, 0 bytes allocated'; then
    ok "valgrind: no error and zero heap allocations in '$what'"
  else
    not_ok "valgrind: no error and zero heap allocations in '$what'" "rc=$rc" "$usage"
  fi
}
vg=(valgrind --vgdb=no --error-exitcode=99)
for args in "show" "show --json" "show 1" "check --allow none --sets inheritable" "check --allow none" "decode ffff" "list" \
    "check --allow bogus" "exec --keep net_bind_service --user nobody --groups daemon --no-new-privs --lock -- $rootonly" \
    "exec --keep all --user nobody -- $rootonly" "exec --keep none --user nobody --dry-run -- /bin/true" \
    "check --allow all -- /nonexistent" "show --exec /bin/true --json" "file /bin/true /nonexistent" "scan /usr/bin" \
    "exec --init --keep net_bind_service --user nobody -- $rootonly" "check --init --allow all -- /bin/true" \
    "ps --json" "ps --allow none"; do
  clean "$args" "${vg[@]}" "$CG" $args
done
# As uid 1000 under hidepid=1, root's processes are not read: valgrind
# watches the line that counts and names them being built.
if [ "${CAPGUARD_BACKEND:-linux}" != linux ]; then
  skip "valgrind: ps's line of processes not read" "ps needs the Linux backend"
  done_testing
fi
mount_ns "valgrind: ps's line of processes not read"
clean "ps, as uid 1000 under hidepid=1" unshare -m --propagation private -- sh -c \
  'mount -t proc -o hidepid=1 proc /proc && exec setpriv --reuid=1000 --regid=1000 --clear-groups -- "$@"' sh "${vg[@]}" "$CG" ps
case "$log" in
  *"capguard: ps: "*" processes not read (1,"*) ok "... and that line was written" ;;
  *) not_ok "... and that line was written" "$log" ;;
esac
done_testing
