#ifndef ANNEAL_OPTIM_SUPPORT_H
#define ANNEAL_OPTIM_SUPPORT_H
#include <stdint.h>

/// Asks the CPU to start loading, for each of the `count` streams, the
/// cache lines of bytes `offset ..< offset + length` past the stream's
/// start (to be read and written soon), so a loop that computes for a while
/// between its loads keeps memory busy. Only hints: no effect on results,
/// no fault on any address, even past the end of an allocation. (A function
/// rather than an inline prefetch: Swift has no prefetch, and does not
/// inline C's.)
void anneal_prefetch_lines(void *const *streams, int count, long offset, long length);

/// 1 when the code importing this header is compiled for FMA instructions
/// (e.g. `-Xcc -march=x86-64-v3`): Swift's `addingProduct` is then one
/// instruction and ``anneal_fma16`` is not needed.
#if defined(__FMA__)
#define ANNEAL_BUILD_HAS_FMA 1
#else
#define ANNEAL_BUILD_HAS_FMA 0
#endif

/// 1 when the CPU running the code has x86's FMA and AVX2 instructions
/// (whatever the build targets), else 0.
int anneal_cpu_has_fma(void);

/// `result[i] = fma(x[i], y[i], augend[i])` for 16 float32 lanes (one
/// rounding each), with the CPU's FMA instructions: for builds that target
/// plain x86-64, where each lane would otherwise be a call to libm's `fmaf`.
/// Call only where ``anneal_cpu_has_fma`` is 1.
void anneal_fma16(const float *augend, const float *x, const float *y, float *result);

/// 1 where ``anneal_rsqrt_estimates`` runs the CPU's `rsqrtps` (x86-64), 0
/// elsewhere (it then does nothing).
int anneal_rsqrt_supported(void);

/// For each of `count` (a multiple of 4) float32 bit patterns `x`, writes
/// `rsqrtps(x')` to `estimates`, where `x'` is `x` with its sign cleared and
/// its exponent replaced by 127 (odd biased exponent) or 128 (even): the
/// reciprocal square root estimate of `x`'s mantissa scaled into [1, 4), as
/// `MKLSqrt.rsqrtTable` holds it. Returns 1 when some `x` is "rare" (zero,
/// subnormal, negative, infinite, NaN, or near the top of the range: the
/// lanes `MKLSqrt` computes with a correctly rounded square root), else 0.
///
/// `rsqrtps` is an approximation whose exact values differ between CPU
/// vendors, so Swift uses this only after checking that it reproduces every
/// entry of the table on this CPU.
int anneal_rsqrt_estimates(const uint32_t *x, uint32_t *estimates, long count);

/// 1 when this CPU's `rsqrtps(x)`, for normal `x` below MKL's rare range,
/// is the estimate `table` (`MKLSqrt.rsqrtTable`) gives for `x`'s mantissa
/// in [1, 4) scaled by `2^-k` (`x = 4^k x'`), as ``anneal_adam_update``
/// assumes: checked for every exponent and table index, with the
/// mantissa's low bits all clear and all set (2 million inputs, about a
/// millisecond). 0 elsewhere, and on CPUs without AVX2.
int anneal_rsqrt_scales_exactly(const uint32_t *table);

/// One group's Adam/AdamW constants, as `Kernels.Adam.Scalars` gives them.
typedef struct {
    float sign;                 ///< -1 with maximize, else 1
    float coupledWeightDecay;   ///< Adam's weight_decay (used when `coupled`)
    float decay;                ///< AdamW's 1 - lr * weight_decay, else 1
    float lerpCoefficient;      ///< lerp's w, or w - 1 when `lerpFromEnd`
    float beta2, oneMinusBeta2, biasCorrection2Sqrt, eps, negativeStepSize;
    int lerpFromEnd;            ///< 1 when |w| >= 0.5 (ATen's lerp from the end)
    int coupled;                ///< 1 for Adam's coupled weight decay
} anneal_adam_scalars;

