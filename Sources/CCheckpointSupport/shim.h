#ifndef CCHECKPOINTSUPPORT_SHIM_H
#define CCHECKPOINTSUPPORT_SHIM_H
// The C pieces of AnnealCheckpoint.
//
// xxHash, the reference implementation (Debian's libxxhash-dev): XXH3-128,
// the checkpoints' checksum.
#include <xxhash.h>

#include <unistd.h>
#include <sys/syscall.h>

// Starts writeback of bytes [offset, offset + count) of a file without
// waiting for it (Linux's sync_file_range with SYNC_FILE_RANGE_WRITE), so
// the disk writes one chunk while the next is copied; fsync still makes
// the file durable. Glibc declares sync_file_range only under _GNU_SOURCE,
// which Swift's Glibc module is not built with. Returns 0, or -1 (errno
// set) where the call is unavailable; callers ignore failures: it is a hint.
static inline int anneal_start_writeback(int fd, long long offset, long long count) {
#if defined(__linux__) && defined(SYS_sync_file_range)
    return (int)syscall(SYS_sync_file_range, fd, offset, count, 2u /* SYNC_FILE_RANGE_WRITE */);
#else
    (void)fd; (void)offset; (void)count;
    return -1;
#endif
}
#endif
