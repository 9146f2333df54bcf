#include "capguard/exec.h"

#include <errno.h>

#include "files.h"
#include "sys.h"
#include "text.h"

namespace capguard {
namespace {

// PATH_MAX on Linux: execve(2) refuses longer paths anyway (ENAMETOOLONG).
constexpr size_t kPathMax = 4096;
constexpr char kDefaultPath[] = "/usr/local/bin:/bin:/usr/bin";  // musl's, and glibc's less "."

const char* find_path(char* const envp[]) {
  for (; envp != nullptr && *envp != nullptr; ++envp)
    if (text::starts_with(*envp, "PATH=")) return *envp + 5;
  return kDefaultPath;
}

}  // namespace

Result search_path(const char* file, char* const envp[], long (*attempt)(const char* path, void* ctx), void* ctx) {
  bool has_slash = false;
  for (const char* p = file; *p != '\0'; ++p) has_slash = has_slash || *p == '/';
  if (*file == '\0') return Result::sys_failure(Error::exec_not_found, "execve", -ENOENT);
  if (has_slash) {
    long rc = attempt(file, ctx);
    if (rc == 0) return Result::success();
    if (rc == -ENOENT || rc == -ENOTDIR) return Result::sys_failure(Error::exec_not_found, "execve", rc);
    return Result::sys_failure(rc == -EACCES ? Error::exec_denied : Error::exec_failed, "execve", rc);
  }
  size_t file_len = text::length(file);
  if (file_len + 1 >= kPathMax) return Result::sys_failure(Error::exec_failed, nullptr, -ENAMETOOLONG);
  bool denied = false;
  for (const char* dir = find_path(envp);; ++dir) {
    const char* end = dir;
    while (*end != '\0' && *end != ':') ++end;
    size_t dir_len = static_cast<size_t>(end - dir);
    if (dir_len > 0 && dir_len + 1 + file_len < kPathMax) {
      char path[kPathMax];
      text::Writer w(path, sizeof path);
      w.put(dir, dir_len);
      w.put('/');
      w.put(file, file_len);
      (void)w.finish();
      long rc = attempt(path, ctx);
      if (rc == 0) return Result::success();
      if (rc == -EACCES) {
        denied = true;
      } else if (rc != -ENOENT && rc != -ENOTDIR) {
        return Result::sys_failure(Error::exec_failed, "execve", rc);
      }
    }
    if (*end == '\0') break;
    dir = end;
  }
  return denied ? Result::sys_failure(Error::exec_denied, "execve", -EACCES)
                : Result::sys_failure(Error::exec_not_found, "execve", -ENOENT);
}

Result exec_path(const char* file, char* const argv[], char* const envp[]) {
  struct Call {
    char* const* argv;
    char* const* envp;
  } call{argv, envp};
  return search_path(
      file, envp,
      [](const char* path, void* ctx) {
        auto* c = static_cast<Call*>(ctx);
        return sys::execve(path, c->argv, c->envp);
      },
      &call);
}

Result with_env(char* const envp[], char* entry, char* (&out)[kEnvMax + 1]) {
  size_t name = 0, n = 0;
  while (entry[name] != '=' && entry[name] != '\0') ++name;
  ++name;  // with the '=' (or the NUL of an entry without one)
  for (; envp != nullptr && *envp != nullptr; ++envp) {
    // Stops at the first byte that differs, so at the end of a shorter one.
    if (text::equal(*envp, name, entry, name)) continue;
    if (n == kEnvMax - 1) return Result::failure(Error::too_many_env);
    out[n++] = *envp;
  }
  out[n] = entry;
  out[n + 1] = nullptr;
  return Result::success();
}

}  // namespace capguard
