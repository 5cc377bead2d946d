// SGD's update in C for x86-64 CPUs with AVX2 and FMA, chosen at run time,
// so that a build for plain x86-64 (whose Swift loop has no FMA
// instructions) still runs at memory speed. The arithmetic is
// Sources/AnnealOptim/Kernels/SGDKernel.swift's Kernels.SGD.Vector, operation for operation;
// floating-point contraction is off, so only __builtin_elementwise_fma fuses.
#include "optim_support.h"

#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__)

typedef float f32x8 __attribute__((ext_vector_type(8)));
typedef int i32x8 __attribute__((ext_vector_type(8)));

int anneal_sgd_kernel_available(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }

__attribute__((target("avx2,fma")))
void anneal_sgd_update(const anneal_sgd_scalars *s, float *param, const float *grad, float *buffer, long count) {
    const f32x8 sign = s->sign, weightDecay = s->weightDecay, momentum = s->momentum;
    const f32x8 oneMinusDampening = s->oneMinusDampening, negativeLR = s->negativeLR;
    const i32x8 nesterov = s->nesterov ? -1 : 0;
    for (long i = 0; i < count; i += 8) {
        f32x8 p, g, b;
        __builtin_memcpy(&p, param + i, sizeof p);
        __builtin_memcpy(&g, grad + i, sizeof g);
        g = g * sign;
        if (s->hasWeightDecay) g = __builtin_elementwise_fma(p, weightDecay, g);
        if (buffer) {
            b = g;
            if (!s->initialize) {
                f32x8 old;
                __builtin_memcpy(&old, buffer + i, sizeof old);
                b = __builtin_elementwise_fma(g, oneMinusDampening, old * momentum);
            }
            __builtin_memcpy(buffer + i, &b, sizeof b);
            // Nesterov: grad.add(buf, alpha=momentum); otherwise grad = buf.
            f32x8 ahead = __builtin_elementwise_fma(b, momentum, g);
            g = (f32x8)(((i32x8)ahead & nesterov) | ((i32x8)b & ~nesterov));
        }
        f32x8 updated = __builtin_elementwise_fma(g, negativeLR, p);
        __builtin_memcpy(param + i, &updated, sizeof updated);
    }
}

#else

int anneal_sgd_kernel_available(void) { return 0; }

void anneal_sgd_update(const anneal_sgd_scalars *s, float *param, const float *grad, float *buffer, long count) {
    (void)s, (void)param, (void)grad, (void)buffer, (void)count;
}

#endif
