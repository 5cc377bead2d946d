import COptimSupport

/// PyTorch's float32 `Tensor.sqrt()` on this project's reference machine,
/// reproduced bit for bit.
///
/// ## What PyTorch computes
///
/// PyTorch 2.13's CPU `sqrt` kernel does not use `sqrtps`: it hands
/// contiguous float32 data to Intel MKL's vector math (`vmsSqrt`, VML high
/// accuracy mode), which is *not* correctly rounded. Which MKL kernel runs
/// depends on the CPU. On the machine that recorded the goldens (an AMD EPYC
/// with AVX-512) MKL picks its generic SSE kernel `mkl_vml_kernel_sSqrt_EXHAynn`
/// (found with gdb: `break vmsSqrt`, then `rbreak ^mkl_vml_kernel_sSqrt`),
/// whose loop is, from its disassembly, for every lane with a positive,
/// normal, not-huge `x`:
///
/// ```
/// y  = rsqrtps(x)                  // the CPU's ~12-bit 1/sqrt(x) estimate
/// s  = x * y;   h = y * 0.5
/// e  = 0.5 - s * h                 // every operation rounded separately:
/// s1 = s * e + s;  h1 = h * e + h  // no FMA on this path
/// r  = x - s1 * s1
/// sqrt(x) = r * h1 + s1
/// ```
///
/// Lanes where `bits(x) + 0x7f800000 > 0xfefff000` as signed 32-bit
/// integers (zero, subnormals, negatives, infinities, NaN, and
/// `x >= 0x7f7ff001`) go through MKL's scalar "rare" path, which gives the
/// correctly rounded square root (NaN for negative `x`, `-0` for `-0`).
///
/// The result is within one ULP of the true square root; about 17% of
/// random inputs differ from the correctly rounded `sqrtf`. Verified against
/// `torch.sqrt` on 300,000 random float32 values over 2^-120...2^120, 20,000
/// subnormals and the huge range, and every tensor size 1...49 (MKL's
/// remainder loop computes the same), with 0 mismatches.
///
/// ## `rsqrtps`
///
/// `rsqrtps` is an estimate whose exact bits are the CPU vendor's choice. On
/// the reference CPU its result depends only on the exponent's parity and the
/// top 12 bits of the mantissa (8,192 cases) and has 12 significant bits.
/// ``rsqrtTable`` holds it for `x` in [1, 4), read from the hardware with
/// `_mm_rsqrt_ps` over all 2^24 inputs in [1, 4); other inputs scale by
/// powers of 4 exactly (`rsqrt(4^k x) = 2^-k rsqrt(x)`, checked on the
/// hardware). The table is stored as the decrease from one entry to the next
/// (each 0, 1 or 2, in units of 2^-13), starting from 8191 * 2^-13 for
/// `x = 1`.
///
/// On another CPU MKL may choose another kernel (on Intel AVX-512 its `Z0`
/// kernel uses `vrsqrt14ps` and FMA) and PyTorch's own results change;
/// Anneal always computes what the reference machine's PyTorch computes.
enum MKLSqrt {
    /// The delta-encoded `rsqrtps` table (see the type's documentation).
    private static let rsqrtDeltas: String = """
        11111110111111121111111011111112111111101111111111111110111111121111111011111112111111101111111111111110111111111111111011111112
        11111110111111111111111011111111111111101111111111111110111111111111111011111111111111101111111111111110111111101111111011111111
        11101111111011121110111111101111111011111110111211101111111011111110111111101111111011111110111111101111111011111110111111101111
        11101111111011111110111111101111111011111110111111101111111011111110111111101110111011111110111111101111111011101110111111101111
        11011110111110111101111011111012110111101111101111011110111110111101111011111011110111101111101111011110111110111101111011111011
        11011110111110111101111011111010110111101111101111011110111110111101111011111010110111101111101111011110111110101101111011111011
        11011011101110111101101110111012110110111011101111011011101110111101101110111011110110111011101111011011101110111101101110111011
        11011011101110111101101110111010110110111011101111011011101110111101101110111010110110111011101111011011101110101101101110111012
        01101110110110110110111011011011011011101101101201101110110110110110111011011011011011101101101101101110110110110110111011011011
        01101110110110110110111011011011011011101101101101101110110110110110111011011011011011101101101001101110110110110110111011011011
        10110110101101101011011010110111101101101011011010110110101101111011011010110110101101101011011110110110101101101011011010110110
        10110110101101101011011010110111101101101011011010110110101101101011011010110110101101101011011010110110101101101011011010110110
        01101010110110110110101011011011011010101101101101101010110110110110101011011010011010101101101101101010110110110110101011011010
        01101010110110110110101011011010011010101101101101101010110110100110101011011011011010101101101001101010110110100110101011011011
        01010110101011010101011010101101010101101010110201010110101011010101011010101101010101101010110101010110101011010101011010101101
        01010110101011010101011010101101010101101010110101010110101011010101011010101100010101101010110101010110101011010101011010101100
        10101010101010111010101010101011101010101010101010101010101010111010101010101010101010101010101110101010101010101010101010101011
        10101010101010101010101010101011101010101010101010101010101010101010101010101011101010101010101010101010101010101010101010101011
        01010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101
        01010101010101010101010101010101010101010101010101010101010101010101010101010100010101010101010101010101010101010101010101010101
        01010100101010110101010010101010010101001010101101010100101010110101010010101010010101001010101101010100101010100101010010101011
        01010100101010100101010010101011010101001010101001010100101010110101010010101010010101001010101001010100101010110101010010101010
        10100101010100101010010101010010101001010101001010100101010100111010010101010010101001010101001010100101010100101010010101010010
        10100101010100101010010101010010101001010101001010100101010100101010010101010010101001010101001010100101010100101010010101010011
        01001010010101010100101001010101010010100101010001001010010101010100101001010101010010100101010101001010010101010100101001010100
        01001010010101010100101001010101010010100101010001001010010101010100101001010101010010100101010001001010010101010100101001010100
        01010010100100110101001010010010010100101001001101010010100100100101001010010011010100101001001001010010100100110101001010010010
        01010010100100100101001010010011010100101001001001010010100100100101001010010011010100101001001001010010100100100101001010010011
        01001010010100100100101001010010010010100101001001001010010100100100101001010010010010100101001001001010010100110100101001010010
        01001010010100100100101001010010010010100101001001001010010100100100101001010010010010100101001001001010010100100100101001010010
        00100101001001010010010100100101001001010010010100100101001001010010010100100100001001010010010100100101001001010010010100100101
        00100101001001010010010100100100001001010010010100100101001001010010010100100101001001010010010000100101001001010010010100100101
        10110110110110111011011011011011101101101101101210110110110110111011011011011010101101101101101110110110110110111011011011011011
        10110110110110111011011011011010101101101101101110110110110110111011011011011010101101101101101110110110110110101011011011011011
        01101011011011010110101101101101011010110110110201101011011011010110101101101101011010110110110101101011011011010110101101101101
        01101011011011000110101101101101011010110110110101101011011011010110101101101100011010110110110101101011011011000110101101101101
        01101010110101020110101011010101011010101101010101101010110101020110101011010101011010101101010101101010110101010110101011010101
        01101010110101010110101011010101011010101101010101101010110101010110101011010101011010101101010101101010110101010110101011010101
        01101010101010100110101010101011011010101010101101101010101010100110101010101011011010101010101001101010101010110110101010101010
        01101010101010100110101010101011011010101010101001101010101010100110101010101011011010101010101001101010101010100110101010101010
        01010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101
        01010101010101010101010101010100010101010101010101010101010101010101010101010100010101010101010101010101010101000101010101010101
        10010101010100101001010101010011100101010101001010010101010100111001010101010010100101010101001010010101010100111001010101010010
        10010101010100101001010101010010100101010101001110010101010100101001010101010010100101010101001010010101010100101001010101010010
        01010010101001010101001010100101010100101010010101010010101001010101001010100101010100101010010101010010101001010101001010100100
        01010010101001010101001010100101010100101010010101010010101001000101001010100101010100101010010101010010101001000101001010100101
        01010010100101000101001010010101010100101001010001010010100101010101001010010100010100101001010101010010100101000101001010010100
        01010010100101010101001010010100010100101001010001010010100101010101001010010100010100101001010001010010100101000101001010010101
        00101001001010010010100100101001001010010010100100101001001010010010100100101001001010010010100100101001001010010010100100101001
        00101001001010010010100100101001001010010010100100101001001010010010100100101001001010010010100100101001001010000010100100101001
        01001001001001010100100100100101010010010010010001001001001001010100100100100101010010010010010101001001001001000100100100100101
        01001001001001000100100100100101010010010010010101001001001001000100100100100101010010010010010001001001001001010100100100100100
        01001001001001000100100100100101010010010010010001001001001001010100100100100100010010010010010001001001001001010100100100100100
        01001001001001000100100100100101010010010010010001001001001001000100100100100100010010010010010001001001001001010100100100100100
        10010010010001001001001001000100100100100100010010010010010001001001001001000100100100100100010010010010010001001001001001000100
        10010010010001001001001001000100100100100100010010010010010001001001001001000100100100100100010010010010010001001001001001000101
        00100100010010000010010001001001001001000100100100100100010010010010010001001001001001000100100100100100010010000010010001001001
        00100100010010010010010001001001001001000100100000100100010010010010010001001001001001000100100000100100010010010010010001001001
        00100100010010000010010001001001001001000100100000100100010010010010010001001001001001000100100000100100010010010010010001001000
        00100100010010010010010001001000001001000100100100100100010010000010010001001001001001000100100000100100010010000010010001001001
        01000100010001000100010001000101010001000100010001000100010001000100010001000101010001000100010001000100010001000100010001000101
        01000100010001000100010001000100010001000100010001000100010001010100010001000100010001000100010001000100010001000100010001000101
        01000100010001000100010001000100010001000100010001000100010001000100010001000100010001000100010001000100010001010100010001000100
        0100010001000100010001000100010001000100010001000100010001000100010001000100010001000100010001000100010001000100010001000100010
        """

