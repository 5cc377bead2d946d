// The C loops of Adamax, ASGD, Rprop and Adafactor's vectors
// (include/elementwise_kernels.h),
// as SGD's (sgd_kernel.c): AVX2 and FMA, chosen at run time. Each is its
// optimizer's Swift loop (Sources/AnnealOptim/Kernels/<Name>Kernel.swift's
// scalarLoop) operation for operation, eight lanes at a time; contraction
// is off, so only __builtin_elementwise_fma fuses, where Swift calls
// `addingProduct`.
#include "elementwise_kernels.h"

#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__)

typedef float f32x8 __attribute__((ext_vector_type(8)));
typedef int i32x8 __attribute__((ext_vector_type(8)));

int anneal_elementwise_kernels_available(void) {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

/// `mask ? a : b`, lane by lane (`mask` lanes all ones or all zeros).
__attribute__((target("avx2,fma"), always_inline)) static inline f32x8 select8(i32x8 mask, f32x8 a, f32x8 b) {
    return (f32x8)(((i32x8)a & mask) | ((i32x8)b & ~mask));
}

/// `torch.sign`: 1, -1, or +0 for ±0 and NaN.
__attribute__((target("avx2,fma"), always_inline)) static inline f32x8 sign8(f32x8 x) {
    const f32x8 one = 1.0f, zero = 0.0f;
    return select8(zero < x, one, zero) - select8(x < zero, one, zero);
}

__attribute__((target("avx2,fma")))
void anneal_adamax_update(const anneal_adamax_scalars *s, float *param, const float *grad, float *expAvg,
                          float *expInf, long count) {
    const f32x8 sign = s->sign, weightDecay = s->weightDecay, weight = s->lerpWeight, beta2 = s->beta2;
    const f32x8 eps = s->eps, negativeCLR = s->negativeCLR;
    // ATen's lerp: from the start when |w| < 0.5, else from the end.
    const int fromStart = __builtin_fabsf(s->lerpWeight) < 0.5f;
    const f32x8 weightFromEnd = s->lerpWeight - 1.0f;
    const f32x8 nan = __builtin_nanf("");
    for (long i = 0; i < count; i += 8) {
        f32x8 p, g, m, u;
        __builtin_memcpy(&p, param + i, sizeof p);
        __builtin_memcpy(&g, grad + i, sizeof g);
        __builtin_memcpy(&m, expAvg + i, sizeof m);
        __builtin_memcpy(&u, expInf + i, sizeof u);
        g = g * sign;
        if (s->hasWeightDecay) g = __builtin_elementwise_fma(p, weightDecay, g);
        // exp_avg.lerp_(grad, 1 - beta1)
        f32x8 difference = g - m;
        m = fromStart ? __builtin_elementwise_fma(weight, difference, m)
                      : __builtin_elementwise_fma(weightFromEnd, difference, g);
        // torch.maximum(exp_inf * beta2, grad.abs() + eps): NaN if either is
        f32x8 a = u * beta2, b = __builtin_elementwise_abs(g) + eps;
        i32x8 eitherNaN = (a != a) | (b != b);
        u = select8(eitherNaN, nan, select8(a > b, a, b));
        // param.addcdiv_(exp_avg, exp_inf, value=-clr)
        p = p + (negativeCLR * m) / u;
        __builtin_memcpy(param + i, &p, sizeof p);
        __builtin_memcpy(expAvg + i, &m, sizeof m);
        __builtin_memcpy(expInf + i, &u, sizeof u);
    }
}

__attribute__((target("avx2,fma")))
void anneal_asgd_update(const anneal_asgd_scalars *s, float *param, const float *grad, float *ax, long count) {
    const f32x8 sign = s->sign, weightDecay = s->weightDecay, shrink = s->shrink;
    const f32x8 negativeEta = s->negativeEta, mu = s->mu;
    const int averaging = s->mu != 1.0f;
    for (long i = 0; i < count; i += 8) {
        f32x8 p, g, a;
        __builtin_memcpy(&p, param + i, sizeof p);
        __builtin_memcpy(&g, grad + i, sizeof g);
        g = g * sign;
        if (s->hasWeightDecay) g = __builtin_elementwise_fma(p, weightDecay, g);
        // param.mul_(1 - lambd * eta); param.add_(grad, alpha=-eta)
        p = __builtin_elementwise_fma(g, negativeEta, p * shrink);
        __builtin_memcpy(param + i, &p, sizeof p);
        // ax.add_(param.sub(ax).mul_(mu)), or ax.copy_(param) when mu is 1
        if (averaging) {
            __builtin_memcpy(&a, ax + i, sizeof a);
            a = a + (p - a) * mu;
        } else {
            a = p;
        }
        __builtin_memcpy(ax + i, &a, sizeof a);
    }
}

__attribute__((target("avx2,fma")))
void anneal_rprop_update(const anneal_rprop_scalars *s, float *param, const float *grad, float *prev,
                         float *stepSize, long count) {
    const f32x8 sign = s->sign, plus = s->etaPlus, minus = s->etaMinus;
    const f32x8 low = s->stepSizeMin, high = s->stepSizeMax, zero = 0.0f, one = 1.0f;
    for (long i = 0; i < count; i += 8) {
        f32x8 p, g, previous, size;
        __builtin_memcpy(&p, param + i, sizeof p);
        __builtin_memcpy(&g, grad + i, sizeof g);
        __builtin_memcpy(&previous, prev + i, sizeof previous);
        __builtin_memcpy(&size, stepSize + i, sizeof size);
        g = g * sign;
        // sign = grad.mul(prev).sign(); the three masked writes, in order
        f32x8 factor = sign8(g * previous);
        factor = select8(factor > zero, plus, factor);
        factor = select8(factor < zero, minus, factor);
        factor = select8(factor == zero, one, factor);
        // step_size.mul_(sign).clamp_(step_size_min, step_size_max): NaN stays
        f32x8 scaled = size * factor;
        f32x8 clamped = select8(scaled < low, low, scaled);
        clamped = select8(clamped > high, high, clamped);
        size = select8(scaled != scaled, scaled, clamped);
        // grad[sign.eq(etaminus)] = 0; param.addcmul_(grad.sign(), step_size, value=-1)
        g = select8(factor == minus, zero, g);
        p = __builtin_elementwise_fma(-sign8(g), size, p);
        __builtin_memcpy(param + i, &p, sizeof p);
        __builtin_memcpy(prev + i, &g, sizeof g);
        __builtin_memcpy(stepSize + i, &size, sizeof size);
    }
}

/// ATen's lerp of one element (Kernels.Element.lerp).
__attribute__((target("avx2,fma"), always_inline)) static inline float lerp1(float start, float end, float weight) {
    return __builtin_fabsf(weight) < 0.5f ? __builtin_fmaf(weight, end - start, start)
                                          : __builtin_fmaf(weight - 1.0f, end - start, end);
}

/// `clamp_(min=floor).rsqrt_()`: `a < floor ? floor : a` (NaN stays), then
/// 1 over the correctly rounded square root.
__attribute__((target("avx2,fma"), always_inline)) static inline f32x8 clamped_rsqrt8(f32x8 v, f32x8 floor) {
    return 1.0f / __builtin_elementwise_sqrt(select8(v < floor, floor, v));
}

/// A norm's 8 lanes, then its last 0 to 7 products, in ATen's order
/// (Kernels.Reduce.norm): the lanes in order, 4 rounded products if 4 or
/// more remain, fused ones for the rest; the root correctly rounded.
__attribute__((target("avx2,fma"), always_inline)) static inline float finish_norm(f32x8 lanes, const float *rest,
                                                                                    int remaining) {
    float sum = lanes[0];
    for (int k = 1; k < 8; k++) sum = sum + lanes[k];
    int d = 0;
    if (remaining >= 4) {
        for (; d < 4; d++) sum = sum + rest[d] * rest[d];
    }
    for (; d < remaining; d++) sum = __builtin_fmaf(rest[d], rest[d], sum);
    return __builtin_elementwise_sqrt(sum);
}

__attribute__((target("avx2,fma")))
void anneal_adafactor_vector_norms(const anneal_adafactor_scalars *s, const float *param, const float *grad,
                                   float *variance, long count, float *paramNorm, float *updateNorm) {
    const f32x8 floor = s->floor;
    const float weight = s->lerpWeight;
    const int fromStart = __builtin_fabsf(weight) < 0.5f;
    const f32x8 w = weight, wFromEnd = weight - 1.0f;
    f32x8 paramLanes = 0.0f, updateLanes = 0.0f;
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        f32x8 p, g, v;
        __builtin_memcpy(&p, param + i, sizeof p);
        __builtin_memcpy(&g, grad + i, sizeof g);
        __builtin_memcpy(&v, variance + i, sizeof v);
        if (s->maximize) g = -g;
        paramLanes = paramLanes + p * p;
        f32x8 squared = g * g, difference = squared - v;
        v = fromStart ? __builtin_elementwise_fma(w, difference, v) : __builtin_elementwise_fma(wFromEnd, difference, squared);
        __builtin_memcpy(variance + i, &v, sizeof v);
        f32x8 u = clamped_rsqrt8(v, floor) * g;
        updateLanes = updateLanes + u * u;
    }
    // The last 0 to 7: the variance and update element by element.
    float restParam[8], restUpdate[8];
    int remaining = (int)(count - i);
    for (int k = 0; k < remaining; k++) {
        float g = s->maximize ? -grad[i + k] : grad[i + k];
        float v = lerp1(variance[i + k], g * g, weight);
        variance[i + k] = v;
        restParam[k] = param[i + k];
        restUpdate[k] = (1.0f / __builtin_elementwise_sqrt(v < s->floor ? s->floor : v)) * g;
    }
    *paramNorm = finish_norm(paramLanes, restParam, remaining);
    *updateNorm = finish_norm(updateLanes, restUpdate, remaining);
}

