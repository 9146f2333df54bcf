#!/bin/bash
# Checks of the tree: every tracked file where README.md's Layout puts it;
# static analysis of src/ with clang-tidy (../.clang-tidy) and cppcheck (the
# options below); the C++ formatted as ../.clang-format says. Each check runs;
# any finding fails. usage: test/lint.sh BUILD (for its compile_commands.json
# and config.h)
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
failed=0
fail() { echo "lint.sh: $1" >&2; failed=1; }

# Layout (README.md, "Layout"): at the top only .ci/, .clang-tidy,
# .clang-format, .gitignore, LICENSE, README.md, meson.build,
# meson_options.txt, doc/, include/, src/, subprojects/ and test/. A stray
# file (a mistyped redirect writes one) fails here, by name.
if [ "$(git rev-parse --show-toplevel 2>/dev/null)" != "$(pwd -P)" ]; then
  fail "$(pwd -P) is not a git checkout: cannot list the tracked files to check the layout"
else
  stray=$(git ls-files | grep -vE '^(\.ci|doc|include|src|subprojects|test)/|^(\.clang-tidy|\.clang-format|\.gitignore|LICENSE|README\.md|meson\.build|meson_options\.txt)$')
  [ -z "$stray" ] || fail "tracked files outside the layout:"$'\n'"$stray"
fi

clang-tidy -p "$build" --quiet src/*.cc 2> >(grep -v "warnings generated" >&2) || fail "clang-tidy found problems in src/"
# cppcheck: warnings, style, performance and portability; system headers are
# not its business (missingIncludeSystem).
cppcheck --enable=warning,style,performance,portability --std=c++17 --error-exitcode=1 --inline-suppr \
  --suppress=missingIncludeSystem --quiet -I include -I src -I "$build" src/*.cc || fail "cppcheck found problems in src/"

clang-format --dry-run -Werror src/*.cc src/*.h include/*.h include/capguard/*.h test/*.cc test/*.h ||
  fail "clang-format would change the lines above"
# The man pages, as mandoc(1) reads them, to its style level.
mandoc -T lint -W style doc/capguard.1 doc/capguard.3 || fail "mandoc -T lint found problems in doc/"

[ "$failed" = 0 ] && echo "lint.sh: layout, clang-tidy, cppcheck, clang-format and mandoc: no findings"
exit "$failed"
