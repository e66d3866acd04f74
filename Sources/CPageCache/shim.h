// Whether a file's first page is in the page cache, asked without waiting for the disk: Linux's
// preadv2 with RWF_NOWAIT (since 4.14) fails with EAGAIN rather than read. Glibc declares
// preadv2 only under _GNU_SOURCE, which Swift's Glibc module is not built with, so it is
// declared here.
#include <sys/types.h>
#include <sys/uio.h>

ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags);

/// 1 when the first byte of `fd` can be read at once (or the file is empty); 0 when reading it
/// would wait for the disk, or the kernel cannot tell.
static inline int coopq_first_page_cached(int fd) {
    char byte;
    struct iovec v = { &byte, 1 };
    return preadv2(fd, &v, 1, 0, 0x00000008 /* RWF_NOWAIT */) >= 0;
}
