// capguard's benchmarks, with their floors: one raw capget(2), and a bare
// open+read+close of /proc/thread-self/status. Peers' equivalents are in
// bench_libcap.cc and bench_libcapng.cc, built when their -dev packages are.
// Run: meson test -C build --benchmark, or test/perf.sh for the ratios.
#include "bench.h"

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string>

#include "capguard/caps.h"
#include "capguard/format.h"
#include "capguard/guard.h"
#include "capguard/status.h"
#include "proc_status.h"

namespace capguard::bench {

int kernel_last() {
  int last = 40;
  (void)kernel_last_cap(&last);
  return last;
}

namespace {

void Floor_RawCapget(benchmark::State& st) {
  __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct d[2];
  for (auto _ : st) {
    syscall(SYS_capget, &h, d);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(Floor_RawCapget);

void Floor_OpenReadClose(benchmark::State& st) {
  char buf[4096];
  for (auto _ : st) {
    int fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, "/proc/thread-self/status", O_RDONLY | O_CLOEXEC));
    benchmark::DoNotOptimize(syscall(SYS_read, fd, buf, sizeof buf));
    syscall(SYS_close, fd);
  }
}
BENCHMARK(Floor_OpenReadClose);

void Capguard_ParseStatus(benchmark::State& st) {
  std::string text = test::slurp("/proc/thread-self/status");
  State s;
  for (auto _ : st) {
    benchmark::DoNotOptimize(parse_status(text.data(), text.size(), &s));
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(Capguard_ParseStatus);

void Capguard_ReadThreadProc(benchmark::State& st) {
  State s;
  for (auto _ : st) benchmark::DoNotOptimize(read_thread(&s));
}
BENCHMARK(Capguard_ReadThreadProc);

void Capguard_ReadThreadSyscalls(benchmark::State& st) {
  State s;
  for (auto _ : st) benchmark::DoNotOptimize(read_thread_syscalls(&s));
}
BENCHMARK(Capguard_ReadThreadSyscalls);

// The boot guard's check of effective, permitted and ambient. The allowlist
// holds everything so that no line is written: the cost is the read and
// the check, which a violation would only add a write to.
void Capguard_GuardCheck(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(guard(CapSet{~0ull}));
}
BENCHMARK(Capguard_GuardCheck);

void Capguard_FormatList(benchmark::State& st) {
  char buf[kFormatMax];
  for (auto _ : st) benchmark::DoNotOptimize(format_list(CapSet{0x1ffffffffff}, buf, sizeof buf));
}
BENCHMARK(Capguard_FormatList);

void Capguard_FormatJson(benchmark::State& st) {
  State s;
  (void)read_thread(&s);
  char buf[kFormatMax];
  for (auto _ : st) benchmark::DoNotOptimize(format_json(1, s, buf, sizeof buf));
}
BENCHMARK(Capguard_FormatJson);

}  // namespace
}  // namespace capguard::bench

BENCHMARK_MAIN();
