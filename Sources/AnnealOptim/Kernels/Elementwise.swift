import Anneal

// One element of ATen's elementwise float32 ops, for the Swift loops of the
// newer optimizers (Adagrad, Adadelta, Adamax, NAdam, RAdam, ASGD, Rprop,
// Adafactor: each `Kernels.<Name>.scalarLoop`, the reference their C loops
// repeat and the loop where those do not run): each function rounds where
// the PyTorch op does (see the table in Kernels.swift; the rows added for
// these optimizers were found the same way).
//
// | PyTorch op | computes |
// | --- | --- |
// | `a.abs()`, `torch.sign(a)` | exact; `sign` is `(0 < a) - (a < 0)`, so NaN and -0 give +0 |
// | `torch.maximum(a, b)` | the larger, NaN when either is NaN |
// | `a.clamp_(min=lo)` (Adafactor) | `a < lo ? lo : a`: NaN stays NaN, a NaN `lo` leaves `a`; `lo` a checked conversion |
// | `a.rsqrt_()` (Adafactor) | `1 / a.squareRoot()`: a correctly rounded square root, then a division (not MKL's `sqrt`) |
// | `a.clamp_(lo, hi)` | `min(max(a, lo), hi)`, NaN stays NaN; `lo`, `hi` checked conversions |
// | `a.mul_(t)` (a 0-dim float32 tensor `t`), `t *= s` (a 0-dim `t`, a Python float `s`) | `a * t`, `t * Float(s)`: float32 products |
// | `s / a` (a Python float `s`) | `(1 / a) * Float(s)`: `Tensor.__rtruediv__` is `reciprocal() * s` |
// | `a[mask] = s`, `torch.full_like(a, s)` | `Float(s)`, a checked conversion (`mul_`, `add_`, `div` by a scalar are unchecked) |

extension Kernels {
    /// Scalar forms of ATen's elementwise ops (see the file comment).
    enum Element {
        /// `torch.lerp(start, end, w)`: ATen's two formulas, as ``Kernels/Lerp``.
        @inline(__always)
        static func lerp(_ start: Float, _ end: Float, weight: Float) -> Float {
            abs(weight) < 0.5
                ? start.addingProduct(weight, end - start) : end.addingProduct(weight - 1, end - start)
        }

        /// `torch.maximum`: NaN when either operand is NaN.
        @inline(__always)
        static func maximum(_ a: Float, _ b: Float) -> Float {
            if a.isNaN || b.isNaN { return .nan }
            return a > b ? a : b
        }

        /// `a.clamp_(min=lo)`: `std::max(a, lo)`, so a NaN `a` stays and a NaN `lo` is ignored.
        @inline(__always)
        static func clampMin(_ a: Float, _ lo: Float) -> Float { a < lo ? lo : a }

        /// `torch.sign`: NaN and ±0 give +0.
        @inline(__always)
        static func sign(_ a: Float) -> Float {
            (0 < a ? 1 : 0) - (a < 0 ? 1 : 0)
        }

        /// `a.clamp(lo, hi)`: `min(max(a, lo), hi)`, NaN propagating.
        @inline(__always)
        static func clamp(_ a: Float, _ lo: Float, _ hi: Float) -> Float {
            if a.isNaN { return a }
            let low = a < lo ? lo : a
            return low > hi ? hi : low
        }

        /// `torch.sqrt`: MKL's `vsSqrt` (see ``MKLSqrt``).
        @inline(__always)
        static func sqrt(_ x: Float) -> Float { MKLSqrt.sqrt(x, table: sqrtTable) }

        /// ``MKLSqrt/rsqrtTable``'s storage, kept for the process's lifetime.
        nonisolated(unsafe) static let sqrtTable: UnsafePointer<UInt32> = {
            let table = MKLSqrt.rsqrtTable
            let storage = UnsafeMutablePointer<UInt32>.allocate(capacity: table.count)
            storage.initialize(from: table, count: table.count)
            return UnsafePointer(storage)
        }()
    }
}
