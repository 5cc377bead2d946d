// The update loops of SGD, Adam/AdamW and RMSprop: one pass over memory per
// parameter tensor, 8 float32 lanes at a time, with exactly the arithmetic of
// PyTorch 2.13's `foreach=False` CPU path (`_single_tensor_sgd`,
// `_single_tensor_adam`, `_single_tensor_rmsprop`).
//
// PyTorch runs those as a chain of elementwise tensor ops, each one pass over
// memory rounding its result to float32. Anneal fuses the chain into one
// loop but rounds at the same places, so every intermediate value is the
// float32 PyTorch stores. What each op computes was found by experiment
// against `torch` (random float32 operands, 4,096 elements through ATen's
// vectorized AVX-512 loop and 31 through its scalar remainder loop, each
// candidate formula evaluated with exact `fmaf` from libm; the one with 0
// mismatches in both is the one written here; the other candidates had
// hundreds):
//
// | PyTorch op (float32 tensors a, t1, t2; Python float scalars) | computes |
// | --- | --- |
// | `a.mul_(s)` | `a * Float(s)` |
// | `a.add(t1, alpha=s)`, `a.add_(t1, alpha=s)` | `fma(t1, Float(s), a)`: one rounding |
// | `a.add_(s)` (a scalar) | `a + Float(s)` |
// | `a / s` (a scalar) | `a / Float(s)`: a true division, not a multiplication by `1/s` |
// | `a.lerp_(t1, w)` | `fma(w, t1 - a, a)` if `abs(w) < 0.5`, else `fma(w - 1, t1 - a, t1)`, with `w = Float(w)` and `w - 1` in float32 |
// | `a.addcmul_(t1, t2, value=v)` | `fma(Float(v) * t1, t2, a)`: the product `v * t1` rounded, then fused |
// | `a.addcdiv_(t1, t2, value=v)` | `a + (Float(v) * t1) / t2`: three roundings, no FMA |
// | `a.sqrt()` | MKL's `vsSqrt`, see ``MKLSqrt`` (not correctly rounded) |
// | `-a`, `torch.maximum` | exact |
//
// ATen's vectorized loop and its scalar remainder loop agree for every op
// above (both fuse), so the result does not depend on where a tensor's
// elements fall, on the tensor's size or on how ATen splits it among
// threads. Python scalars are doubles; PyTorch converts each one to float32
// (round to nearest) when an op receives it, so everything computed from
// hyperparameters before that point is double arithmetic, in Python's order:
// `1 - dampening`, `1 - beta1`, `1 - beta2`, `1 - alpha`, `1 - lr * weight_decay`,
// `-lr`, and Adam's bias corrections `1 - beta1 ** step`, `1 - beta2 ** step`
// (libm `pow`, `step` being the float32 step count as a double),
// `step_size = lr / bias_correction1`, `bias_correction2 ** 0.5` (`pow(x, 0.5)`,
// not `sqrt`). The step counter itself is a float32 tensor (`step_t += 1`).
//
// Each loop below handles a tensor's last `count % 16` elements by running
// the same vector code on a zero-padded copy, so every element gets the
// same arithmetic. Swift never contracts `a * b + c` into an FMA, so
// separately rounded operations stay separate; `fusedMultiplyAdd` is the FMA.
//
// On x86-64, SGD's and Adam's loops run in C where the CPU allows (see
// `sgdRunsInC`, `adamRunsInC` and Sources/COptimSupport): C can choose the
// instruction set at run time and inline `rsqrtps`, which Swift cannot.
// Those loops repeat the Swift ones' arithmetic operation for operation,
// and KernelTests compares the two bit for bit.
//
// The loops are specialized at compile time for the options that change
// which memory they touch (weight decay, momentum, amsgrad, centered), so
// the loop body has no branches; the others are branch-free and exact:
// `maximize` multiplies by -1, AdamW's decay multiplies by 1 when off, and
// lerp's formula is picked with a uniform blend.

#if canImport(Glibc)
    import Glibc
#endif
import COptimSupport
import Dispatch

