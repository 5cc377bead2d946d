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
// Converting a scalar, ATen checks it (`c10::checked_convert`: a finite
// double outside float32's range raises `RuntimeError: value cannot be
// converted to type float without overflow`, found by experiment) for
// `alpha=` (`add`, `add_`), `value=` (`addcmul_`, `addcdiv_`) and a `lerp`
// weight, even on an empty tensor; not for `mul_(s)`, `add_(s)` or `a / s`,
// which round to `inf` or 0 and go on. `Kernels.ScalarChecks` finds the
// first op of a step that raises; the optimizers reproduce the writes the
// ops before it made.
//
// The ops only the per-element loops of Adagrad, Adadelta, Adamax, NAdam,
// RAdam, ASGD and Rprop use (`sign`, `clamp`, `abs`, a 0-dim tensor factor,
// `s / a`, masked writes, which conversions are checked) are in the table
// of Kernels/Elementwise.swift.
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
// On x86-64, every optimizer's loop (Adafactor's for vectors) runs in C where the CPU allows (see
// each `Kernels.<Name>.runsInC`, `Kernels.elementwiseRunsInC` and
// Sources/COptimSupport): C can choose the instruction set at run time and
// inline `rsqrtps`, which Swift cannot. Those loops repeat the Swift ones'
// arithmetic operation for operation (the vector kernels here for SGD, Adam
// and RMSprop; each newer optimizer's `scalarLoop`), and the kernel tests
// compare the two bit for bit.
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

/// The vector machinery the optimizers' update loops share (see the file
/// comment for the arithmetic every loop reproduces), as a namespace: the
/// loops themselves are `Kernels.SGD`, `Kernels.Adam` and `Kernels.RMSprop`.
enum Kernels {
    /// two AVX ones (16 lanes measured faster than 8 with either).
    typealias Lanes = SIMD16<Float>
    typealias UInt32Lanes = SIMD16<UInt32>
    typealias Int32Lanes = SIMD16<Int32>
    static var laneCount: Int { 16 }  // Lanes.scalarCount, as a literal the optimizer folds

    @inline(__always)
    static func load(_ base: UnsafeMutablePointer<Float>, _ offset: Int) -> Lanes {
        UnsafeRawPointer(base + offset).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    static func store(_ vector: Lanes, _ base: UnsafeMutablePointer<Float>, _ offset: Int) {
        UnsafeMutableRawPointer(base + offset).storeBytes(of: vector, as: Lanes.self)
    }

    /// A compile-time option of a loop.
    protocol Flag { static var isOn: Bool { get } }
    enum On: Flag { static var isOn: Bool { true } }
    enum Off: Flag { static var isOn: Bool { false } }

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
    static var blockSize: Int { 128 }

    /// How far ahead (in elements: two blocks) the compute-bound passes of the
    /// Swift Adam and RMSprop loops prefetch; by measurement (`make
    /// bench-optim`), Adam's step there takes 20–40% less time with it. (SGD,
    /// one pass that computes little, and Adam's one-pass C loop are faster
    /// with the hardware's prefetching alone.)
    static var prefetchDistance: Int { 256 }

    /// Runs `kernel` over `count` elements: whole vectors in place, the rest
    /// (fewer than `laneCount`) through zero-padded copies, so that every
    /// element gets the same arithmetic.
    @inline(__always)
    static func runLoop<Kernel: VectorKernel>(_ kernel: Kernel, _ streams: Streams, count: Int) {
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
    static func prefetchAhead(_ streams: Streams, from start: Int, to end: Int, streamsUsed: Int) {
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
    static func fusedMultiplyAdd(_ augend: Lanes, _ x: Lanes, _ y: Lanes) -> Lanes {
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
    static let cpuHasFMA = anneal_cpu_has_fma() != 0

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

}