    /// `rsqrtps(x)` as bit patterns for `x` in [1, 4): index
    /// `parity << 12 | mantissa >> 11`, where `parity` is 1 for [2, 4).
    static let rsqrtTable: [UInt32] = {
        var table = [UInt32]()
        table.reserveCapacity(8192)
        var units: UInt32 = 8191
        table.append(bitPattern(units: units))
        for character in rsqrtDeltas.utf8 where character != UInt8(ascii: "\n") {
            units -= UInt32(character - UInt8(ascii: "0"))
            table.append(bitPattern(units: units))
        }
        precondition(table.count == 8192, "rsqrt table has \(table.count) entries")
        return table
    }()

    /// The float32 bits of `units * 2^-13` for `units` in 4096...8191.
    private static func bitPattern(units: UInt32) -> UInt32 {
        (Float(units) * 0x1p-13).bitPattern
    }
}

extension MKLSqrt {
    typealias Lanes = Kernels.Lanes
    typealias UInt32Lanes = Kernels.UInt32Lanes
    typealias Int32Lanes = Kernels.Int32Lanes
    static var laneCount: Int { Kernels.laneCount }

    /// Whether MKL sends `x` (as bits) to its scalar path: zero, subnormal,
    /// negative, infinite, NaN or at least `0x7f7ff001`.
    @inline(__always)
    static func isRare(_ bits: UInt32) -> Bool {
        Int32(bitPattern: bits &+ 0x7f80_0000) > Int32(bitPattern: 0xfeff_f000)
    }