/// The vector the loops work on: 16 float32 lanes, one AVX-512 register or
/// two AVX ones (16 lanes measured faster than 8 with either).
typealias Lanes = SIMD16<Float>
typealias UInt32Lanes = SIMD16<UInt32>
typealias Int32Lanes = SIMD16<Int32>
let laneCount = 16  // Lanes.scalarCount, as a literal the optimizer folds

@inline(__always)
func load(_ base: UnsafeMutablePointer<Float>, _ offset: Int) -> Lanes {
    UnsafeRawPointer(base + offset).loadUnaligned(as: Lanes.self)
}

@inline(__always)
func store(_ vector: Lanes, _ base: UnsafeMutablePointer<Float>, _ offset: Int) {
    UnsafeMutableRawPointer(base + offset).storeBytes(of: vector, as: Lanes.self)
}

/// A compile-time option of a loop.
protocol KernelFlag { static var isOn: Bool { get } }
enum On: KernelFlag { static var isOn: Bool { true } }
enum Off: KernelFlag { static var isOn: Bool { false } }

/// The arrays a loop streams through, by position: 0 the parameter, 1 the
/// gradient (only read), 2... the state. Unused positions repeat the parameter.
struct Streams {
    var s0, s1, s2, s3, s4: UnsafeMutablePointer<Float>

    init(
        _ s0: UnsafeMutablePointer<Float>, _ s1: UnsafePointer<Float>, _ s2: UnsafeMutablePointer<Float>? = nil,
        _ s3: UnsafeMutablePointer<Float>? = nil, _ s4: UnsafeMutablePointer<Float>? = nil
    ) {
        self.s0 = s0
        self.s1 = UnsafeMutablePointer(mutating: s1)
        self.s2 = s2 ?? s0
        self.s3 = s3 ?? s0
        self.s4 = s4 ?? s0
    }

    @inline(__always)
    subscript(position: Int) -> UnsafeMutablePointer<Float> {
        switch position {
        case 0: return s0
        case 1: return s1
        case 2: return s2
        case 3: return s3
        default: return s4
        }
    }
}

/// An optimizer's update loop over a block of elements.
protocol VectorKernel {
    /// Which positions of ``Streams`` the update uses (bit i: position i).
    var streamsUsed: Int { get }
    /// The most elements one ``update(_:at:count:scratch:)`` takes:
    /// ``blockSize`` for the Swift loops, whose scratch holds that many;
    /// a thread's whole share for a C loop, which needs no scratch and
    /// whose call per block cost 2% of a step.
    var elementsPerUpdate: Int { get }
    /// Updates the `count` elements (a multiple of `laneCount`, at most
    /// ``elementsPerUpdate``) at `offset` of every stream; `scratch` holds
    /// ``blockSize`` words.
    func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>)
}

/// The elements a kernel updates at a time (its scratch fits in L1).
let blockSize = 128

/// How far ahead (in elements: two blocks) the compute-bound passes of the
/// Swift Adam and RMSprop loops prefetch; by measurement (`make
/// bench-optim`), Adam's step there takes 20–40% less time with it. (SGD,
/// one pass that computes little, and Adam's one-pass C loop are faster
/// with the hardware's prefetching alone.)
let prefetchDistance = 256

/// Runs `kernel` over `count` elements: whole vectors in place, the rest
/// (fewer than `laneCount`) through zero-padded copies, so that every
/// element gets the same arithmetic.
@inline(__always)
func runKernel<Kernel: VectorKernel>(_ kernel: Kernel, _ streams: Streams, count: Int) {
    let whole = count / laneCount * laneCount
    parallelChunks(whole) { start, end in
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: blockSize) { scratch in
            var offset = start
            let most = kernel.elementsPerUpdate
            while offset < end {
                let block = min(most, end &- offset)
                kernel.update(streams, at: offset, count: block, scratch: scratch.baseAddress!)
                offset &+= block
            }
        }
    }
    let rest = count - whole
    guard rest > 0 else { return }
    var padded = (Lanes(), Lanes(), Lanes(), Lanes(), Lanes())
    withUnsafeMutableBytes(of: &padded) { raw in
        let base = raw.baseAddress!.assumingMemoryBound(to: Float.self)
        let local = Streams(base, base + laneCount, base + 2 * laneCount, base + 3 * laneCount, base + 4 * laneCount)
        for position in 0..<5 where kernel.streamsUsed & (1 << position) != 0 {
            local[position].update(from: streams[position] + whole, count: rest)
        }
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: blockSize) { scratch in
            kernel.update(local, at: 0, count: laneCount, scratch: scratch.baseAddress!)
        }
        // Copy back what the update writes (never the gradient).
        for position in [0, 2, 3, 4] where kernel.streamsUsed & (1 << position) != 0 {
            (streams[position] + whole).update(from: local[position], count: rest)
        }
    }
}

