#include "capguard/exec.h"

#include <errno.h>

#include "files.h"
#include "sys.h"
#include "text.h"

namespace capguard {
namespace {

constexpr char kDefaultPath[] = "/usr/local/bin:/bin:/usr/bin";  // musl's, and glibc's less "."

const char* find_path(char* const envp[]) {
  for (; envp != nullptr && *envp != nullptr; ++envp)
    if (text::starts_with(*envp, "PATH=")) return *envp + 5;
  return kDefaultPath;
}

}  // namespace

Result search_path(const char* file, char* const envp[], char (&path)[kPathMax],
                   long (*attempt)(const char* path, void* ctx), void* ctx) {
  bool has_slash = false;
  for (const char* p = file; *p != '\0'; ++p) has_slash = has_slash || *p == '/';
  if (*file == '\0') return Result::sys_failure(Error::exec_not_found, "execve", -ENOENT);
  size_t file_len = text::length(file);
  if (file_len >= kPathMax) return Result::sys_failure(Error::exec_failed, "execve", -ENAMETOOLONG);
  if (has_slash) {
    text::Writer w(path, sizeof path);
    w.put(file, file_len);
    (void)w.finish();
    long rc = attempt(path, ctx);
    if (rc == 0) return Result::success();
    if (rc == -ENOENT || rc == -ENOTDIR) return Result::sys_failure(Error::exec_not_found, "execve", rc);
    return Result::sys_failure(rc == -EACCES ? Error::exec_denied : Error::exec_failed, "execve", rc);
  }
  bool denied = false;
  for (const char* dir = find_path(envp);; ++dir) {
    const char* end = dir;
    while (*end != '\0' && *end != ':') ++end;
    size_t dir_len = static_cast<size_t>(end - dir);
    if (dir_len > 0 && dir_len + 1 + file_len < kPathMax) {
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
  char path[kPathMax];
  return search_path(
      file, envp, path,
      [](const char* p, void* ctx) {
        auto* c = static_cast<Call*>(ctx);
        return sys::execve(p, c->argv, c->envp);
      },
      &call);
}

}  // namespace capguard
