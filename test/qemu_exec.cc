// The shell tests' CAPGUARD in a cross build: runs the cross-built capguard
// under the cross file's exe_wrapper (qemu-user) with the arguments and the
// environment it was given, for a machine without a binfmt_misc handler. Not
// a script: dash would reset an effective uid other than the real one, drop
// bash's exported functions and add PWD to the environment.
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char* argv[]) {
  char** args = static_cast<char**>(calloc(static_cast<size_t>(argc) + 2, sizeof(char*)));
  if (args == nullptr) return 127;
  args[0] = const_cast<char*>(CAPGUARD_QEMU);
  args[1] = const_cast<char*>(CAPGUARD_BINARY);
  for (int i = 1; i < argc; ++i) args[i + 1] = argv[i];
  execv(args[0], args);
  return 127;
}