/// Prefetches, for each stream a kernel uses, elements `start + prefetchDistance
/// ..< end + prefetchDistance`: called before a compute-bound pass over
/// `start ..< end`, it keeps the loads of the blocks ahead in flight
/// meanwhile. Past the end of a tensor the hints are harmless (prefetches
/// never fault).
@inline(__always)
func prefetchAhead(_ streams: Streams, from start: Int, to end: Int, streamsUsed: Int) {
    var pointers: (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) =
        (nil, nil, nil, nil, nil)
    var count: Int32 = 0
    withUnsafeMutableBytes(of: &pointers) { raw in
        let slots = raw.baseAddress!.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        for position in 0..<5 where streamsUsed & (1 << position) != 0 {
            slots[Int(count)] = UnsafeMutableRawPointer(streams[position])
            count += 1
        }
        anneal_prefetch_lines(
            slots, count, (start &+ prefetchDistance) &* MemoryLayout<Float>.stride, (end &- start) &* MemoryLayout<Float>.stride)
    }
}

/// `augend + x * y` rounded once (`augend.addingProduct(x, y)`): one
/// instruction in builds for FMA; in builds for plain x86-64 (where LLVM
/// would call libm's `fmaf` for each lane) one out-of-line call that runs
/// the CPU's FMA instructions when it has them. The result is the same
/// correctly rounded value every way.
@inline(__always)
func fusedMultiplyAdd(_ augend: Lanes, _ x: Lanes, _ y: Lanes) -> Lanes {
    if ANNEAL_BUILD_HAS_FMA != 0 || !cpuHasFMA { return augend.addingProduct(x, y) }
    var operands = (augend, x, y)
    var result = Lanes()
    withUnsafeMutableBytes(of: &operands) { raw in
        let base = raw.baseAddress!.assumingMemoryBound(to: Float.self)
        withUnsafeMutableBytes(of: &result) { out in
            anneal_fma16(base, base + laneCount, base + 2 * laneCount, out.baseAddress!.assumingMemoryBound(to: Float.self))
        }
    }
    return result
}

/// Whether the CPU has FMA (and AVX2), checked once.
let cpuHasFMA = anneal_cpu_has_fma() != 0

/// `torch.lerp(start, end, weight)` with a scalar weight: ATen's `lerp` and
/// `lerp_vec`: `fma(w, end - start, start)` when `abs(w) < 0.5`, else
/// `fma(w - 1, end - start, end)` (`is_lerp_weight_small` decides once per call).
struct Lerp {
    let coefficient: Lanes
    let fromEnd: SIMDMask<Int32Lanes>

    init(weight: Double) {
        let weight = Float(weight)
        let small = abs(weight) < 0.5
        coefficient = Lanes(repeating: small ? weight : weight - 1)
        fromEnd = SIMDMask(repeating: !small)
    }

    @inline(__always)
    func callAsFunction(_ start: Lanes, _ end: Lanes) -> Lanes {
        fusedMultiplyAdd(start.replacing(with: end, where: fromEnd), end - start, coefficient)
    }
}

// MARK: - SGD

/// One group's SGD hyperparameters, as the loop uses them.
struct SGDScalars {
    /// `Float(-lr)`: `param.add_(grad, alpha=-lr)`.
    var negativeLR: Float
    /// `Float(weight_decay)`: `grad.add(param, alpha=weight_decay)`; `nil` when 0.
    var weightDecay: Float?
    /// `Float(momentum)`; `nil` when `momentum == 0`.
    var momentum: Float?
    /// `Float(1 - dampening)`: `buf.mul_(momentum).add_(grad, alpha=1 - dampening)`.
    var oneMinusDampening: Float
    var nesterov: Bool
    var maximize: Bool
}

