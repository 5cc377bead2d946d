// What the x86-64 optimizer loops in C share (adam_kernel.c,
// rmsprop_kernel.c): their vector types and the CPU's rsqrtps on them.
#ifndef ANNEAL_VECTOR_SUPPORT_H
#define ANNEAL_VECTOR_SUPPORT_H
#if defined(__x86_64__)
#include <immintrin.h>

typedef float f32x16 __attribute__((ext_vector_type(16)));
typedef int i32x16 __attribute__((ext_vector_type(16)));
typedef unsigned u32x16 __attribute__((ext_vector_type(16)));
typedef float f32x8 __attribute__((ext_vector_type(8)));
typedef int i32x8 __attribute__((ext_vector_type(8)));
typedef unsigned u32x8 __attribute__((ext_vector_type(8)));

// AVX-512 has no 12-bit rsqrtps on 16 lanes (vrsqrt14ps is another
// approximation): two AVX ones.
__attribute__((target("avx512f"))) static inline f32x16 rsqrt16(f32x16 x) {
    __m256 halves[2];
    __builtin_memcpy(halves, &x, sizeof x);
    halves[0] = _mm256_rsqrt_ps(halves[0]);
    halves[1] = _mm256_rsqrt_ps(halves[1]);
    f32x16 result;
    __builtin_memcpy(&result, halves, sizeof result);
    return result;
}

__attribute__((target("avx2,fma"))) static inline f32x8 rsqrt8(f32x8 x) {
    __m256 v;
    __builtin_memcpy(&v, &x, sizeof v);
    v = _mm256_rsqrt_ps(v);
    f32x8 result;
    __builtin_memcpy(&result, &v, sizeof result);
    return result;
}

#endif
#endif
