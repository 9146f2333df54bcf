// libFuzzer: the CLI's argument handling, in-process over fuzz_sys.cc. The
// first byte picks which fake system calls fail; the rest is argv, its words
// separated by NUL bytes, each in a heap block of its own size so that ASan
// sees any read past a word. The exit status must be one the CLI documents,
// and nothing may be executed after a failed step (fuzz_sys.cc traps).
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

namespace capguard::sys {
extern unsigned fuzz_failures;  // fuzz_sys.cc
extern bool fuzz_failed;
}  // namespace capguard::sys

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr int kMaxArgs = 32;
  if (size == 0) return 0;
  capguard::sys::fuzz_failures = data[0];
  capguard::sys::fuzz_failed = false;
  const char* text = reinterpret_cast<const char*>(data) + 1;
  size_t n = size - 1;
  char name[] = "capguard";
  char* argv[kMaxArgs + 2] = {name};
  int argc = 1;
  for (size_t i = 0; i <= n && argc <= kMaxArgs;) {
    size_t len = 0;
    while (i + len < n && text[i + len] != '\0') ++len;
    char* word = static_cast<char*>(malloc(len + 1));
    memcpy(word, text + i, len);
    word[len] = '\0';
    argv[argc++] = word;
    i += len + 1;
  }
  argv[argc] = nullptr;
  int status = capguard::cli_main(argc, argv);
  for (int i = 1; i < argc; ++i) free(argv[i]);
  if (status != 0 && status != 1 && status != 2 && status != 3 && status != 126 && status != 127) __builtin_trap();
  return 0;
}
