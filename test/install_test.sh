#!/bin/bash
# `meson install` puts the headers, both libraries, a pkg-config file and the
# command in place, and a program builds against them with pkg-config alone.
# usage: install_test.sh BUILD_ROOT SOURCE_ROOT
set -eu
build=$1 src=$2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
meson install -C "$build" --destdir "$dest" --no-rebuild >"$dest/install.log" 2>&1 || { cat "$dest/install.log"; exit 1; }
prefix=$(meson introspect "$build" --buildoptions | python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
for f in include/capguard/capset.h include/capguard/caps.h include/capguard/drop.h include/capguard/error.h \
         include/capguard/exec.h include/capguard/format.h include/capguard/guard.h include/capguard/names.h \
         include/capguard/policy.h include/capguard/status.h include/capguard/users.h bin/capguard; do
  [ -e "$dest$prefix/$f" ] || { echo "not installed: $prefix/$f"; exit 1; }
done
pc=$(find "$dest" -name capguard.pc)
[ -n "$pc" ] || { echo "no capguard.pc installed"; exit 1; }
ls "$(dirname "$(dirname "$pc")")"/libcapguard.a "$(dirname "$(dirname "$pc")")"/libcapguard.so >/dev/null
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$dest pkg-config --cflags --libs capguard)
c++ -std=c++17 -fno-exceptions "$src/test/use-as-subproject/main.cc" $flags -o "$dest/consumer"
out=$(LD_LIBRARY_PATH=$(dirname "$(dirname "$pc")") "$dest/consumer")
[ "$out" = guarded ] || { echo "consumer printed: $out"; exit 1; }
echo "installed, and a program built with pkg-config --cflags --libs capguard ran"
