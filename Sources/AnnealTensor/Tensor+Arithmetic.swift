// Elementwise arithmetic with broadcasting (see `Tensor.broadcastShape`):
// each result element is one float32 operation, as in PyTorch.

extension Tensor {
    /// Elementwise sum, broadcasting a scalar, a row vector, or any
    /// compatible shape.
    ///
    /// ```swift
    /// Tensor(rows: [[1, 2], [3, 4]]) + Tensor([10, 20])   // [[11, 22], [13, 24]]
    /// ```
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { broadcasting(lhs, rhs, +) }

    /// Elementwise difference, broadcasting as `+` does.
    ///
    /// ```swift
    /// Tensor([3, 4]) - Tensor([1, 1])   // [2, 3]
    /// ```
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { broadcasting(lhs, rhs, -) }

    /// Elementwise (Hadamard) product, broadcasting as `+` does; the matrix
    /// product is ``matmul(_:)``.
    ///
    /// ```swift
    /// Tensor([1, 2]) * Tensor([3, 4])   // [3, 8]
    /// ```
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { broadcasting(lhs, rhs, *) }

    /// Elementwise quotient (IEEE: `x / 0` is ±infinity or NaN), broadcasting as `+` does.
    ///
    /// ```swift
    /// Tensor([1, 3]) / Tensor([2, 2])   // [0.5, 1.5]
    /// ```
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { broadcasting(lhs, rhs, /) }

    /// Adds a number to every element.
    ///
    /// ```swift
    /// Tensor([1, 2]) + 1   // [2, 3]
    /// ```
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 + rhs } }
    /// Subtracts a number from every element: `Tensor([1, 2]) - 1` is `[0, 1]`.
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 - rhs } }
    /// Multiplies every element by a number: `Tensor([1, 2]) * 2` is `[2, 4]`.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 * rhs } }
    /// Divides every element by a number: `Tensor([1, 2]) / 2` is `[0.5, 1]`.
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 / rhs } }
    /// A number plus every element: `1 + Tensor([1, 2])` is `[2, 3]`.
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs + $0 } }
    /// A number minus every element: `1 - Tensor([1, 2])` is `[0, -1]`.
    public static func - (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs - $0 } }
    /// A number times every element: `2 * Tensor([1, 2])` is `[2, 4]`.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs * $0 } }
    /// A number divided by every element: `1 / Tensor([2, 4])` is `[0.5, 0.25]`.
    public static func / (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs / $0 } }

    /// Negates every element.
    ///
    /// ```swift
    /// -Tensor([1, -2])   // [-1, 2]
    /// ```
    public static prefix func - (operand: Tensor) -> Tensor { operand.map { -$0 } }

    /// Adds `rhs` (broadcast to `lhs`'s shape) in place, like `tensor.add_(other)`;
    /// the storage is reused when it is not shared.
    ///
    /// ```swift
    /// var t = Tensor(rows: [[1, 2], [3, 4]])
    /// t += Tensor([1, 1])   // [[2, 3], [4, 5]]
    /// ```
    public static func += (lhs: inout Tensor, rhs: Tensor) { broadcastingInPlace(&lhs, rhs, +) }
    /// Subtracts `rhs` (broadcast to `lhs`'s shape) in place, like `sub_`.
    public static func -= (lhs: inout Tensor, rhs: Tensor) { broadcastingInPlace(&lhs, rhs, -) }
    /// Multiplies by `rhs` (broadcast to `lhs`'s shape) in place, like `mul_`.
    public static func *= (lhs: inout Tensor, rhs: Tensor) { broadcastingInPlace(&lhs, rhs, *) }
    /// Divides by `rhs` (broadcast to `lhs`'s shape) in place, like `div_`.
    public static func /= (lhs: inout Tensor, rhs: Tensor) { broadcastingInPlace(&lhs, rhs, /) }

    /// Adds a number to every element in place: `t += 1`.
    public static func += (lhs: inout Tensor, rhs: Float) { lhs.apply { $0 + rhs } }
    /// Subtracts a number from every element in place: `t -= 1`.
    public static func -= (lhs: inout Tensor, rhs: Float) { lhs.apply { $0 - rhs } }
    /// Multiplies every element by a number in place: `t *= 0.5`.
    public static func *= (lhs: inout Tensor, rhs: Float) { lhs.apply { $0 * rhs } }
    /// Divides every element by a number in place: `t /= 2`.
    public static func /= (lhs: inout Tensor, rhs: Float) { lhs.apply { $0 / rhs } }
}
