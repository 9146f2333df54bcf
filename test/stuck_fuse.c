/* A FUSE file system of one file, "f", that never answers a FLUSH: a task
 * that closes that file, its exit too, sleeps until this server ends.
 * usage: stuck_fuse DIR (as root). oldkernel_test.sh builds it, and keeps a
 * process's main thread so, past letting go of its memory, while another
 * thread lives on. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static int dev;

static void reply(uint64_t unique, int error, const void* body, uint32_t n) {
  char out[sizeof(struct fuse_out_header) + sizeof(struct fuse_entry_out)];
  struct fuse_out_header h = {(uint32_t)sizeof h + n, error, unique};
  memcpy(out, &h, sizeof h);
  memcpy(out + sizeof h, body, n);
  if (write(dev, out, sizeof h + n) < 0) perror("stuck_fuse: write /dev/fuse");
}

/* Node 1 is the root directory, node 2 the file. */
static struct fuse_attr attr(uint64_t node) {
  struct fuse_attr a = {0};
  a.ino = node;
  a.mode = node == 1 ? S_IFDIR | 0755 : S_IFREG | 0644;
  a.nlink = 1;
  return a;
}

int main(int argc, char** argv) {
  static char in[1 << 20];  // FUSE_MIN_READ_BUFFER is 8 KiB; a write may be larger
  char options[64];
  if (argc != 2) return 2;
  dev = open("/dev/fuse", O_RDWR | O_CLOEXEC);
  if (dev < 0) return perror("stuck_fuse: /dev/fuse"), 1;
  snprintf(options, sizeof options, "fd=%d,rootmode=40000,user_id=0,group_id=0", dev);
  if (mount("stuck_fuse", argv[1], "fuse", MS_NOSUID | MS_NODEV, options) < 0) return perror("stuck_fuse: mount"), 1;
  for (;;) {
    if (read(dev, in, sizeof in) < 0) {
      if (errno == EINTR || errno == ENOENT) continue;  // ENOENT: a request taken back
      return perror("stuck_fuse: read /dev/fuse"), 1;
    }
    const struct fuse_in_header* h = (const struct fuse_in_header*)in;
    if (h->opcode == FUSE_INIT) {
      struct fuse_init_out o = {0};
      o.major = FUSE_KERNEL_VERSION, o.minor = FUSE_KERNEL_MINOR_VERSION, o.max_write = 4096, o.time_gran = 1;
      reply(h->unique, 0, &o, sizeof o);
    } else if (h->opcode == FUSE_LOOKUP) {
      struct fuse_entry_out o = {0};
      o.nodeid = 2, o.attr = attr(2);
      reply(h->unique, 0, &o, sizeof o);
    } else if (h->opcode == FUSE_GETATTR) {
      struct fuse_attr_out o = {0};
      o.attr = attr(h->nodeid);
      reply(h->unique, 0, &o, sizeof o);
    } else if (h->opcode == FUSE_OPEN) {
      struct fuse_open_out o = {0};
      reply(h->unique, 0, &o, sizeof o);
    } else if (h->opcode == FUSE_RELEASE) {
      reply(h->unique, 0, NULL, 0);
    } else if (h->opcode != FUSE_FLUSH && h->opcode != FUSE_INTERRUPT && h->opcode != FUSE_FORGET &&
               h->opcode != FUSE_BATCH_FORGET) {
      reply(h->unique, -ENOSYS, NULL, 0);  // FLUSH, and what needs no answer, is left unanswered
    }
  }
}
