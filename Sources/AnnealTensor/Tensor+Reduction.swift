extension Tensor {
    /// The sum of all elements, accumulated in `Double` and rounded once to
    /// `Float` (so the result does not depend on the summation order for
    /// any realistic size), as `tensor.sum().item()`.
    ///
    /// ```swift
    /// Tensor([1, 2, 3]).sum()   // 6
    /// ```
    public func sum() -> Float {
        Float(doubleSum())
    }

    /// The mean of all elements (the `Double` sum divided by the count,
    /// rounded once), as `tensor.mean().item()`; NaN for an empty tensor.
    ///
    /// ```swift
    /// Tensor([1, 2, 3, 4]).mean()   // 2.5
    /// ```
    public func mean() -> Float {
        Float(doubleSum() / Double(count))
    }

    /// The largest element (NaN if any element is NaN), as `tensor.max().item()`.
    /// (Not named `max()`, which would hide the global `max(_:_:)` inside
    /// `Tensor` extensions.)
    ///
    /// ```swift
    /// Tensor([1, 5, 3]).maxElement()   // 5
    /// ```
    public func maxElement() -> Float {
        precondition(count > 0, "maxElement() of an empty tensor of shape \(shape)")
        return withUnsafeBufferPointer { buffer in
            var best = buffer[0]
            for x in buffer {
                if x.isNaN { return x }
                if x > best { best = x }
            }
            return best
        }
    }

    /// The sum over one axis, which is removed from the shape (PyTorch's
    /// `sum(dim=axis)`, `keepdim=False`); a negative axis counts from the
    /// end. Accumulated in `Float` along the axis, in increasing order.
    ///
    /// ```swift
    /// Tensor(rows: [[1, 2], [3, 4]]).sum(alongAxis: 0)   // [4, 6]: a bias gradient
    /// Tensor(rows: [[1, 2], [3, 4]]).sum(alongAxis: 1)   // [3, 7]
    /// ```
    public func sum(alongAxis axis: Int) -> Tensor {
        let axis = normalized(axis)
        let outer = shape[..<axis].reduce(1, *)
        let extent = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var newShape = shape
        newShape.remove(at: axis)
        return withUnsafeBufferPointer { source in
            Tensor(shape: newShape) { target in
                target.update(repeating: 0)
                for o in 0..<outer {
                    let out = target.baseAddress! + o * inner
                    for e in 0..<extent {
                        let row = source.baseAddress! + (o * extent + e) * inner
                        for i in 0..<inner { out[i] += row[i] }
                    }
                }
            }
        }
    }

    /// The mean over one axis, which is removed from the shape (`mean(dim=axis)`).
    ///
    /// ```swift
    /// Tensor(rows: [[1, 2], [3, 4]]).mean(alongAxis: 0)   // [2, 3]
    /// ```
    public func mean(alongAxis axis: Int) -> Tensor {
        let extent = shape[normalized(axis)]
        return sum(alongAxis: axis) / Float(extent)
    }

    /// The index of the largest element of each row of a matrix
    /// (`argmax(dim=1)`; the first on ties): predicted classes from logits.
    ///
    /// ```swift
    /// Tensor(rows: [[0.1, 0.9], [2, -1]]).argmaxRows()   // [1, 0]
    /// ```
    public func argmaxRows() -> [Int] {
        precondition(rank == 2 && shape[1] > 0, "argmaxRows() needs a matrix with columns, got shape \(shape)")
        let columns = shape[1]
        return withUnsafeBufferPointer { buffer in
            (0..<shape[0]).map { r in
                var best = 0
                for c in 1..<columns where buffer[r * columns + c] > buffer[r * columns + best] { best = c }
                return best
            }
        }
    }

    func doubleSum() -> Double {
        withUnsafeBufferPointer { buffer in
            var total: Double = 0
            for x in buffer { total += Double(x) }
            return total
        }
    }

    private func normalized(_ axis: Int) -> Int {
        precondition(axis >= -rank && axis < rank, "axis \(axis) out of range for a tensor of rank \(rank)")
        return axis < 0 ? axis + rank : axis
    }
}
