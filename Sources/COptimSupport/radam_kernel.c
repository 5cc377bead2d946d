// RAdam's update in C for x86-64 CPUs with AVX-512 or AVX2 and FMA, chosen
// at run time, so every build (even one for plain x86-64) runs one vector
// pass with the CPU's rsqrtps inline, as Adam's (adam_kernel.c), with
// foreach=False's arithmetic.
#include "optim_support.h"

#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__)
#include "vector_support.h"

/// Vectors interleaved per iteration (at most 4).
#define ANNEAL_RADAM_UNROLL 4

#define VEC f32x16
#define IVEC i32x16
#define UVEC u32x16
#define LANES 16
#define KERNEL_NAME radam_avx512
#define VECTORS_NAME radam_avx512_vectors
#define KERNEL_TARGET "avx512f,avx512dq,avx512vl,avx2,fma"
#define RSQRT rsqrt16
#define MKL_SQRT_NAME radam_sqrt_avx512
#include "mkl_sqrt.inc"
#include "radam_kernel.inc"
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
#define KERNEL_NAME radam_avx2
#define VECTORS_NAME radam_avx2_vectors
#define KERNEL_TARGET "avx2,fma"
#define RSQRT rsqrt8
#define MKL_SQRT_NAME radam_sqrt_avx2
#include "mkl_sqrt.inc"
#include "radam_kernel.inc"

int anneal_radam_kernel_available(void) { return anneal_adam_kernel_available(); }

void anneal_radam_update(const anneal_radam_scalars *s, float *param, const float *grad, float *expAvg,
                         float *expAvgSq, long count) {
    static int level = -1;
    if (level < 0) level = __builtin_cpu_supports("avx512f") ? 2 : 1;
    if (level == 2) radam_avx512(s, param, grad, expAvg, expAvgSq, count);
    else radam_avx2(s, param, grad, expAvg, expAvgSq, count);
}

#else

int anneal_radam_kernel_available(void) { return 0; }

void anneal_radam_update(const anneal_radam_scalars *s, float *param, const float *grad, float *expAvg,
                         float *expAvgSq, long count) {
    (void)s, (void)param, (void)grad, (void)expAvg, (void)expAvgSq, (void)count;
}

#endif
