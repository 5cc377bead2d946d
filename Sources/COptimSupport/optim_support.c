#include "optim_support.h"

void anneal_prefetch_lines(void *const *streams, int count, long offset, long length) {
    for (int s = 0; s < count; s++) {
        const char *start = (const char *)streams[s] + offset;
        for (long line = 0; line < length; line += 64) __builtin_prefetch(start + line, 1, 3);
    }
}

#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>

static int anneal_rsqrt_estimates_sse2(const uint32_t *x, uint32_t *estimates, long count);

#include <immintrin.h>

int anneal_rsqrt_supported(void) { return 1; }

// The same with AVX2's 8 lanes, where the CPU has it (the count of a block
// is a multiple of 8 except for a lone 4 at the end).
__attribute__((target("avx2")))
static int rsqrt_estimates_avx2(const uint32_t *x, uint32_t *estimates, long count) {
    const __m256i one = _mm256_set1_epi32(1);
    const __m256i exponent128 = _mm256_set1_epi32(128);
    const __m256i mantissa = _mm256_set1_epi32(0x007fffff);
    const __m256i smallestNormal = _mm256_set1_epi32(0x00800000);
    const __m256i rareOffset = _mm256_set1_epi32(0x01800fff);
    __m256i rare = _mm256_setzero_si256();
    long k = 0;
    for (; k + 8 <= count; k += 8) {
        __m256i bits = _mm256_loadu_si256((const __m256i *)(x + k));
        __m256i parity = _mm256_and_si256(_mm256_srli_epi32(bits, 23), one);
        __m256i exponent = _mm256_slli_epi32(_mm256_sub_epi32(exponent128, parity), 23);
        __m256i reduced = _mm256_or_si256(_mm256_and_si256(bits, mantissa), exponent);
        __m256 estimate = _mm256_rsqrt_ps(_mm256_castsi256_ps(reduced));
        _mm256_storeu_si256((__m256i *)(estimates + k), _mm256_castps_si256(estimate));
        __m256i d = _mm256_sub_epi32(bits, smallestNormal);
        rare = _mm256_or_si256(rare, _mm256_or_si256(d, _mm256_add_epi32(d, rareOffset)));
    }
    int anyRare = _mm256_movemask_ps(_mm256_castsi256_ps(rare)) != 0;
    return k < count ? anneal_rsqrt_estimates_sse2(x + k, estimates + k, count - k) | anyRare : anyRare;
}

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
    return haveAVX2 ? rsqrt_estimates_avx2(x, estimates, count) : anneal_rsqrt_estimates_sse2(x, estimates, count);
}

static int anneal_rsqrt_estimates_sse2(const uint32_t *x, uint32_t *estimates, long count) {
    const __m128i one = _mm_set1_epi32(1);
    const __m128i exponent128 = _mm_set1_epi32(128);
    const __m128i mantissa = _mm_set1_epi32(0x007fffff);
    const __m128i smallestNormal = _mm_set1_epi32(0x00800000);
    const __m128i rareOffset = _mm_set1_epi32(0x01800fff);
    __m128i rare = _mm_setzero_si128();
    for (long k = 0; k < count; k += 4) {
        __m128i bits = _mm_loadu_si128((const __m128i *)(x + k));
        // Exponent 128 - (biased exponent & 1): 127 when odd, 128 when even.
        __m128i parity = _mm_and_si128(_mm_srli_epi32(bits, 23), one);
        __m128i exponent = _mm_slli_epi32(_mm_sub_epi32(exponent128, parity), 23);
        __m128i reduced = _mm_or_si128(_mm_and_si128(bits, mantissa), exponent);
        __m128 estimate = _mm_rsqrt_ps(_mm_castsi128_ps(reduced));
        _mm_storeu_si128((__m128i *)(estimates + k), _mm_castps_si128(estimate));
        // MKLSqrt.rareFlag: d = bits - 0x00800000; the sign of d | (d + 0x01800fff).
        __m128i d = _mm_sub_epi32(bits, smallestNormal);
        rare = _mm_or_si128(rare, _mm_or_si128(d, _mm_add_epi32(d, rareOffset)));
    }
    return _mm_movemask_ps(_mm_castsi128_ps(rare)) != 0;
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