/// 1 where ``anneal_adam_update`` can run: an x86-64 CPU with AVX-512, or
/// AVX2 and FMA. (Its estimates are the CPU's `rsqrtps` of each `x`: callers
/// also check ``anneal_rsqrt_scales_exactly``.)
int anneal_adam_kernel_available(void);

/// `_single_tensor_adam`'s update of `count` elements (a multiple of 16),
/// one pass; `maxExpAvgSq` is NULL without amsgrad. Bit for bit the Swift
/// loop's result.
void anneal_adam_update(const anneal_adam_scalars *s, float *param, const float *grad, float *expAvg, float *expAvgSq,
                        float *maxExpAvgSq, long count);

/// One group's RMSprop constants, as `Kernels.RMSprop.Scalars` gives them.
typedef struct {
    float sign;                 ///< -1 with maximize, else 1
    float weightDecay;          ///< used when `hasWeightDecay`
    float alpha, oneMinusAlpha;
    float lerpCoefficient;      ///< grad_avg's lerp w, or w - 1 when `lerpFromEnd`
    float eps, momentum, negativeLR;
    int hasWeightDecay;
    int lerpFromEnd;            ///< 1 when |w| >= 0.5 (ATen's lerp from the end)
} anneal_rmsprop_scalars;

/// 1 where ``anneal_rmsprop_update`` can run: as ``anneal_adam_kernel_available``
/// (callers also check ``anneal_rsqrt_scales_exactly``).
int anneal_rmsprop_kernel_available(void);

/// `_single_tensor_rmsprop`'s update of `count` elements (a multiple of 16),
/// one pass; `gradAvg` is NULL unless centered, `momentumBuffer` NULL
/// without momentum. Bit for bit the Swift loop's result.
void anneal_rmsprop_update(const anneal_rmsprop_scalars *s, float *param, const float *grad, float *squareAvg,
                           float *gradAvg, float *momentumBuffer, long count);

/// A share of a parallel loop: `index` runs from 0 to the job's count - 1.
typedef void (*anneal_pool_task)(void *context, long index);

/// Runs `task(context, i)` for every `i` in `0 ..< count`, at the same time:
/// `i = 0` on the calling thread, the others on a pool of worker threads
/// (one fewer than the cores) that spin for 0.2 ms after a job before they
/// sleep, so a loop's shares start together. Returns 1 once all are done;
/// returns 0 at once, having run nothing, when `count < 2`, when the pool has
/// too few workers, or when it is busy with another thread's job (or this
/// one's: a task that calls this gets 0): the caller then runs its loop
/// some other way. Linux only (0 elsewhere).
int anneal_pool_run(long count, anneal_pool_task task, void *context);

/// One group's SGD constants, as `Kernels.SGD.Scalars` gives them.
typedef struct {
    float sign;                 ///< -1 with maximize, else 1
    float weightDecay;          ///< used when `hasWeightDecay`
    float momentum, oneMinusDampening, negativeLR;
    int hasWeightDecay;
    int initialize;             ///< the momentum buffer's first step: buf = grad
    int nesterov;
} anneal_sgd_scalars;

/// 1 where ``anneal_sgd_update`` can run: an x86-64 CPU with AVX2 and FMA.
int anneal_sgd_kernel_available(void);

/// `_single_tensor_sgd`'s update of `count` elements (a multiple of 8);
/// `buffer` is the momentum buffer, NULL without momentum. Bit for bit the
/// Swift loop's result.
void anneal_sgd_update(const anneal_sgd_scalars *s, float *param, const float *grad, float *buffer, long count);

/// One parameter's Adagrad constants, as `Kernels.Adagrad.Scalars` gives them.
typedef struct {
    float sign;                 ///< -1 with maximize, else 1
    float weightDecay;          ///< used when `hasWeightDecay`
    float eps;
    float negativeCLR;          ///< -lr / (1 + (step - 1) * lr_decay), rounded once
    int hasWeightDecay;
} anneal_adagrad_scalars;

/// 1 where ``anneal_adagrad_update`` can run: as ``anneal_adam_kernel_available``
/// (callers also check ``anneal_rsqrt_scales_exactly``).
int anneal_adagrad_kernel_available(void);

