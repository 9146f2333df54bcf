// The backend for systems without Linux capabilities: nothing to read or
// drop (guard() in guard.cc says once that it did not check).
#include "capguard/caps.h"
#include "capguard/drop.h"
#include "capguard/execve.h"
#include "files.h"
#include "procs.h"
#include "sys.h"

namespace capguard {

Result read_thread(State*) { return Result::failure(Error::unsupported); }
Result read_thread_syscalls(State*, SetMask) { return Result::failure(Error::unsupported); }
Result read_pid(long, State*) { return Result::failure(Error::unsupported); }
Result count_threads(long*) { return Result::failure(Error::unsupported); }
Result kernel_last_cap(int*) { return Result::failure(Error::unsupported); }
Result read_file_caps(const char*, FileCaps*, Links) { return Result::failure(Error::unsupported); }
Result find_exec_file(const char*, char* const*, const Creds&, ExecFile*) {
  return Result::failure(Error::unsupported);
}
Result exec_file(ExecFile&, char**, size_t, char* const*) { return Result::failure(Error::unsupported); }
void scan_tree(const char*, void (*)(const ScanFile&, void*), void (*failed)(const Result&, void*), void* ctx) {
  failed(Result::failure(Error::unsupported), ctx);
}
Result walk_procs(void (*)(const Proc&, void*), void (*)(long, const Result&, void*), void*) {
  return Result::failure(Error::unsupported);
}
Result read_creds(Creds*, SetMask) { return Result::failure(Error::unsupported); }

Result apply(const Plan&) { return Result::failure(Error::unsupported); }
Result apply_on_calling_thread(const Plan&) { return Result::failure(Error::unsupported); }
Result check_plan(const Plan&) { return Result::failure(Error::unsupported); }
Result run_as_init(const Plan&, int (*)(void*), void*, int*) { return Result::failure(Error::unsupported); }
// Without /proc/self/exe to look at, any caller whose ids differ is refused.
Result check_caller() { return sys::ids_differ() ? Result::failure(Error::setid_caller) : Result::success(); }
Result spawn(const Plan&, const char*, char* const*, char* const*, long*) {
  return Result::failure(Error::unsupported);
}

}  // namespace capguard
