// Linux calls that Glibc declares only under _GNU_SOURCE, which Swift's Glibc module is not
// built with, so they are declared here.
#include <sys/types.h>
#include <sys/uio.h>

ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags);
int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

/// 1 when the first byte of `fd` can be read at once (or the file is empty); 0 when reading it
/// would wait for the disk, or the kernel cannot tell: Linux's preadv2 with RWF_NOWAIT (since
/// 4.14) fails with EAGAIN rather than read.
static inline int coopq_first_page_cached(int fd) {
    char byte;
    struct iovec v = { &byte, 1 };
    return preadv2(fd, &v, 1, 0, 0x00000008 /* RWF_NOWAIT */) >= 0;
}

/// Swaps two paths in one step (Linux 3.15, RENAME_EXCHANGE): a folder replaced by another is
/// never missing. -1 with errno EINVAL where the file system cannot.
static inline int coopq_exchange(const char *a, const char *b) {
    return renameat2(-100 /* AT_FDCWD */, a, -100, b, 2 /* RENAME_EXCHANGE */);
}
