// libcap doing capguard's jobs (benchmark only; the library never links it).
#include <benchmark/benchmark.h>
#include <sys/capability.h>

#include "bench.h"

namespace capguard::bench {
namespace {

// The guard's job: is anything outside the allowlist effective or permitted
// (and, with kAmbient, ambient: libcap's cap_t has no ambient set, so it is
// asked one capability at a time, as capguard's whole job needs).
template <bool kAmbient>
void Libcap_Check(benchmark::State& st) {
  int last = kernel_last();
  for (auto _ : st) {
    cap_t caps = cap_get_proc();
    int held = 0;
    for (int c = 0; c <= last; ++c) {
      cap_flag_value_t e, p;
      cap_get_flag(caps, c, CAP_EFFECTIVE, &e);
      cap_get_flag(caps, c, CAP_PERMITTED, &p);
      held += e + p + (kAmbient ? cap_get_ambient(c) : 0);
    }
    benchmark::DoNotOptimize(held);
    cap_free(caps);
  }
}
BENCHMARK(Libcap_Check<false>)->Name("Libcap_GetProcGetFlag");
BENCHMARK(Libcap_Check<true>)->Name("Libcap_GetProcGetFlagAmbient");

void Libcap_ToText(benchmark::State& st) {
  cap_t caps = cap_get_proc();
  for (auto _ : st) {
    char* text = cap_to_text(caps, nullptr);
    benchmark::DoNotOptimize(text);
    cap_free(text);
  }
  cap_free(caps);
}
BENCHMARK(Libcap_ToText);

}  // namespace
}  // namespace capguard::bench
