/// A dense float32 tensor: contiguous row-major storage and a shape, with
/// value semantics (copies share storage until one of them is written).
///
/// This is the minimal core the optimizers and small models need; elementwise
/// kernels work on the storage through ``withUnsafeMutableBufferPointer(_:)``.
public struct Tensor: Sendable, Equatable {
    /// The extent of each dimension; `[]` for a scalar.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Float] {
        didSet { precondition(scalars.count == Self.count(of: shape), "scalars count \(scalars.count) does not match shape \(shape)") }
    }

    /// A tensor of `shape` holding `scalars` (row-major).
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(scalars.count == Self.count(of: shape), "\(scalars.count) scalars for shape \(shape)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A 1-D tensor of `scalars`.
    public init(_ scalars: [Float]) {
        self.init(shape: [scalars.count], scalars: scalars)
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: Array(repeating: value, count: Self.count(of: shape)))
    }

    /// The number of elements.
    public var count: Int { scalars.count }

    static func count(of shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Direct access to the elements, for kernels (one pass, SIMD-friendly).
    /// Copies the storage first if another tensor shares it.
    ///
    /// ```swift
    /// tensor.withUnsafeMutableBufferPointer { buffer in
    ///     for i in buffer.indices { buffer[i] *= 2 }
    /// }
    /// ```
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        try scalars.withUnsafeMutableBufferPointer(body)
    }

    /// Read-only access to the elements, for kernels.
    ///
    /// ```swift
    /// let total = tensor.withUnsafeBufferPointer { $0.reduce(0, +) }
    /// ```
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Float>) throws(E) -> R) throws(E) -> R {
        try scalars.withUnsafeBufferPointer(body)
    }
}
