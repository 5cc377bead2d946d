extension Tensor {
    /// The number of dimensions: 0 for a scalar, 1 for a vector, 2 for a matrix.
    ///
    /// ```swift
    /// Tensor.zeros([4, 3]).rank   // 2
    /// ```
    public var rank: Int { shape.count }

    /// The tensor's only element; the tensor must hold exactly one.
    ///
    /// ```swift
    /// Tensor([3]).item   // 3
    /// ```
    public var item: Float {
        precondition(count == 1, "item needs a tensor with one element, got shape \(shape)")
        return scalars[0]
    }

    /// The same elements under another shape with as many elements, as
    /// `torch.reshape`; one dimension may be `-1` and is then inferred. The
    /// storage is shared (copy-on-write), nothing is copied.
    ///
    /// ```swift
    /// Tensor.arange(0, 6).reshaped([-1, 2]).shape   // [3, 2]
    /// ```
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        precondition(inferred.count <= 1, "only one dimension can be inferred, got shape \(newShape)")
        precondition(
            newShape.allSatisfy { $0 >= -1 }, "invalid dimension in shape \(newShape)")
        if let index = inferred.first {
            let known = newShape.filter { $0 != -1 }.reduce(1, *)
            precondition(known > 0 && count % known == 0, "shape \(newShape) is invalid for \(count) elements")
            resolved[index] = count / known
        }
        precondition(resolved.reduce(1, *) == count, "shape \(newShape) is invalid for \(count) elements of shape \(shape)")
        return Tensor(shape: resolved, scalars: scalars)
    }

    /// The transpose of a matrix (`tensor.T` for 2-D), as a new contiguous tensor.
    ///
    /// ```swift
    /// Tensor(rows: [[1, 2, 3]]).transposed().shape   // [3, 1]
    /// ```
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed() needs a matrix, got shape \(shape)")
        let rows = shape[0]
        let columns = shape[1]
        return withUnsafeBufferPointer { source in
            Tensor(shape: [columns, rows]) { target in
                for r in 0..<rows {
                    for c in 0..<columns { target[c * rows + r] = source[r * columns + c] }
                }
            }
        }
    }

    /// Rows `range` of a tensor of rank 1 or more (slicing the first
    /// dimension, `tensor[a:b]`), copied into a new tensor.
    ///
    /// ```swift
    /// Tensor(rows: [[1], [2], [3]]).rows(1..<3).scalars   // [2, 3]
    /// ```
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1, "rows(_:) needs a tensor of rank 1 or more, got shape \(shape)")
        precondition(
            range.lowerBound >= 0 && range.upperBound <= shape[0],
            "rows \(range) out of bounds for a first dimension of \(shape[0])")
        if range.count == shape[0] { return self }
        let width = count / Swift.max(shape[0], 1)
        var newShape = shape
        newShape[0] = range.count
        return withUnsafeBufferPointer { source in
            Tensor(shape: newShape) { target in
                guard width * range.count > 0 else { return }
                target.baseAddress!.update(from: source.baseAddress! + range.lowerBound * width, count: width * range.count)
            }
        }
    }

    /// The rows at `indices` (in that order, repeats allowed), as
    /// `tensor[indices]` gathers them: how a shuffled batch is taken.
    ///
    /// ```swift
    /// Tensor(rows: [[1], [2], [3]]).rows(at: [2, 0]).scalars   // [3, 1]
    /// ```
    public func rows(at indices: [Int]) -> Tensor {
        precondition(rank >= 1, "rows(at:) needs a tensor of rank 1 or more, got shape \(shape)")
        let width = count / Swift.max(shape[0], 1)
        var newShape = shape
        newShape[0] = indices.count
        for index in indices {
            precondition(index >= 0 && index < shape[0], "row \(index) out of bounds for a first dimension of \(shape[0])")
        }
        return withUnsafeBufferPointer { source in
            Tensor(shape: newShape) { target in
                guard width > 0 else { return }
                for (position, index) in indices.enumerated() {
                    (target.baseAddress! + position * width).update(from: source.baseAddress! + index * width, count: width)
                }
            }
        }
    }
}
