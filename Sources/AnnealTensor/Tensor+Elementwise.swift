#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Elementwise functions of one tensor, each a single pass over the storage.

extension Tensor {
    /// A tensor of the same shape with `transform` applied to every element.
    ///
    /// ```swift
    /// Tensor([1, 2, 3]).map { $0 * $0 }   // [1, 4, 9]
    /// ```
    @inlinable
    public func map(_ transform: (Float) -> Float) -> Tensor {
        withUnsafeBufferPointer { source in
            Tensor(shape: shape) { target in
                for i in 0..<source.count { target[i] = transform(source[i]) }
            }
        }
    }

    /// Applies `transform` to every element in place (no allocation when
    /// the storage is not shared).
    ///
    /// ```swift
    /// var t = Tensor([1, -2])
    /// t.apply { max($0, 0) }   // [1, 0]
    /// ```
    @inlinable
    public mutating func apply(_ transform: (Float) -> Float) {
        withUnsafeMutableBufferPointer { buffer in
            for i in 0..<buffer.count { buffer[i] = transform(buffer[i]) }
        }
    }

    /// Sets every element to `value` in place, like `tensor.fill_(value)`.
    ///
    /// ```swift
    /// var grad = Tensor([1, 2])
    /// grad.fill(0)   // [0, 0]
    /// ```
    public mutating func fill(_ value: Float) {
        withUnsafeMutableBufferPointer { buffer in buffer.update(repeating: value) }
    }

    /// `max(x, 0)` elementwise, as `torch.relu` (NaN stays NaN).
    ///
    /// ```swift
    /// Tensor([-1, 0, 2]).relu()   // [0, 0, 2]
    /// ```
    public func relu() -> Tensor { map { $0 > 0 || $0.isNaN ? $0 : 0 } }

    /// `x * x` elementwise.
    ///
    /// ```swift
    /// Tensor([-3, 2]).squared()   // [9, 4]
    /// ```
    public func squared() -> Tensor { map { $0 * $0 } }

    /// The square root of every element (IEEE, correctly rounded; NaN below
    /// zero), as `torch.sqrt`. Named like `Float.squareRoot()`: a member
    /// `sqrt()` would hide the global `sqrt` inside `Tensor` extensions.
    ///
    /// ```swift
    /// Tensor([4, 9]).squareRoot()   // [2, 3]
    /// ```
    public func squareRoot() -> Tensor { map { $0.squareRoot() } }

    /// `e^x` of every element (glibc's `expf`), as `torch.exp`.
    ///
    /// ```swift
    /// Tensor([0]).exp()   // [1]
    /// ```
    public func exp() -> Tensor { map { expf($0) } }

    /// The natural logarithm of every element (glibc's `logf`), as `torch.log`.
    ///
    /// ```swift
    /// Tensor([1]).log()   // [0]
    /// ```
    public func log() -> Tensor { map { logf($0) } }

    /// The sine of every element (glibc's `sinf`), as `torch.sin`.
    ///
    /// ```swift
    /// Tensor([0]).sin()   // [0]
    /// ```
    public func sin() -> Tensor { map { sinf($0) } }
}
