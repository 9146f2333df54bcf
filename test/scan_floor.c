/* The floor for a scan of set-id bits and file capabilities: a static
 * program that walks a tree as cheaply as Linux lets it (32 KiB getdents64
 * reads, a descriptor per level) and does only what every such scan must for
 * each regular file: one statx for its mode and one getxattrat (Linux 6.13;
 * before, ENOSYS makes the floor too low) for security.capability, by name
 * in the open directory. No output, no checks, no bound on depth or open
 * descriptors. test/perf.sh builds it with musl-gcc. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

struct dirent64 {
  uint64_t ino;
  int64_t off;
  unsigned short reclen;
  unsigned char type;
  char name[];
};

/* include/uapi/linux/stat.h: struct statx is 256 bytes, its mode at byte 28. */
struct statx_buf {
  uint32_t mask, blksize;
  uint64_t attributes;
  uint32_t nlink, uid, gid;
  uint16_t mode;
  char rest[256 - 30];
};

/* getxattrat's number, the same on every architecture, and its arguments
 * (include/uapi/linux/xattr.h). */
#define GETXATTRAT 464
struct xattr_args {
  uint64_t value;
  uint32_t size, flags;
};

static long privileged;

static void walk(int dir) {
  char buf[32768];
  long n;
  while ((n = syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0)
    for (long at = 0; at < n;) {
      struct dirent64* d = (struct dirent64*)(buf + at);
      at += d->reclen;
      if (d->name[0] == '.' && (d->name[1] == 0 || (d->name[1] == '.' && d->name[2] == 0))) continue;
      if (d->type == 4 /* DT_DIR */) {
        int sub = openat(dir, d->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub >= 0) walk(sub), close(sub);
      } else if (d->type == 8 /* DT_REG */) {
        struct statx_buf st;
        char value[24];
        struct xattr_args args = {(uintptr_t)value, sizeof value, 0};
        if (syscall(SYS_statx, dir, d->name, AT_SYMLINK_NOFOLLOW, 2 /* STATX_MODE */, &st) == 0 && (st.mode & 06000))
          ++privileged;
        if (syscall(GETXATTRAT, dir, d->name, AT_SYMLINK_NOFOLLOW, "security.capability", &args, sizeof args) > 0)
          ++privileged;
      }
    }
}

int main(int argc, char** argv) {
  int root = open(argc > 1 ? argv[1] : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return 2;
  walk(root);
  return privileged > 0 ? 0 : 1;
}
