// The capguard command as a function, so that it can run in-process: main()
// calls it, and so does the fuzzer, over a fake sys layer.
#ifndef CAPGUARD_SRC_CLI_H_
#define CAPGUARD_SRC_CLI_H_

namespace capguard {

// Runs `capguard argv[1] ...`, writing to fds 1 and 2; returns the exit
// status, or does not return when it executes a command. argv[argc] is
// null, as main()'s is.
int cli_main(int argc, char** argv);

}  // namespace capguard

#endif  // CAPGUARD_SRC_CLI_H_