/// `_single_tensor_sgd` for one vector. `Initialize`: the first step with
/// momentum (`buf = grad.clone()`).
struct SGDVector<WeightDecay: KernelFlag, Momentum: KernelFlag, Initialize: KernelFlag>: VectorKernel {
    let sign: Lanes
    let weightDecay: Lanes
    let momentum: Lanes
    let oneMinusDampening: Lanes
    let nesterov: SIMDMask<Int32Lanes>
    let negativeLR: Lanes

    /// The same constants for the C loop (``anneal_sgd_update``), used
    /// when `inC` (by default where ``sgdRunsInC``).
    let cScalars: anneal_sgd_scalars
    let inC: Bool

    init(_ s: SGDScalars, inC: Bool) {
        precondition(!inC || sgdRunsInC, "SGD's C loop needs AVX2 and FMA")
        self.inC = inC
        cScalars = anneal_sgd_scalars(
            sign: s.maximize ? -1 : 1, weightDecay: s.weightDecay ?? 0, momentum: s.momentum ?? 0,
            oneMinusDampening: s.oneMinusDampening, negativeLR: s.negativeLR, hasWeightDecay: WeightDecay.isOn ? 1 : 0,
            initialize: Initialize.isOn ? 1 : 0, nesterov: s.nesterov ? 1 : 0)
        sign = Lanes(repeating: s.maximize ? -1 : 1)  // -g is exactly g * -1
        weightDecay = Lanes(repeating: s.weightDecay ?? 0)
        momentum = Lanes(repeating: s.momentum ?? 0)
        oneMinusDampening = Lanes(repeating: s.oneMinusDampening)
        nesterov = SIMDMask(repeating: s.nesterov)
        negativeLR = Lanes(repeating: s.negativeLR)
    }

    var streamsUsed: Int { Momentum.isOn ? 0b111 : 0b11 }
    var elementsPerUpdate: Int { inC ? .max : blockSize }

    @inline(__always)
    func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
        if inC {
            withUnsafePointer(to: cScalars) { scalars in
                anneal_sgd_update(scalars, streams.s0 + offset, streams.s1 + offset, Momentum.isOn ? streams.s2 + offset : nil, count)
            }
            return
        }
        for i in stride(from: offset, to: offset &+ count, by: laneCount) { update(streams, at: i) }
    }

    @inline(__always)
    func update(_ streams: Streams, at i: Int) {
        let p = load(streams.s0, i)
        var g = load(streams.s1, i) * sign
        if WeightDecay.isOn { g = fusedMultiplyAdd(g, p, weightDecay) }
        if Momentum.isOn {
            var b = g
            if !Initialize.isOn { b = fusedMultiplyAdd(load(streams.s2, i) * momentum, g, oneMinusDampening) }
            store(b, streams.s2, i)
            // Nesterov: grad.add(buf, alpha=momentum); otherwise grad = buf.
            g = b.replacing(with: fusedMultiplyAdd(g, b, momentum), where: nesterov)
        }
        store(fusedMultiplyAdd(p, g, negativeLR), streams.s0, i)
    }
}

/// Whether SGD's loop runs in C (`Sources/COptimSupport/sgd_kernel.c`):
/// on x86-64 CPUs with AVX2 and FMA, in every build (a build for plain
/// x86-64 has no FMA instructions of its own), with the same arithmetic as
/// the Swift loop, which runs everywhere else.
let sgdRunsInC = anneal_sgd_kernel_available() != 0

