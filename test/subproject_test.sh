#!/bin/bash
# capguard used as a Meson subproject: dependency('capguard') resolves through
# meson.override_dependency, builds, and the guard runs.
# usage: subproject_test.sh SOURCE_ROOT
set -eu
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/test/use-as-subproject/." "$work/"
mkdir -p "$work/subprojects/capguard"
cp -r "$src/meson.build" "$src/meson_options.txt" "$src/src" "$src/include" "$src/doc" "$work/subprojects/capguard/"
meson setup "$work/build" "$work" >"$work/setup.log" 2>&1 || { cat "$work/setup.log"; exit 1; }
meson compile -C "$work/build" >"$work/compile.log" 2>&1 || { cat "$work/compile.log"; exit 1; }
out=$("$work/build/consumer")
[ "$out" = guarded ] || { echo "consumer printed: $out"; exit 1; }
echo "consumer built with capguard as a subproject and ran"
