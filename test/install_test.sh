#!/bin/bash
# `meson install` puts every public header, both libraries, a pkg-config file
# and the command in place; the shared library exports exactly the public API;
# a program builds against it with pkg-config alone.
# usage: install_test.sh BUILD_ROOT SOURCE_ROOT
set -eu
build=$1 src=$2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
meson install -C "$build" --destdir "$dest" --no-rebuild >"$dest/install.log" 2>&1 || { cat "$dest/install.log"; exit 1; }
option() { meson introspect "$build" --buildoptions | python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == sys.argv[1]))' "$1"; }
prefix=$(option prefix)
backend=$(option caps_backend)
want=$(cd "$src/include/capguard" && ls)
got=$(ls "$dest$prefix/include/capguard")
[ "$got" = "$want" ] || { echo "installed headers differ from include/capguard/:"; diff <(echo "$want") <(echo "$got"); exit 1; }
[ -f "$dest$prefix/include/capguard.h" ] || { echo "not installed: $prefix/include/capguard.h"; exit 1; }
[ -x "$dest$prefix/bin/capguard" ] || { echo "not installed: $prefix/bin/capguard"; exit 1; }
for page in man1/capguard.1 man3/capguard.3; do
  [ -f "$dest$prefix/share/man/$page" ] || { echo "not installed: $prefix/share/man/$page"; exit 1; }
done
pc=$(find "$dest" -name capguard.pc)
[ -n "$pc" ] || { echo "no capguard.pc installed"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
ls "$libdir"/libcapguard.a "$libdir"/libcapguard.so >/dev/null
# Every function the headers declare CAPGUARD_EXPORT, and nothing else.
# The C ABI's functions, declared CAPGUARD_API in capguard.h, among them.
exported=$(nm -D --defined-only "$libdir/libcapguard.so" | awk '{ print $3 }' | c++filt | sed 's/(.*//' | sort)
api="capguard::apply capguard::apply_on_calling_thread capguard::cap_name capguard::check_caller capguard::check_plan
capguard::count_threads
capguard::error_message capguard::error_needs capguard::exec_file capguard::exec_path capguard::find_exec_file capguard::find_group
capguard::find_user capguard::format_cap_table capguard::format_decode capguard::format_error capguard::format_exec
capguard::format_exec_json capguard::format_file_json capguard::format_getcap capguard::format_json
capguard::format_list capguard::format_show capguard::format_violation capguard::guard capguard::init_plan
capguard::kernel_last_cap capguard::parse_cap capguard::parse_cap_list capguard::parse_file_caps capguard::parse_hex
capguard::parse_set_list capguard::parse_status capguard::planned_creds capguard::predict_exec capguard::read_creds
capguard::read_file_caps capguard::read_pid capguard::read_thread
capguard::read_thread_syscalls capguard::resolve_groups capguard::resolve_user capguard::run_as_init capguard::set_name
capguard::spawn
capguard_apply_on_calling_thread capguard_cap_name capguard_exec capguard_format_caps capguard_format_violation
capguard_parse_caps capguard_plan_init capguard_predict_exec capguard_read_pid capguard_read_self capguard_spawn capguard_strerror
capguard_violations"
[ "$exported" = "$(echo $api | tr ' ' '\n' | sort)" ] ||
  { echo "exported symbols differ from the public API:"; diff <(echo $api | tr ' ' '\n' | sort) <(echo "$exported"); exit 1; }
[ "$(grep -h -e CAPGUARD_EXPORT -e CAPGUARD_API "$src"/include/capguard/*.h "$src/include/capguard.h" | grep -vc '^#define')" = "$(echo $api | wc -w)" ] ||
  { echo "the headers export a function this test does not list"; exit 1; }
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$dest pkg-config --cflags --libs capguard)
c++ -std=c++17 -fno-exceptions "$src/test/use-as-subproject/main.cc" $flags -o "$dest/consumer"
out=$(LD_LIBRARY_PATH=$libdir "$dest/consumer")
[ "$out" = guarded ] || { echo "consumer printed: $out"; exit 1; }
# The C ABI from C99, pedantic, linked shared and static; as root, its drop
# compared with the command's on the same state; no heap (valgrind).
for link in shared static; do
  libs=$flags
  [ $link = static ] && libs="$(PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$dest pkg-config --cflags capguard) $libdir/libcapguard.a"
  cc -std=c99 -Wall -Wextra -pedantic -Werror "$src/test/c_api_test.c" $libs -o "$dest/c_api_$link"
  [ "$backend" = stub ] && continue
  out=$(LD_LIBRARY_PATH=$libdir "$dest/c_api_$link" checks) || { echo "c_api_test checks ($link):"; echo "$out"; exit 1; }
  # What `cat` will hold, predicted, is what grep, run the same way, holds.
  want=$(grep -E '^Cap' /proc/self/status)
  got=$(LD_LIBRARY_PATH=$libdir "$dest/c_api_$link" predict cat | grep -v '^error 0$')
  [ "$got" = "$want" ] || { echo "capguard_predict_exec ($link) differs from what cat holds:"; diff <(echo "$want") <(echo "$got"); exit 1; }
  if [ "$(id -u)" = 0 ]; then
    held() { grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|Uid|Gid|Groups|NoNewPrivs):'; }
    want=$("$build/capguard" exec --keep net_bind_service --user 1000:1000 --no-new-privs -- cat /proc/self/status | held)
    for form in exec spawn; do
      got=$(LD_LIBRARY_PATH=$libdir "$dest/c_api_$link" $form | held)
      [ -n "$want" ] && [ "$got" = "$want" ] ||
        { echo "capguard_$form ($link) holds other than capguard exec:"; diff <(echo "$want") <(echo "$got"); exit 1; }
    done
  fi
done
[ "$backend" = stub ] && echo "the stub backend reads and drops nothing: the C ABI was built, not run"
if command -v valgrind >/dev/null && [ "$backend" != stub ]; then
  log=$(LD_LIBRARY_PATH=$libdir valgrind --vgdb=no "$dest/c_api_shared" checks 2>&1 >/dev/null)
  echo "$log" | grep -q 'total heap usage: 0 allocs, 0 frees, 0 bytes allocated' ||
    { echo "the C ABI allocates:"; echo "$log" | grep 'heap usage'; exit 1; }
fi
# The header compiles as C++ too.
printf '#include <capguard.h>\nint main() { capguard_plan p = CAPGUARD_PLAN_INIT; return p.size == sizeof p ? 0 : 1; }\n' |
  c++ -std=c++17 -Wall -Wextra -pedantic -Werror -x c++ - $flags -o "$dest/c_api_cxx"
LD_LIBRARY_PATH=$libdir "$dest/c_api_cxx"
echo "installed; the library exports exactly the $(echo $api | wc -w) functions of the API; a program built with pkg-config ran; the C ABI ran from C99, shared and static, and from C++"