enum SGDKernel {
    /// `_single_tensor_sgd` for one parameter; `buffer` is the momentum
    /// buffer when momentum is on, `initializeBuffer` on its first step.
    /// `inC` chooses the loop (the tests run both and compare them).
    static func run(
        _ s: SGDScalars, count: Int, param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
        buffer: UnsafeMutablePointer<Float>?, initializeBuffer: Bool, inC: Bool = sgdRunsInC
    ) {
        let streams = Streams(param, grad, buffer)
        switch (s.weightDecay != nil, buffer != nil, initializeBuffer) {
        case (false, false, _): runKernel(SGDVector<Off, Off, Off>(s, inC: inC), streams, count: count)
        case (true, false, _): runKernel(SGDVector<On, Off, Off>(s, inC: inC), streams, count: count)
        case (false, true, false): runKernel(SGDVector<Off, On, Off>(s, inC: inC), streams, count: count)
        case (true, true, false): runKernel(SGDVector<On, On, Off>(s, inC: inC), streams, count: count)
        case (false, true, true): runKernel(SGDVector<Off, On, On>(s, inC: inC), streams, count: count)
        case (true, true, true): runKernel(SGDVector<On, On, On>(s, inC: inC), streams, count: count)
        }
    }
}

// MARK: - Adam, AdamW

/// One group's Adam/AdamW hyperparameters for one step count.
struct AdamScalars {
    var maximize: Bool
    /// `Float(weight_decay)` for Adam's `grad.add(param, alpha=weight_decay)`; `nil` when 0 or decoupled.
    var coupledWeightDecay: Float?
    /// `Float(1 - lr * weight_decay)` for AdamW's `param.mul_(...)`; `nil` when 0 or coupled.
    var decoupledDecay: Float?
    /// `exp_avg.lerp_(grad, 1 - beta1)`.
    var lerp: Lerp
    /// `Float(beta2)`, `Float(1 - beta2)`: `exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)`.
    var beta2: Float
    var oneMinusBeta2: Float
    /// `Float(bias_correction2 ** 0.5)`: `(exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)`.
    var biasCorrection2Sqrt: Float
    var eps: Float
    /// `Float(-step_size)`: `param.addcdiv_(exp_avg, denom, value=-step_size)`.
    var negativeStepSize: Float
}

/// `_single_tensor_adam` (not capturable) for one vector.
struct AdamVector<CoupledWeightDecay: KernelFlag, AMSGrad: KernelFlag>: VectorKernel {
    let sign: Lanes
    let coupledWeightDecay: Lanes
    let decay: Lanes
    let lerp: Lerp
    let beta2: Lanes
    let oneMinusBeta2: Lanes
    let biasCorrection2Sqrt: Lanes
    let eps: Lanes
    let negativeStepSize: Lanes
    let table: UnsafePointer<UInt32>

    /// The same constants for the C loop (``anneal_adam_update``), used
    /// when `inC` (by default where ``adamRunsInC``).
    let cScalars: anneal_adam_scalars
    let inC: Bool

    init(_ s: AdamScalars, table: UnsafePointer<UInt32>, inC: Bool) {
        precondition(!inC || adamRunsInC, "Adam's C loop needs AVX2 or AVX-512 and the CPU's rsqrtps to match the table")
        self.inC = inC
        cScalars = anneal_adam_scalars(
            sign: s.maximize ? -1 : 1, coupledWeightDecay: s.coupledWeightDecay ?? 0, decay: s.decoupledDecay ?? 1,
            lerpCoefficient: s.lerp.coefficient[0], beta2: s.beta2, oneMinusBeta2: s.oneMinusBeta2,
            biasCorrection2Sqrt: s.biasCorrection2Sqrt, eps: s.eps, negativeStepSize: s.negativeStepSize,
            lerpFromEnd: s.lerp.fromEnd[0] ? 1 : 0, coupled: CoupledWeightDecay.isOn ? 1 : 0)
        sign = Lanes(repeating: s.maximize ? -1 : 1)  // -g is exactly g * -1
        coupledWeightDecay = Lanes(repeating: s.coupledWeightDecay ?? 0)
        decay = Lanes(repeating: s.decoupledDecay ?? 1)  // p * 1 is exactly p
        lerp = s.lerp
        beta2 = Lanes(repeating: s.beta2)
        oneMinusBeta2 = Lanes(repeating: s.oneMinusBeta2)
        biasCorrection2Sqrt = Lanes(repeating: s.biasCorrection2Sqrt)
        eps = Lanes(repeating: s.eps)
        negativeStepSize = Lanes(repeating: s.negativeStepSize)
        self.table = table
    }

