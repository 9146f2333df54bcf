// Reading a whole file through the sys layer in fixed-size pieces.
#ifndef CAPGUARD_SRC_READ_FILE_H_
#define CAPGUARD_SRC_READ_FILE_H_

#include <errno.h>

#include "capguard/error.h"
#include "sys.h"

namespace capguard {

// Half a page: the kernel's seq_file hands a status file (about 1.5 KiB)
// over in one read of this size, so a read costs open, read, read (EOF),
// close, and the stack keeps room for the rest of a command (16 KiB in all).
// Longer files are read through in pieces.
inline constexpr size_t kReadChunk = 2048;

// Reads the file at `path`, passing each piece to `consume`, until its end or
// until `consume` returns false; retries EINTR. Errors: open, read, with
// `what` = `path`, which must outlive the Result. Async-signal-safe.
template <class Consume>
Result read_file(const char* path, Consume consume) {
  long fd;
  do fd = sys::open_read(path);
  while (fd == -EINTR);
  if (fd < 0) return Result::sys_failure(Error::open, path, fd);
  char buf[kReadChunk];
  Result r;
  for (;;) {
    long n = sys::read(static_cast<int>(fd), buf, sizeof buf);
    if (n == -EINTR) continue;
    if (n < 0) r = Result::sys_failure(Error::read, path, n);
    if (n <= 0 || !consume(buf, static_cast<size_t>(n))) break;
  }
  // A failed close of a file opened for reading loses nothing.
  (void)sys::close(static_cast<int>(fd));
  return r;
}

}  // namespace capguard

#endif  // CAPGUARD_SRC_READ_FILE_H_
