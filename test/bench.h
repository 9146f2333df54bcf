// Shared by the benchmark files: the status text of the calling thread.
#ifndef CAPGUARD_TEST_BENCH_H_
#define CAPGUARD_TEST_BENCH_H_

#include <string>

namespace capguard::bench {

std::string thread_status();

// The last capability the running kernel has.
int kernel_last();

}  // namespace capguard::bench

#endif  // CAPGUARD_TEST_BENCH_H_
