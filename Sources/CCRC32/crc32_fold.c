// CRC-32 by folding with carry-less multiplication: Gopal et al., "Fast CRC
// Computation for Generic Polynomials Using PCLMULQDQ Instruction" (Intel,
// 2009), in the bit-reflected domain of the zip polynomial, with the
// paper's constants for it. Four 128-bit lanes fold 64 bytes per round;
// then one lane, 16 bytes per round; then 128 → 64 → 32 bits by Barrett
// reduction. zlib (1.2.13 here) computes the same CRC with tables, about
// 5x slower; KernelTests-style tests compare the two on every length.
#include "crc32_fold.h"

#if defined(__x86_64__)
#include <immintrin.h>

// Folds the four lanes x1..x4 (the last 64 bytes folded so far, x1 the
// earliest) and the `len` bytes left at `buf` down to the CRC.
__attribute__((target("pclmul,sse4.1"), always_inline)) static inline uint32_t finish(
    __m128i x1, __m128i x2, __m128i x3, __m128i x4, const unsigned char *buf, size_t len) {
    const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
    const __m128i k5k0 = _mm_set_epi64x(0, 0x0163cd6124);
    const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
    const __m128i mask32 = _mm_setr_epi32(~0, 0, ~0, 0);
    // Four lanes into one.
    __m128i x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
    x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
    x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
    x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x3), x5);
    x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
    x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x4), x5);
    while (len >= 16) {
        x2 = _mm_loadu_si128((const __m128i *)buf);
        x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
        x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
        x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
        buf += 16;
        len -= 16;
    }
    // 128 → 64 bits.
    x2 = _mm_clmulepi64_si128(x1, k3k4, 0x10);
    x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2);
    x2 = _mm_srli_si128(x1, 4);
    x1 = _mm_and_si128(x1, mask32);
    x1 = _mm_clmulepi64_si128(x1, k5k0, 0x00);
    x1 = _mm_xor_si128(x1, x2);
    // Barrett reduction to 32 bits.
    x2 = _mm_and_si128(x1, mask32);
    x2 = _mm_clmulepi64_si128(x2, poly, 0x10);
    x2 = _mm_and_si128(x2, mask32);
    x2 = _mm_clmulepi64_si128(x2, poly, 0x00);
    x1 = _mm_xor_si128(x1, x2);
    return (uint32_t)_mm_extract_epi32(x1, 1);
}

__attribute__((target("pclmul,sse4.1"))) static uint32_t fold(const unsigned char *buf, size_t len, uint32_t crc) {
    const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);

    __m128i x1 = _mm_loadu_si128((const __m128i *)(buf + 0x00));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(buf + 0x10));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(buf + 0x20));
    __m128i x4 = _mm_loadu_si128((const __m128i *)(buf + 0x30));
    x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
    buf += 64;
    len -= 64;
    while (len >= 64) {
        __m128i x5 = _mm_clmulepi64_si128(x1, k1k2, 0x00);
        __m128i x6 = _mm_clmulepi64_si128(x2, k1k2, 0x00);
        __m128i x7 = _mm_clmulepi64_si128(x3, k1k2, 0x00);
        __m128i x8 = _mm_clmulepi64_si128(x4, k1k2, 0x00);
        x1 = _mm_clmulepi64_si128(x1, k1k2, 0x11);
        x2 = _mm_clmulepi64_si128(x2, k1k2, 0x11);
        x3 = _mm_clmulepi64_si128(x3, k1k2, 0x11);
        x4 = _mm_clmulepi64_si128(x4, k1k2, 0x11);
        x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), _mm_loadu_si128((const __m128i *)(buf + 0x00)));
        x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), _mm_loadu_si128((const __m128i *)(buf + 0x10)));
        x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), _mm_loadu_si128((const __m128i *)(buf + 0x20)));
        x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), _mm_loadu_si128((const __m128i *)(buf + 0x30)));
        buf += 64;
        len -= 64;
    }
    return finish(x1, x2, x3, x4, buf, len);
}

// The same fold on AVX-512's VPCLMULQDQ: four 512-bit registers of four
// lanes each fold 256 bytes per round (the lanes 2048 bits apart), fold
// into one register (512 bits apart), which folds 64 bytes per round and
// hands its four lanes to `finish`. The constants are x^(D+32) and
// x^(D-32) mod P, bit-reflected and shifted left once, for distance D.
__attribute__((target("avx512f,avx512bw,avx512vl,vpclmulqdq,pclmul,sse4.1"))) static uint32_t fold512(
    const unsigned char *buf, size_t len, uint32_t crc) {
    const __m512i k2048 = _mm512_broadcast_i32x4(_mm_set_epi64x(0x01322d1430, 0x011542778a));
    const __m512i k512 = _mm512_broadcast_i32x4(_mm_set_epi64x(0x01c6e41596, 0x0154442bd4));
    __m512i z0 = _mm512_loadu_si512(buf + 0x00);
    __m512i z1 = _mm512_loadu_si512(buf + 0x40);
    __m512i z2 = _mm512_loadu_si512(buf + 0x80);
    __m512i z3 = _mm512_loadu_si512(buf + 0xc0);
    z0 = _mm512_xor_si512(z0, _mm512_zextsi128_si512(_mm_cvtsi32_si128((int)crc)));
    buf += 256;
    len -= 256;
#define ANNEAL_FOLD512(z, k, next) \
    _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(z, k, 0x00), _mm512_clmulepi64_epi128(z, k, 0x11), next, 0x96)
    while (len >= 256) {
        z0 = ANNEAL_FOLD512(z0, k2048, _mm512_loadu_si512(buf + 0x00));
        z1 = ANNEAL_FOLD512(z1, k2048, _mm512_loadu_si512(buf + 0x40));
        z2 = ANNEAL_FOLD512(z2, k2048, _mm512_loadu_si512(buf + 0x80));
        z3 = ANNEAL_FOLD512(z3, k2048, _mm512_loadu_si512(buf + 0xc0));
        buf += 256;
        len -= 256;
    }
    z1 = ANNEAL_FOLD512(z0, k512, z1);
    z2 = ANNEAL_FOLD512(z1, k512, z2);
    z0 = ANNEAL_FOLD512(z2, k512, z3);
    while (len >= 64) {
        z0 = ANNEAL_FOLD512(z0, k512, _mm512_loadu_si512(buf));
        buf += 64;
        len -= 64;
    }
#undef ANNEAL_FOLD512
    return finish(_mm512_extracti32x4_epi32(z0, 0), _mm512_extracti32x4_epi32(z0, 1),
                  _mm512_extracti32x4_epi32(z0, 2), _mm512_extracti32x4_epi32(z0, 3), buf, len);
}

size_t anneal_crc32_fold(uint32_t *crc, const unsigned char *buf, size_t len) {
    static int level = -1;
    if (level < 0) {
        __builtin_cpu_init();
        int pclmul = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
        int wide = pclmul && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                   __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("vpclmulqdq");
        level = wide ? 2 : pclmul;
    }
    if (level == 0 || len < 64) return 0;
    size_t chunk = len & ~(size_t)15;
    *crc = ~(level == 2 && chunk >= 256 ? fold512(buf, chunk, ~*crc) : fold(buf, chunk, ~*crc));
    return chunk;
}

#else

size_t anneal_crc32_fold(uint32_t *crc, const unsigned char *buf, size_t len) {
    (void)crc;
    (void)buf;
    (void)len;
    return 0;
}

#endif
