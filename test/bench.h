// Shared by the benchmark files.
#ifndef CAPGUARD_TEST_BENCH_H_
#define CAPGUARD_TEST_BENCH_H_

namespace capguard::bench {

// The last capability the running kernel has.
int kernel_last();

}  // namespace capguard::bench

#endif  // CAPGUARD_TEST_BENCH_H_
