extension Tensor {
    /// A tensor of `shape` whose elements `body` writes; every element must
    /// be initialized. The kernels' way to allocate once and fill in one pass.
    ///
    /// ```swift
    /// let squares = Tensor(shape: [3]) { buffer in
    ///     for i in buffer.indices { buffer[i] = Float(i * i) }
    /// }   // [0, 1, 4]
    /// ```
    @inlinable
    public init(shape: [Int], unsafeUninitializedScalars body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        let count = shape.reduce(1, *)
        self.init(shape: shape, scalars: ScalarStorage.uninitialized(count: count, body))
    }

    /// A tensor of `shape` filled with zeros, as `torch.zeros(shape)`.
    ///
    /// ```swift
    /// Tensor.zeros([2, 3]).scalars   // [0, 0, 0, 0, 0, 0]
    /// ```
    public static func zeros(_ shape: [Int]) -> Tensor {
        Tensor(repeating: 0, shape: shape)
    }

    /// A tensor of `shape` filled with ones, as `torch.ones(shape)`.
    ///
    /// ```swift
    /// Tensor.ones([2]).scalars   // [1, 1]
    /// ```
    public static func ones(_ shape: [Int]) -> Tensor {
        Tensor(repeating: 1, shape: shape)
    }

    /// A 0-dimensional tensor (shape `[]`) holding `value`, as `torch.tensor(value)`.
    ///
    /// ```swift
    /// Tensor(scalar: 2).shape   // []
    /// ```
    public init(scalar value: Float) {
        self.init(shape: [], scalars: [value])
    }

    /// A 2-D tensor from its rows, which must all have the same length.
    ///
    /// ```swift
    /// Tensor(rows: [[1, 2, 3], [4, 5, 6]]).shape   // [2, 3]
    /// ```
    public init(rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        for (index, row) in rows.enumerated() {
            precondition(row.count == columns, "row \(index) has \(row.count) elements, row 0 has \(columns)")
        }
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// `torch.arange(start, end, step)` for float32: the values
    /// `start + i * step` (computed in `Double`, then rounded) for
    /// `i = 0 ..< ceil((end - start) / step)`, as a 1-D tensor.
    ///
    /// ```swift
    /// Tensor.arange(0, 10, step: 0.5).count   // 20: 0.0, 0.5, ..., 9.5
    /// ```
    public static func arange(_ start: Double, _ end: Double, step: Double = 1) -> Tensor {
        precondition(step != 0 && step.isFinite, "arange step must be finite and non-zero, got \(step)")
        precondition(start.isFinite && end.isFinite, "arange bounds must be finite, got \(start) and \(end)")
        let count = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor(shape: [count]) { buffer in
            for i in 0..<count { buffer[i] = Float(start + Double(i) * step) }
        }
    }
}
