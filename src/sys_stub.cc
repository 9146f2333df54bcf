// The opens of the stub backend's build: the Linux build makes them raw, in
// sys_linux.cc.
#include <fcntl.h>

#include "sys.h"

namespace capguard::sys {

long open_read(const char* path) { return result(::open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)); }
long open_dir(int dir, const char* name) {
  return result(::openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

}  // namespace capguard::sys