__attribute__((target("avx2,fma")))
void anneal_adafactor_vector_update(const anneal_adafactor_scalars *s, float *param, const float *grad,
                                    const float *variance, long count) {
    const f32x8 floor = s->floor, decay = s->decay, scale = s->scale;
    for (long i = 0; i < count; i += 8) {
        f32x8 p, g, v;
        __builtin_memcpy(&p, param + i, sizeof p);
        __builtin_memcpy(&g, grad + i, sizeof g);
        __builtin_memcpy(&v, variance + i, sizeof v);
        if (s->maximize) g = -g;
        // param.mul_(1 - lr * weight_decay); param.add_(update, alpha=-alpha / denom)
        if (s->hasWeightDecay) p = p * decay;
        p = __builtin_elementwise_fma(clamped_rsqrt8(v, floor) * g, scale, p);
        __builtin_memcpy(param + i, &p, sizeof p);
    }
}

#else

int anneal_elementwise_kernels_available(void) { return 0; }

void anneal_adamax_update(const anneal_adamax_scalars *s, float *param, const float *grad, float *expAvg,
                          float *expInf, long count) {
    (void)s, (void)param, (void)grad, (void)expAvg, (void)expInf, (void)count;
}

void anneal_asgd_update(const anneal_asgd_scalars *s, float *param, const float *grad, float *ax, long count) {
    (void)s, (void)param, (void)grad, (void)ax, (void)count;
}

void anneal_rprop_update(const anneal_rprop_scalars *s, float *param, const float *grad, float *prev,
                         float *stepSize, long count) {
    (void)s, (void)param, (void)grad, (void)prev, (void)stepSize, (void)count;
}

void anneal_adafactor_vector_norms(const anneal_adafactor_scalars *s, const float *param, const float *grad,
                                   float *variance, long count, float *paramNorm, float *updateNorm) {
    (void)s, (void)param, (void)grad, (void)variance, (void)count;
    *paramNorm = 0, *updateNorm = 0;
}

void anneal_adafactor_vector_update(const anneal_adafactor_scalars *s, float *param, const float *grad,
                                    const float *variance, long count) {
    (void)s, (void)param, (void)grad, (void)variance, (void)count;
}

#endif
