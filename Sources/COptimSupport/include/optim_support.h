#ifndef ANNEAL_OPTIM_SUPPORT_H
#define ANNEAL_OPTIM_SUPPORT_H
#include <stdint.h>

/// Asks the CPU to start loading the cache line at `address` (to be read and
/// written soon), so a loop that computes for a while between its loads keeps
/// memory busy. Only a hint: no effect on results, no fault on any address.
/// Swift has no prefetch of its own; this inlines to one `prefetcht0`.
static inline __attribute__((always_inline)) void anneal_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

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

#endif
