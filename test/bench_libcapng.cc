// libcap-ng doing capguard's jobs (benchmark only; the library never links it).
#include <benchmark/benchmark.h>
#include <cap-ng.h>

#include "bench.h"

namespace capguard::bench {
namespace {

// The guard's job: is anything outside the allowlist effective or permitted?
void Libcapng_GetCapsHaveCapability(benchmark::State& st) {
  int last = kernel_last();
  for (auto _ : st) {
    capng_clear(CAPNG_SELECT_BOTH);
    capng_get_caps_process();
    int held = 0;
    for (int c = 0; c <= last; ++c)
      held += capng_have_capability(CAPNG_EFFECTIVE, static_cast<unsigned>(c)) +
              capng_have_capability(CAPNG_PERMITTED, static_cast<unsigned>(c));
    benchmark::DoNotOptimize(held);
  }
}
BENCHMARK(Libcapng_GetCapsHaveCapability);

}  // namespace
}  // namespace capguard::bench