    /// PyTorch's `torch.sqrt` of one float32 (see the type's documentation).
    @inline(__always)
    static func sqrt(_ x: Float, table: UnsafePointer<UInt32>) -> Float {
        let bits = x.bitPattern
        if isRare(bits) { return x.squareRoot() }
        let exponent = bits >> 23
        let index = Int(((exponent &+ 1) & 1) << 12 | (bits >> 11) & 0xfff)
        // x = 4^k * x' with x' in [1, 4): rsqrt(x) = 2^-k * rsqrt(x').
        let k = (Int32(bitPattern: exponent) &- 127) >> 1
        let y = Float(bitPattern: UInt32(bitPattern: Int32(bitPattern: table[index]) &- (k << 23)))
        return refine(x, estimate: y)
    }

    /// MKL's kernel after `rsqrtps`: from `y ≈ 1/sqrt(x)`, one Newton step
    /// for `sqrt(x)` and a correction, every operation rounded separately
    /// (see the type's documentation). The scalar and vector square roots
    /// share it, lane for lane.
    @inline(__always)
    private static func refine<Value: MKLRefinable>(_ x: Value, estimate y: Value) -> Value {
        let s = x * y
        let h = y * Value.half
        let e = Value.half - s * h
        let s1 = s * e + s
        let h1 = h * e + h
        let r = x - s1 * s1
        return r * h1 + s1
    }

    /// Whether this CPU's own `rsqrtps` reproduces ``rsqrtTable`` entry for
    /// entry (checked once, on every table index with the mantissa's low
    /// bits all clear and all set). It does on the machine that recorded the
    /// goldens, where it is the very instruction MKL runs; other vendors'
    /// estimates differ, and there the table is used.
    static let cpuEstimatesMatchTable: Bool = {
        guard anneal_rsqrt_supported() != 0 else { return false }
        var inputs = [UInt32]()
        inputs.reserveCapacity(2 * rsqrtTable.count)
        for low: UInt32 in [0, 0x7ff] {
            for index in 0..<UInt32(rsqrtTable.count) {
                // parity 0: exponent 127 ([1, 2)); parity 1: exponent 128 ([2, 4)).
                inputs.append((127 + (index >> 12)) << 23 | (index & 0xfff) << 11 | low)
            }
        }
        var estimates = [UInt32](repeating: 0, count: inputs.count)
        let rare = anneal_rsqrt_estimates(inputs, &estimates, inputs.count)
        return rare == 0 && estimates == rsqrtTable + rsqrtTable
    }()

