#ifndef ANNEAL_ELEMENTWISE_KERNELS_H
#define ANNEAL_ELEMENTWISE_KERNELS_H

// The C loops of the optimizers without MKL's square root (Adamax, ASGD,
// Rprop, Adafactor's vectors): x86-64 with AVX2 and FMA, chosen at run time, so a build for plain
// x86-64 (whose Swift `addingProduct` is a call to libm's `fmaf`) runs them
// at memory speed too. Each is bit for bit its optimizer's Swift loop
// (`Kernels.<Name>.scalarLoop`), which runs everywhere else.

/// 1 where the loops below can run: an x86-64 CPU with AVX2 and FMA.
int anneal_elementwise_kernels_available(void);

/// One group's Adamax constants, as `Kernels.Adamax.Scalars` gives them.
typedef struct {
    float sign;                 ///< -1 with maximize, else 1
    float weightDecay;          ///< used when `hasWeightDecay`
    float lerpWeight;           ///< exp_avg.lerp_(grad, 1 - beta1)'s weight
    float beta2, eps, negativeCLR;
    int hasWeightDecay;
} anneal_adamax_scalars;

/// `_single_tensor_adamax`'s update of `count` elements (a multiple of 8).
void anneal_adamax_update(const anneal_adamax_scalars *s, float *param, const float *grad, float *expAvg,
                          float *expInf, long count);

/// One group's ASGD constants for one parameter, as `Kernels.ASGD.Scalars` gives them.
typedef struct {
    float sign;                 ///< -1 with maximize, else 1
    float weightDecay;          ///< used when `hasWeightDecay`
    float shrink;               ///< 1 - lambd * eta
    float negativeEta, mu;
    int hasWeightDecay;
} anneal_asgd_scalars;

/// `_single_tensor_asgd`'s update of `count` elements (a multiple of 8).
void anneal_asgd_update(const anneal_asgd_scalars *s, float *param, const float *grad, float *ax, long count);

/// One group's Rprop constants, as `Kernels.Rprop.Scalars` gives them.
typedef struct {
    float sign;                 ///< -1 with maximize, else 1
    float etaPlus, etaMinus, stepSizeMin, stepSizeMax;
} anneal_rprop_scalars;

/// `_single_tensor_rprop`'s update of `count` elements (a multiple of 8).
void anneal_rprop_update(const anneal_rprop_scalars *s, float *param, const float *grad, float *prev,
                         float *stepSize, long count);

/// One vector parameter's Adafactor constants, as `Kernels.Adafactor.Scalars` gives them.
typedef struct {
    float lerpWeight;           ///< variance.lerp_(grad * grad, 1 - beta2_t)'s weight
    float floor;                ///< clamp_(min=eps1 * eps1)
    float decay;                ///< 1 - lr * weight_decay (used when `hasWeightDecay`)
    float scale;                ///< -alpha / denom
    int maximize, hasWeightDecay;
} anneal_adafactor_scalars;

/// The first pass of `_single_tensor_adafactor` over a vector of `count`
/// elements, in order on one thread: `param.norm(2)` (before any write),
/// `variance.lerp_(grad * grad, w)` written, and the norm of the update
/// `variance.clamp(min=floor).rsqrt() * grad` (not stored); both norms in
/// ATen's summation order (Sources/AnnealOptim/Kernels/Reductions.swift).
void anneal_adafactor_vector_norms(const anneal_adafactor_scalars *s, const float *param, const float *grad,
                                   float *variance, long count, float *paramNorm, float *updateNorm);

/// The second pass, over `count` elements (a multiple of 8): the update
/// recomputed from the written variance, `param = param * decay + scale * update`.
void anneal_adafactor_vector_update(const anneal_adafactor_scalars *s, float *param, const float *grad,
                                    const float *variance, long count);

#endif
