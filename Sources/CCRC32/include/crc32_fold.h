#ifndef ANNEAL_CRC32_FOLD_H
#define ANNEAL_CRC32_FOLD_H

#include <stddef.h>
#include <stdint.h>

/// The zip CRC-32 (zlib's crc32: reflected polynomial 0xEDB88320) of the
/// first bytes of `buf`, folded 64 bytes at a time with carry-less
/// multiplication (x86-64 PCLMULQDQ, checked at run time): updates `*crc`
/// as zlib's crc32(*crc, buf, n) would for the n bytes it consumes and
/// returns n, a multiple of 16 (0 when the CPU lacks PCLMULQDQ or `len` < 64).
/// The caller runs zlib over the rest.
size_t anneal_crc32_fold(uint32_t *crc, const unsigned char *buf, size_t len);

#endif
