extension Tensor {
    /// The matrix product `self · other` of an `[m, k]` and a `[k, n]`
    /// matrix, as `torch.matmul` for 2-D tensors.
    ///
    /// Each output element is a float32 sum over `k` in increasing order;
    /// PyTorch's BLAS blocks and vectorizes that sum differently, so results
    /// agree to float32 rounding, not bit for bit.
    ///
    /// ```swift
    /// let a = Tensor(rows: [[1, 2], [3, 4]])
    /// a.matmul(Tensor(rows: [[1], [1]]))   // [[3], [7]]
    /// ```
    public func matmul(_ other: Tensor) -> Tensor {
        matmul(other, transposingSelf: false, transposingOther: false)
    }

    /// `op(self) · op(other)`, where `op` transposes the operand when asked,
    /// without materializing the transpose: what a linear layer's forward
    /// (`x · Wᵀ`) and backward (`gᵀ · x`, `g · W`) need.
    ///
    /// ```swift
    /// let x = Tensor(rows: [[1, 2]])            // [1, 2]
    /// let w = Tensor(rows: [[1, 0], [0, 1], [1, 1]])   // [3, 2]
    /// x.matmul(w, transposingOther: true)       // [[1, 2, 3]]
    /// ```
    public func matmul(_ other: Tensor, transposingSelf: Bool = false, transposingOther: Bool = false) -> Tensor {
        let (m, n, _) = Self.productShape(self, transposingSelf, other, transposingOther)
        var result = Tensor(repeating: 0, shape: [m, n])
        Self.multiplyAccumulate(self, transposingSelf, other, transposingOther, into: &result)
        return result
    }

    /// `result += op(a) · op(b)` in place: a gradient accumulates into its
    /// buffer without a temporary. `result` must be `[m, n]`.
    ///
    /// ```swift
    /// var c = Tensor(rows: [[1]])
    /// Tensor.multiplyAccumulate(Tensor(rows: [[2]]), false, Tensor(rows: [[3]]), false, into: &c)   // [[7]]
    /// ```
    public static func multiplyAccumulate(
        _ a: Tensor, _ transposeA: Bool, _ b: Tensor, _ transposeB: Bool, into result: inout Tensor
    ) {
        let (m, n, k) = productShape(a, transposeA, b, transposeB)
        precondition(result.shape == [m, n], "the product has shape \([m, n]), the accumulator \(result.shape)")
        let aColumns = a.shape[1]
        let bColumns = b.shape[1]
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                result.withUnsafeMutableBufferPointer { c in
                    guard m > 0, n > 0, k > 0 else { return }
                    let a = a.baseAddress!
                    let b = b.baseAddress!
                    let c = c.baseAddress!
                    switch (transposeA, transposeB) {
                    case (false, false):
                        // C[i, :] += A[i, p] * B[p, :]: rows of B and C stream contiguously.
                        for i in 0..<m {
                            let row = c + i * n
                            for p in 0..<k {
                                let x = a[i * aColumns + p]
                                let bRow = b + p * bColumns
                                for j in 0..<n { row[j] += x * bRow[j] }
                            }
                        }
                    case (true, false):
                        // A is [k, m]: C[i, :] += A[p, i] * B[p, :].
                        for p in 0..<k {
                            let aRow = a + p * aColumns
                            let bRow = b + p * bColumns
                            for i in 0..<m {
                                let x = aRow[i]
                                let row = c + i * n
                                for j in 0..<n { row[j] += x * bRow[j] }
                            }
                        }
                    case (false, true):
                        // B is [n, k]: C[i, j] += dot(A[i, :], B[j, :]), both contiguous.
                        for i in 0..<m {
                            let aRow = a + i * aColumns
                            for j in 0..<n {
                                let bRow = b + j * bColumns
                                var sum: Float = 0
                                for p in 0..<k { sum += aRow[p] * bRow[p] }
                                c[i * n + j] += sum
                            }
                        }
                    case (true, true):
                        // A is [k, m], B is [n, k].
                        for i in 0..<m {
                            for j in 0..<n {
                                var sum: Float = 0
                                for p in 0..<k { sum += a[p * aColumns + i] * b[j * bColumns + p] }
                                c[i * n + j] += sum
                            }
                        }
                    }
                }
            }
        }
    }

    /// `(m, n, k)` of `op(a) · op(b)`; both must be matrices with matching inner dimensions.
    private static func productShape(_ a: Tensor, _ transposeA: Bool, _ b: Tensor, _ transposeB: Bool) -> (Int, Int, Int) {
        precondition(a.rank == 2, "matmul needs matrices, got a left operand of shape \(a.shape)")
        precondition(b.rank == 2, "matmul needs matrices, got a right operand of shape \(b.shape)")
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(
            k == kb,
            "matmul shapes do not match: \(transposeA ? "transposed " : "")\(a.shape) and \(transposeB ? "transposed " : "")\(b.shape) (\(k) != \(kb))"
        )
        return (m, n, k)
    }
}