    var streamsUsed: Int { AMSGrad.isOn ? 0b11111 : 0b1111 }
    var elementsPerUpdate: Int { inC ? .max : blockSize }

    /// Three passes over the block (in L1 after the first): the moments;
    /// the `rsqrtps` estimates of the square root's argument
    /// (``MKLSqrt/lookUpEstimates(_:count:table:into:usingCPU:)``: the
    /// CPU's own `rsqrtps` where it gives the table's values, else a lookup
    /// per element); the parameters, prefetching the next blocks. Separate
    /// passes keep the long dependent chain of the last (square root, two
    /// divisions) apart from the loads and lookups (one fused pass measured
    /// slower).
    @inline(__always)
    func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
        if inC {
            withUnsafePointer(to: cScalars) { scalars in
                anneal_adam_update(
                    scalars, streams.s0 + offset, streams.s1 + offset, streams.s2 + offset, streams.s3 + offset,
                    AMSGrad.isOn ? streams.s4 + offset : nil, count)
            }
            return
        }
        let end = offset &+ count
        for i in stride(from: offset, to: end, by: laneCount) {
            let p = load(streams.s0, i) * decay
            var g = load(streams.s1, i) * sign
            if CoupledWeightDecay.isOn { g = fusedMultiplyAdd(g, p, coupledWeightDecay) }
            store(lerp(load(streams.s2, i), g), streams.s2, i)
            let v = fusedMultiplyAdd(load(streams.s3, i) * beta2, oneMinusBeta2 * g, g)
            store(v, streams.s3, i)
            if AMSGrad.isOn {
                // torch.maximum(max_exp_avg_sq, exp_avg_sq): NaN when either is.
                let old = load(streams.s4, i)
                store(old.replacing(with: v, where: (v .> old) .| (v .!= v)), streams.s4, i)
            }
        }
        let moment = AMSGrad.isOn ? streams.s4 : streams.s3
        let rare = MKLSqrt.lookUpEstimates(moment + offset, count: count, table: table, into: scratch)
        prefetchAhead(streams, from: offset, to: end, streamsUsed: streamsUsed)
        for i in stride(from: offset, to: end, by: laneCount) {
            let p = load(streams.s0, i) * decay
            let m = load(streams.s2, i)
            let estimates = UnsafeRawPointer(scratch + (i &- offset)).loadUnaligned(as: UInt32Lanes.self)
            let root = MKLSqrt.sqrt(load(moment, i), estimates: estimates, mayBeRare: rare)
            let denominator = root / biasCorrection2Sqrt + eps
            store(p + (negativeStepSize * m) / denominator, streams.s0, i)
        }
    }
}

/// Whether Adam's loop runs in C (`Sources/COptimSupport/adam_kernel.c`):
/// on x86-64 CPUs with AVX-512, or AVX2 and FMA, whose `rsqrtps` gives the
/// table's estimates at every exponent (``MKLSqrt/cpuEstimatesScaleExactly``).
/// There one pass does it all, with the CPU's `rsqrtps` of each `x` inline
/// (as MKL itself takes it, no reduction to [1, 4); Swift cannot inline
/// it), in every build, with the same arithmetic as the Swift loop below,
/// which runs everywhere else.
let adamRunsInC = MKLSqrt.cpuEstimatesScaleExactly && anneal_adam_kernel_available() != 0

enum AdamKernel {
    /// `inC` chooses the loop (the tests run both and compare them).
    static func run(
        _ s: AdamScalars, count: Int, param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
        expAvg: UnsafeMutablePointer<Float>, expAvgSq: UnsafeMutablePointer<Float>,
        maxExpAvgSq: UnsafeMutablePointer<Float>?, inC: Bool = adamRunsInC
    ) {
        let streams = Streams(param, grad, expAvg, expAvgSq, maxExpAvgSq)
        MKLSqrt.rsqrtTable.withUnsafeBufferPointer { table in
            let table = table.baseAddress!
            switch (s.coupledWeightDecay != nil, maxExpAvgSq != nil) {
            case (false, false): runKernel(AdamVector<Off, Off>(s, table: table, inC: inC), streams, count: count)
            case (true, false): runKernel(AdamVector<On, Off>(s, table: table, inC: inC), streams, count: count)
            case (false, true): runKernel(AdamVector<Off, On>(s, table: table, inC: inC), streams, count: count)
            case (true, true): runKernel(AdamVector<On, On>(s, table: table, inC: inC), streams, count: count)
            }
        }
    }
}

