#!/bin/bash
# Static analysis of src/: clang-tidy with ../.clang-tidy, and cppcheck with
# the options below. Any finding fails. usage: test/lint.sh BUILD (for its
# compile_commands.json and config.h)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
clang-tidy -p "$build" --quiet src/*.cc 2> >(grep -v "warnings generated" >&2)
# cppcheck: warnings, style, performance and portability; system headers are
# not its business (missingIncludeSystem).
cppcheck --enable=warning,style,performance,portability --std=c++17 --error-exitcode=1 --inline-suppr \
  --suppress=missingIncludeSystem --quiet -I include -I src -I "$build" src/*.cc
echo "clang-tidy and cppcheck: no findings in src/"