/// `_single_tensor_adagrad`'s update of `count` elements (a multiple of 16),
/// one pass. Bit for bit the Swift loop's result.
void anneal_adagrad_update(const anneal_adagrad_scalars *s, float *param, const float *grad, float *sum, long count);

/// One group's Adadelta constants, as `Kernels.Adadelta.Scalars` gives them.
typedef struct {
    float sign;                 ///< -1 with maximize, else 1
    float weightDecay;          ///< used when `hasWeightDecay`
    float rho, oneMinusRho, eps, negativeLR;
    int hasWeightDecay;
} anneal_adadelta_scalars;

/// 1 where ``anneal_adadelta_update`` can run: as ``anneal_adam_kernel_available``
/// (callers also check ``anneal_rsqrt_scales_exactly``).
int anneal_adadelta_kernel_available(void);

/// `_single_tensor_adadelta`'s update of `count` elements (a multiple of 16),
/// one pass. Bit for bit the Swift loop's result.
void anneal_adadelta_update(const anneal_adadelta_scalars *s, float *param, const float *grad, float *squareAvg,
                            float *accDelta, long count);

/// One NAdam parameter's constants for one step, as `Kernels.NAdam.Scalars` gives them.
typedef struct {
    float sign;                 ///< -1 with maximize, else 1
    float coupledWeightDecay;   ///< weight_decay (used when `coupled`)
    float decay;                ///< 1 - lr * weight_decay when decoupled, else 1
    float lerpCoefficient;      ///< lerp's w, or w - 1 when `lerpFromEnd`
    float beta2, oneMinusBeta2, biasCorrection2, eps;
    float gradValue;            ///< the first addcdiv_'s value, -lr (1 - mu) / (1 - mu_product)
    float expAvgValue;          ///< the second's, -lr mu_next / (1 - mu_product mu_next)
    int lerpFromEnd;            ///< 1 when |w| >= 0.5 (ATen's lerp from the end)
    int coupled;                ///< 1 for the coupled weight decay (grad.add(param, alpha=weight_decay))
} anneal_nadam_scalars;

/// 1 where ``anneal_nadam_update`` can run: as ``anneal_adam_kernel_available``
/// (callers also check ``anneal_rsqrt_scales_exactly``).
int anneal_nadam_kernel_available(void);

/// `_single_tensor_nadam`'s update of `count` elements (a multiple of 16),
/// one pass. Bit for bit the Swift loop's result.
void anneal_nadam_update(const anneal_nadam_scalars *s, float *param, const float *grad, float *expAvg,
                         float *expAvgSq, long count);

/// One RAdam parameter's constants for one step, as `Kernels.RAdam.Scalars` gives them.
typedef struct {
    float sign;                 ///< -1 with maximize, else 1
    float coupledWeightDecay;   ///< weight_decay (used when `coupled`)
    float decay;                ///< 1 - lr * weight_decay when decoupled, else 1
    float lerpCoefficient;      ///< lerp's w, or w - 1 when `lerpFromEnd`
    float beta2, oneMinusBeta2, biasCorrection1, lr, eps;
    float biasCorrection2Sqrt;  ///< bias_correction2 ** 0.5 (used when `rectified`)
    float rect;                 ///< the rectification term (used when `rectified`)
    int lerpFromEnd;            ///< 1 when |w| >= 0.5 (ATen's lerp from the end)
    int coupled;                ///< 1 for the coupled weight decay (grad.add(param, alpha=weight_decay))
    int rectified;              ///< 1 when rho_t > 5: the adaptive update
} anneal_radam_scalars;

/// 1 where ``anneal_radam_update`` can run: as ``anneal_adam_kernel_available``
/// (callers also check ``anneal_rsqrt_scales_exactly``).
int anneal_radam_kernel_available(void);

/// `_single_tensor_radam`'s update of `count` elements (a multiple of 16),
/// one pass. Bit for bit the Swift loop's result.
void anneal_radam_update(const anneal_radam_scalars *s, float *param, const float *grad, float *expAvg,
                         float *expAvgSq, long count);

#endif
