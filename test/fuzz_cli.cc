// libFuzzer: the CLI's argument handling, in-process over fuzz_sys.cc. The
// input is argv, its words separated by NUL bytes. Any exit status is fine;
// a crash, a hang or a read out of bounds is not.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr int kMaxArgs = 32;
  static char text[4096];
  if (size >= sizeof text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  char name[] = "capguard";
  char* argv[kMaxArgs + 2] = {name};
  int argc = 1;
  for (size_t i = 0; i <= size && argc <= kMaxArgs; ++i) {
    argv[argc++] = text + i;
    while (i < size && text[i] != '\0') ++i;
  }
  argv[argc] = nullptr;
  (void)capguard::cli_main(argc, argv);
  return 0;
}
