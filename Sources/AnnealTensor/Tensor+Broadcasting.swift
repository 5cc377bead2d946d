extension Tensor {
    /// The shape two tensors broadcast to under NumPy's (and PyTorch's)
    /// rules: shapes are aligned at their last dimension, and each pair of
    /// dimensions must be equal or contain a 1 (a missing dimension counts
    /// as 1). Mismatched shapes are a caller error.
    ///
    /// ```swift
    /// Tensor.broadcastShape([4, 3], [3])      // [4, 3]  (a row vector)
    /// Tensor.broadcastShape([4, 1], [1, 3])   // [4, 3]
    /// Tensor.broadcastShape([2, 3], [])       // [2, 3]  (a scalar)
    /// ```
    public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let da = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
            let db = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
            precondition(
                da == db || da == 1 || db == 1, "shapes \(a) and \(b) cannot be broadcast together (dimension \(axis))")
            result[axis] = da == 1 ? db : da
        }
        return result
    }

    /// Element strides of a tensor of `shape` read as `target` (a shape it
    /// broadcasts to): 0 along broadcast dimensions.
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: target.count)
        var step = 1
        let offset = target.count - shape.count
        for axis in (0..<shape.count).reversed() {
            strides[axis + offset] = shape[axis] == 1 ? 0 : step
            step *= shape[axis]
        }
        return strides
    }

    /// `op(lhs[i], rhs[i])` elementwise after broadcasting, in one pass over
    /// unsafe buffers. Fast paths: equal shapes, a one-element side, and a
    /// row vector against a matrix (a bias); every other broadcast walks
    /// the output with per-axis strides.
    @inline(__always)
    static func broadcasting(_ lhs: Tensor, _ rhs: Tensor, _ op: (Float, Float) -> Float) -> Tensor {
        let shape = lhs.shape == rhs.shape ? lhs.shape : broadcastShape(lhs.shape, rhs.shape)
        return lhs.withUnsafeBufferPointer { a in
            rhs.withUnsafeBufferPointer { b in
                Tensor(shape: shape) { out in
                    broadcastKernel(a, lhs.shape, b, rhs.shape, out, shape, op)
                }
            }
        }
    }

    /// `lhs[i] = op(lhs[i], rhs[i])` in place, `rhs` broadcast to `lhs`'s shape.
    @inline(__always)
    static func broadcastingInPlace(_ lhs: inout Tensor, _ rhs: Tensor, _ op: (Float, Float) -> Float) {
        let target = lhs.shape
        if target != rhs.shape {
            let shape = broadcastShape(target, rhs.shape)
            precondition(shape == target, "cannot update a tensor of shape \(target) in place with shape \(rhs.shape)")
        }
        rhs.withUnsafeBufferPointer { b in
            lhs.withUnsafeMutableBufferPointer { out in
                broadcastKernel(UnsafeBufferPointer(out), target, b, rhs.shape, out, target, op)
            }
        }
    }

    @inline(__always)
    private static func broadcastKernel(
        _ a: UnsafeBufferPointer<Float>, _ aShape: [Int], _ b: UnsafeBufferPointer<Float>, _ bShape: [Int],
        _ out: UnsafeMutableBufferPointer<Float>, _ shape: [Int], _ op: (Float, Float) -> Float
    ) {
        let n = out.count
        if n == 0 { return }
        if a.count == n && b.count == n {
            for i in 0..<n { out[i] = op(a[i], b[i]) }
        } else if b.count == 1 && a.count == n {
            let y = b[0]
            for i in 0..<n { out[i] = op(a[i], y) }
        } else if a.count == 1 && b.count == n {
            let x = a[0]
            for i in 0..<n { out[i] = op(x, b[i]) }
        } else if a.count == n, let width = shape.last, b.count == width, bShape.last == width {
            // A row vector (shape [width], [1, width], ...) against every row.
            var base = 0
            while base < n {
                for j in 0..<width { out[base + j] = op(a[base + j], b[j]) }
                base += width
            }
        } else {
            general(a, aShape, b, bShape, out, shape, op)
        }
    }

    /// The general broadcast: an odometer over every axis but the last, with
    /// the last axis as the inner loop.
    @inline(__always)
    private static func general(
        _ a: UnsafeBufferPointer<Float>, _ aShape: [Int], _ b: UnsafeBufferPointer<Float>, _ bShape: [Int],
        _ out: UnsafeMutableBufferPointer<Float>, _ shape: [Int], _ op: (Float, Float) -> Float
    ) {
        let rank = shape.count
        let aStrides = broadcastStrides(aShape, to: shape)
        let bStrides = broadcastStrides(bShape, to: shape)
        let inner = shape[rank - 1]
        let aInner = aStrides[rank - 1]
        let bInner = bStrides[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var aOffset = 0
        var bOffset = 0
        var position = 0
        while position < out.count {
            var ai = aOffset
            var bi = bOffset
            for j in 0..<inner {
                out[position + j] = op(a[ai], b[bi])
                ai += aInner
                bi += bInner
            }
            position += inner
            // Advance the odometer over the outer axes.
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                aOffset += aStrides[axis]
                bOffset += bStrides[axis]
                if index[axis] < shape[axis] { break }
                aOffset -= aStrides[axis] * shape[axis]
                bOffset -= bStrides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