// MARK: - RMSprop

/// One group's RMSprop hyperparameters.
struct RMSpropScalars {
    var maximize: Bool
    /// `Float(weight_decay)`: `grad.add(param, alpha=weight_decay)`; `nil` when 0.
    var weightDecay: Float?
    /// `Float(alpha)`, `Float(1 - alpha)`: `square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)`.
    var alpha: Float
    var oneMinusAlpha: Float
    /// `grad_avg.lerp_(grad, 1 - alpha)` (centered).
    var lerp: Lerp
    var eps: Float
    /// `Float(momentum)` when `momentum > 0`.
    var momentum: Float?
    /// `Float(-lr)`.
    var negativeLR: Float
}

/// `_single_tensor_rmsprop` for one vector.
struct RMSpropVector<WeightDecay: KernelFlag, Centered: KernelFlag, Momentum: KernelFlag>: VectorKernel {
    let sign: Lanes
    let weightDecay: Lanes
    let alpha: Lanes
    let oneMinusAlpha: Lanes
    let lerp: Lerp
    let eps: Lanes
    let momentum: Lanes
    let negativeLR: Lanes
    let table: UnsafePointer<UInt32>

    init(_ s: RMSpropScalars, table: UnsafePointer<UInt32>) {
        sign = Lanes(repeating: s.maximize ? -1 : 1)
        weightDecay = Lanes(repeating: s.weightDecay ?? 0)
        alpha = Lanes(repeating: s.alpha)
        oneMinusAlpha = Lanes(repeating: s.oneMinusAlpha)
        lerp = s.lerp
        eps = Lanes(repeating: s.eps)
        momentum = Lanes(repeating: s.momentum ?? 0)
        negativeLR = Lanes(repeating: s.negativeLR)
        self.table = table
    }

    var streamsUsed: Int { 0b111 | (Centered.isOn ? 0b1000 : 0) | (Momentum.isOn ? 0b10000 : 0) }
    var elementsPerUpdate: Int { blockSize }

    /// Three passes over the block, as ``AdamVector``'s; the square root's
    /// argument (`square_avg`, or `square_avg - grad_avg^2` when centered)
    /// goes through `scratch`'s second half.
    @inline(__always)
    func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
        let end = offset &+ count
        let arguments = UnsafeMutableRawPointer(scratch + blockSize / 2).assumingMemoryBound(to: Float.self)
        var start = offset
        // The argument needs its own half of the scratch: half blocks.
        while start < end {
            let stop = min(start &+ blockSize / 2, end)
            for i in stride(from: start, to: stop, by: laneCount) {
                let p = load(streams.s0, i)
                var g = load(streams.s1, i) * sign
                if WeightDecay.isOn { g = fusedMultiplyAdd(g, p, weightDecay) }
                let squareAverage = fusedMultiplyAdd(load(streams.s2, i) * alpha, oneMinusAlpha * g, g)
                store(squareAverage, streams.s2, i)
                var argument = squareAverage
                if Centered.isOn {
                    let gradAverage = lerp(load(streams.s3, i), g)
                    store(gradAverage, streams.s3, i)
                    // square_avg.addcmul(grad_avg, grad_avg, value=-1)
                    argument = fusedMultiplyAdd(squareAverage, -gradAverage, gradAverage)
                }
                store(argument, arguments, i &- start)
            }
            let rare = MKLSqrt.lookUpEstimates(arguments, count: stop &- start, table: table, into: scratch)
            prefetchAhead(streams, from: start, to: stop, streamsUsed: streamsUsed)
            for i in stride(from: start, to: stop, by: laneCount) {
                let p = load(streams.s0, i)
                var g = load(streams.s1, i) * sign
                if WeightDecay.isOn { g = fusedMultiplyAdd(g, p, weightDecay) }
                let estimates = UnsafeRawPointer(scratch + (i &- start)).loadUnaligned(as: UInt32Lanes.self)
                let average = MKLSqrt.sqrt(load(arguments, i &- start), estimates: estimates, mayBeRare: rare) + eps
                if Momentum.isOn {
                    // buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)
                    let b = load(streams.s4, i) * momentum + g / average
                    store(b, streams.s4, i)
                    store(fusedMultiplyAdd(p, b, negativeLR), streams.s0, i)
                } else {
                    // param.addcdiv_(grad, avg, value=-lr)
                    store(p + (negativeLR * g) / average, streams.s0, i)
                }
            }
            start = stop
        }
    }
}

