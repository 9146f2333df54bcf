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
prefix=$(meson introspect "$build" --buildoptions | python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
want=$(cd "$src/include/capguard" && ls)
got=$(ls "$dest$prefix/include/capguard")
[ "$got" = "$want" ] || { echo "installed headers differ from include/capguard/:"; diff <(echo "$want") <(echo "$got"); exit 1; }
[ -x "$dest$prefix/bin/capguard" ] || { echo "not installed: $prefix/bin/capguard"; exit 1; }
pc=$(find "$dest" -name capguard.pc)
[ -n "$pc" ] || { echo "no capguard.pc installed"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
ls "$libdir"/libcapguard.a "$libdir"/libcapguard.so >/dev/null
# Every function the headers declare CAPGUARD_EXPORT, and nothing else.
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
capguard::spawn"
[ "$exported" = "$(echo $api | tr ' ' '\n' | sort)" ] ||
  { echo "exported symbols differ from the public API:"; diff <(echo $api | tr ' ' '\n' | sort) <(echo "$exported"); exit 1; }
[ "$(grep -h CAPGUARD_EXPORT "$src"/include/capguard/*.h | grep -vc '^#define')" = "$(echo $api | wc -w)" ] ||
  { echo "the headers export a function this test does not list"; exit 1; }
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$dest pkg-config --cflags --libs capguard)
c++ -std=c++17 -fno-exceptions "$src/test/use-as-subproject/main.cc" $flags -o "$dest/consumer"
out=$(LD_LIBRARY_PATH=$libdir "$dest/consumer")
[ "$out" = guarded ] || { echo "consumer printed: $out"; exit 1; }
echo "installed; the library exports exactly the $(echo $api | wc -w) functions of the API; a program built with pkg-config ran"
