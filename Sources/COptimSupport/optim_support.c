#include "optim_support.h"

void anneal_prefetch_lines(void *const *streams, int count, long offset, long length) {
    for (int s = 0; s < count; s++) {
        const char *start = (const char *)streams[s] + offset;
        for (long line = 0; line < length; line += 64) __builtin_prefetch(start + line, 1, 3);
    }
}

#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>

#include <immintrin.h>

int anneal_rsqrt_supported(void) { return 1; }

// `rsqrtps` of every x reduced to [1, 4) (the exponent made 127 or 128 by
// its parity, as MKLSqrt's table is indexed), and whether any x takes MKL's
// rare path (MKLSqrt.rareFlag: d = bits - 0x00800000; the sign of
// d | (d + 0x01800fff)), `WIDTH` lanes at a time: one body for SSE2's 4
// lanes (`P` mm, `N` 128) and AVX2's 8 (`P` mm256, `N` 256). Returns how
// many of the `count` values it did (a multiple of `WIDTH`).
#define ANNEAL_RSQRT_ESTIMATES(NAME, TARGET, P, N, WIDTH) \
    TARGET static long NAME(const uint32_t *x, uint32_t *estimates, long count, int *anyRare) { \
        const __m##N##i one = _##P##_set1_epi32(1); \
        const __m##N##i exponent128 = _##P##_set1_epi32(128); \
        const __m##N##i mantissa = _##P##_set1_epi32(0x007fffff); \
        const __m##N##i smallestNormal = _##P##_set1_epi32(0x00800000); \
        const __m##N##i rareOffset = _##P##_set1_epi32(0x01800fff); \
        __m##N##i rare = _##P##_setzero_si##N(); \
        long k = 0; \
        for (; k + WIDTH <= count; k += WIDTH) { \
            __m##N##i bits = _##P##_loadu_si##N((const __m##N##i *)(x + k)); \
            __m##N##i parity = _##P##_and_si##N(_##P##_srli_epi32(bits, 23), one); \
            __m##N##i exponent = _##P##_slli_epi32(_##P##_sub_epi32(exponent128, parity), 23); \
            __m##N##i reduced = _##P##_or_si##N(_##P##_and_si##N(bits, mantissa), exponent); \
            __m##N estimate = _##P##_rsqrt_ps(_##P##_castsi##N##_ps(reduced)); \
            _##P##_storeu_si##N((__m##N##i *)(estimates + k), _##P##_castps_si##N(estimate)); \
            __m##N##i d = _##P##_sub_epi32(bits, smallestNormal); \
            rare = _##P##_or_si##N(rare, _##P##_or_si##N(d, _##P##_add_epi32(d, rareOffset))); \
        } \
        *anyRare = _##P##_movemask_ps(_##P##_castsi##N##_ps(rare)) != 0; \
        return k; \
    }

ANNEAL_RSQRT_ESTIMATES(rsqrt_estimates_sse2, , mm, 128, 4)
// The count of a block is a multiple of 8 except for a lone 4 at the end.
ANNEAL_RSQRT_ESTIMATES(rsqrt_estimates_avx2, __attribute__((target("avx2"))), mm256, 256, 8)

int anneal_cpu_has_fma(void) {
    return __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2");
}

__attribute__((target("avx2,fma")))
void anneal_fma16(const float *augend, const float *x, const float *y, float *result) {
    _mm256_storeu_ps(result, _mm256_fmadd_ps(_mm256_loadu_ps(x), _mm256_loadu_ps(y), _mm256_loadu_ps(augend)));
    _mm256_storeu_ps(result + 8, _mm256_fmadd_ps(_mm256_loadu_ps(x + 8), _mm256_loadu_ps(y + 8), _mm256_loadu_ps(augend + 8)));
}

static int haveAVX2 = -1;

int anneal_rsqrt_estimates(const uint32_t *x, uint32_t *estimates, long count) {
    if (haveAVX2 < 0) haveAVX2 = __builtin_cpu_supports("avx2") ? 1 : 0;
    int rare = 0, tailRare = 0;
    long done = haveAVX2 ? rsqrt_estimates_avx2(x, estimates, count, &rare) : 0;
    if (done < count) rsqrt_estimates_sse2(x + done, estimates + done, count - done, &tailRare);
    return rare | tailRare;
}

#else

int anneal_cpu_has_fma(void) { return 0; }

void anneal_fma16(const float *augend, const float *x, const float *y, float *result) {
    (void)augend, (void)x, (void)y, (void)result;
}

int anneal_rsqrt_supported(void) { return 0; }

int anneal_rsqrt_estimates(const uint32_t *x, uint32_t *estimates, long count) {
    (void)x, (void)estimates, (void)count;
    return 0;
}

#endif