enum RMSpropKernel {
    static func run(
        _ s: RMSpropScalars, count: Int, param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
        squareAvg: UnsafeMutablePointer<Float>, gradAvg: UnsafeMutablePointer<Float>?,
        momentumBuffer: UnsafeMutablePointer<Float>?
    ) {
        let streams = Streams(param, grad, squareAvg, gradAvg, momentumBuffer)
        MKLSqrt.rsqrtTable.withUnsafeBufferPointer { table in
            let table = table.baseAddress!
            switch (s.weightDecay != nil, gradAvg != nil, momentumBuffer != nil) {
            case (false, false, false): runKernel(RMSpropVector<Off, Off, Off>(s, table: table), streams, count: count)
            case (true, false, false): runKernel(RMSpropVector<On, Off, Off>(s, table: table), streams, count: count)
            case (false, true, false): runKernel(RMSpropVector<Off, On, Off>(s, table: table), streams, count: count)
            case (true, true, false): runKernel(RMSpropVector<On, On, Off>(s, table: table), streams, count: count)
            case (false, false, true): runKernel(RMSpropVector<Off, Off, On>(s, table: table), streams, count: count)
            case (true, false, true): runKernel(RMSpropVector<On, Off, On>(s, table: table), streams, count: count)
            case (false, true, true): runKernel(RMSpropVector<Off, On, On>(s, table: table), streams, count: count)
            case (true, true, true): runKernel(RMSpropVector<On, On, On>(s, table: table), streams, count: count)
            }
        }
    }
}

// MARK: - Splitting

/// Runs `body(start, end)` over `0..<count` (a multiple of `laneCount`),
/// split among the machine's cores when the tensor is large (at least
/// ``parallelThreshold`` elements per thread). Every element gets the same
/// arithmetic wherever it falls, so the split never changes a result.
@inline(__always)
func parallelChunks(_ count: Int, _ body: (_ start: Int, _ end: Int) -> Void) {
    let threads = min(processorCount, count / parallelThreshold)
    guard threads > 1 else {
        body(0, count)
        return
    }
    let perThread = (count / threads + laneCount - 1) / laneCount * laneCount
    // The chunks touch disjoint elements, so handing the (non-Sendable)
    // body and its pointers to the other threads is safe.
    withoutActuallyEscaping(body) { body in
        var job = ChunkJob(body: body, count: count, perThread: perThread)
        // The worker pool (Sources/COptimSupport/parallel_pool.c), whose
        // threads start their shares together; when it cannot take the job
        // (busy, or no pool on this system), GCD.
        let pooled = withUnsafeMutablePointer(to: &job) { job in
            anneal_pool_run(threads, { context, thread in
                context!.assumingMemoryBound(to: ChunkJob.self).pointee.run(Int(thread))
            }, job) != 0
        }
        if pooled { return }
        let shared = UncheckedSendable(job)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in shared.value.run(thread) }
    }
}

/// One ``parallelChunks(_:_:)`` loop: chunk `thread` of `count` elements
/// is `thread * perThread ..< min(count, (thread + 1) * perThread)`.
struct ChunkJob {
    let body: (_ start: Int, _ end: Int) -> Void
    let count: Int
    let perThread: Int

    func run(_ thread: Int) {
        let start = thread * perThread
        let end = min(count, start + perThread)
        if start < end { body(start, end) }
    }
}

struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Elements per thread below which a loop stays on one thread (the
/// hand-off costs a few microseconds).
let parallelThreshold = 1 << 17

/// The cores the loops may use.
let processorCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