    /// Whether, beyond ``cpuEstimatesMatchTable``, this CPU's `rsqrtps` of
    /// any ordinary `x` (not on MKL's rare path) is the table's estimate for
    /// `x`'s mantissa scaled by `2^-k` exactly, so `rsqrtps(x)` can be taken
    /// as it is, with no reduction to [1, 4): which is what MKL's kernel
    /// does. Checked once for every exponent and table index with the
    /// mantissa's low bits all clear and all set (`anneal_rsqrt_scales_exactly`).
    /// On the reference machine it also holds for every one of the 2.1
    /// billion ordinary floats (checked once, exhaustively).
    static let cpuEstimatesScaleExactly: Bool = {
        guard cpuEstimatesMatchTable else { return false }
        return rsqrtTable.withUnsafeBufferPointer { anneal_rsqrt_scales_exactly($0.baseAddress!) != 0 }
    }()

    /// The `rsqrtps` estimates (as bits, for [1, 4)) of `count` floats at
    /// `source` (`count` a multiple of 4), stored at `destination`; returns
    /// whether any of the floats takes MKL's rare path. Where the CPU's
    /// `rsqrtps` gives the table's values (``cpuEstimatesMatchTable``) it
    /// computes them, 4 per instruction; otherwise a loop looks each one up
    /// (LLVM may turn it into gathers), the square root's main cost.
    /// `usingCPU` is for the tests, which compare the two ways.
    @inline(__always)
    static func lookUpEstimates(
        _ source: UnsafeMutablePointer<Float>, count: Int, table: UnsafePointer<UInt32>,
        into destination: UnsafeMutablePointer<UInt32>, usingCPU: Bool = cpuEstimatesMatchTable
    ) -> Bool {
        let words = UnsafeRawPointer(source).assumingMemoryBound(to: UInt32.self)
        if usingCPU { return anneal_rsqrt_estimates(words, destination, count) != 0 }
        var rare: UInt32 = 0
        for k in 0..<count {
            let bits = words[k]
            destination[k] = table[Int(((bits >> 23) &+ 1) & 1) << 12 | Int((bits >> 11) & 0xfff)]
            rare |= rareFlag(bits)
        }
        return rare >> 31 != 0
    }

    /// Bit 31 is set when `bits` takes MKL's rare path, computed without a
    /// comparison: a float is ordinary exactly when `0x00800000 <= bits <=
    /// 0x7f7ff000`, that is when `d = bits - 0x00800000` (wrapping) is at
    /// most `0x7e7ff000`; otherwise `d` or `d + 0x01800fff` has bit 31 set.
    @inline(__always)
    static func rareFlag(_ bits: UInt32) -> UInt32 {
        let d = bits &- 0x0080_0000
        return d | (d &+ 0x0180_0fff)
    }

    /// ``sqrt(_:table:)`` on a vector, with the same arithmetic per lane.
    @inline(__always)
    static func sqrt(_ x: Lanes, table: UnsafePointer<UInt32>) -> Lanes {
        var estimates = UInt32Lanes()
        var rare = false
        withUnsafeMutableBytes(of: &estimates) { raw in
            var copy = x
            withUnsafeMutableBytes(of: &copy) { source in
                rare = lookUpEstimates(
                    source.baseAddress!.assumingMemoryBound(to: Float.self), count: laneCount, table: table,
                    into: raw.baseAddress!.assumingMemoryBound(to: UInt32.self))
            }
        }
        return sqrt(x, estimates: estimates, mayBeRare: rare)
    }

    /// ``sqrt(_:table:)`` on a vector whose `rsqrtps` estimates for [1, 4)
    /// (``lookUpEstimates(_:count:table:into:)``) are given; `mayBeRare`
    /// when a lane may take MKL's rare path (the lookup says so).
    @inline(__always)
    static func sqrt(_ x: Lanes, estimates: UInt32Lanes, mayBeRare: Bool) -> Lanes {
        let bits = unsafeBitCast(x, to: UInt32Lanes.self)
        let exponent = bits &>> 23
        // x = 4^k * x' with x' in [1, 4): rsqrt(x) = 2^-k * rsqrt(x').
        let k = (unsafeBitCast(exponent, to: Int32Lanes.self) &- 127) &>> 1
        let y = unsafeBitCast(unsafeBitCast(estimates, to: Int32Lanes.self) &- (k &<< 23), to: Lanes.self)
        var result = refine(x, estimate: y)
        if mayBeRare {
            for lane in 0..<laneCount where isRare(bits[lane]) { result[lane] = x[lane].squareRoot() }
        }
        return result
    }
}

/// What ``MKLSqrt``'s refinement step needs of a float or a vector of
/// them: the four operations, each rounded to float32 per lane, and `0.5`.
protocol MKLRefinable {
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static var half: Self { get }
}

extension Float: MKLRefinable {
    static var half: Float { 0.5 }
}

extension Kernels.Lanes: MKLRefinable {
    static var half: Kernels.Lanes { Kernels.Lanes(repeating: 0.5) }
}
