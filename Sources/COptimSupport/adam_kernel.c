// Adam/AdamW's update in C for x86-64 CPUs with AVX-512 or AVX2 and FMA,
// chosen at run time, so every build (even one for plain x86-64) runs the
// one-pass vector loop PyTorch's fused kernel runs, with foreach=False's
// arithmetic. Swift cannot inline the CPU's rsqrtps, and cannot target an
// instruction set per function; C can.
#include "optim_support.h"

#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__)
#include "vector_support.h"

/// Vectors interleaved per iteration (at most 4).
#define ANNEAL_ADAM_UNROLL 4

#define VEC f32x16
#define IVEC i32x16
#define UVEC u32x16
#define LANES 16
#define KERNEL_NAME adam_avx512
#define VECTORS_NAME adam_avx512_vectors
#define KERNEL_TARGET "avx512f,avx512dq,avx512vl,avx2,fma"
#define RSQRT rsqrt16
#define MKL_SQRT_NAME adam_sqrt_avx512
#include "mkl_sqrt.inc"
#include "adam_kernel.inc"
#undef VEC
#undef IVEC
#undef UVEC
#undef LANES
#undef KERNEL_NAME
#undef VECTORS_NAME
#undef KERNEL_TARGET
#undef RSQRT
#undef MKL_SQRT_NAME

#define VEC f32x8
#define IVEC i32x8
#define UVEC u32x8
#define LANES 8
#define KERNEL_NAME adam_avx2
#define VECTORS_NAME adam_avx2_vectors
#define KERNEL_TARGET "avx2,fma"
#define RSQRT rsqrt8
#define MKL_SQRT_NAME adam_sqrt_avx2
#include "mkl_sqrt.inc"
#include "adam_kernel.inc"

// For every normal exponent, every table index and the mantissa's low bits
// all clear and all set, whether rsqrtps(x) is the table's estimate for x's
// mantissa in [1, 4) scaled by 2^-k: that is, whether the kernel's
// rsqrtps(x) is what the Swift loop computes from the table.
__attribute__((target("avx2"))) static int rsqrt_scales_exactly(const uint32_t *table) {
    for (int32_t exponent = 1; exponent <= 254; exponent++) {
        uint32_t parity = (uint32_t)(exponent + 1) & 1;
        int32_t k = (exponent - 127) >> 1;
        for (uint32_t low = 0; low <= 0x7ff; low += 0x7ff) {
            for (uint32_t top = 0; top < 4096; top += 8) {
                uint32_t inputs[8], expected[8];
                for (int lane = 0; lane < 8; lane++) {
                    inputs[lane] = (uint32_t)exponent << 23 | (top + lane) << 11 | low;
                    expected[lane] = table[parity << 12 | (top + lane)] - (uint32_t)(k << 23);
                    // MKL's rare path (the kernel's exact sqrt) takes these:
                    // check 1 instead.
                    if (inputs[lane] > 0x7f7ff000u) inputs[lane] = 0x3f800000u, expected[lane] = table[0];
                }
                __m256 estimates = _mm256_rsqrt_ps(_mm256_loadu_ps((const float *)inputs));
                __m256i equal = _mm256_cmpeq_epi32(_mm256_castps_si256(estimates), _mm256_loadu_si256((const __m256i *)expected));
                if (_mm256_movemask_ps(_mm256_castsi256_ps(equal)) != 0xff) return 0;
            }
        }
    }
    return 1;
}

int anneal_rsqrt_scales_exactly(const uint32_t *table) {
    return __builtin_cpu_supports("avx2") ? rsqrt_scales_exactly(table) : 0;
}

int anneal_adam_kernel_available(void) {
    return __builtin_cpu_supports("avx512f") || (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"));
}

void anneal_adam_update(const anneal_adam_scalars *s, float *param, const float *grad, float *expAvg, float *expAvgSq,
                        float *maxExpAvgSq, long count) {
    static int level = -1;
    if (level < 0) level = __builtin_cpu_supports("avx512f") ? 2 : 1;
    if (level == 2) adam_avx512(s, param, grad, expAvg, expAvgSq, maxExpAvgSq, count);
    else adam_avx2(s, param, grad, expAvg, expAvgSq, maxExpAvgSq, count);
}

#else

int anneal_rsqrt_scales_exactly(const uint32_t *table) {
    (void)table;
    return 0;
}

int anneal_adam_kernel_available(void) { return 0; }

void anneal_adam_update(const anneal_adam_scalars *s, float *param, const float *grad, float *expAvg, float *expAvgSq,
                        float *maxExpAvgSq, long count) {
    (void)s, (void)param, (void)grad, (void)expAvg, (void)expAvgSq, (void)maxExpAvgSq, (void)count;
}

#endif
