import Anneal

// The float32 reductions Adafactor's step runs (`Tensor.norm(2)`,
// `torch.norm(g, dim=...)`, `Tensor.mean(dim=-2)`), in ATen's CPU summation
// order on x86-64 with AVX2 (PyTorch 2.13), so that each sum rounds where
// ATen's does. Found by experiment against `torch` (random float32 inputs of
// every length 1 to 1,004 and the shapes 3x5, 1x17, 17x1, 8x9, 33x7, 64x130;
// each candidate order evaluated with exact FMA; the one with 0 mismatches
// is written here, the others had up to half wrong):
//
// | PyTorch op | order |
// | --- | --- |
// | `x.norm(2)` over contiguous elements (a whole tensor, `dim=-1`, or `dim=-2` of an `n x 1` tensor) | 8 lanes `acc[k] += x*x` (product rounded, then sum) over each block of 8; the lanes summed in order; then, if 4 or more remain, 4 more `b += x*x` (rounded product); then the last 0 to 3 as `b = fma(x, x, b)`; `sqrt` correctly rounded |
// | `torch.norm(x, dim=-2)` with more than one column (strided) | per column, `b += x*x` row by row (rounded product, then sum) |
// | `x.sum(dim)` over `n` contiguous elements (`mean` is the sum, then `/ Float(n)`) | ATen's cascade sum (`SumKernel.cpp`): with `n >= 8`, 8-lane vectors summed by `row_sum` (4 interleaved accumulators, cascade levels of `2^max(4, log2(n/32)/4)` blocks), the 0 to 7 remaining elements summed from 0, then the 8 lanes added in order; with `n < 8`, `row_sum` over the scalars |
//
// Tensors of more than 32,768 elements per output may be split among
// threads by ATen (the `sum` of a 70,000-row column differed); the orders
// above are those of one thread, what Adafactor's shapes (a row, a column, a
// factor of a few thousand) use.

extension Kernels {
    /// ATen's float32 reductions (see the file comment).
    enum Reduce {
        /// `x.norm(2)` over `count` contiguous float32 values.
        static func norm(_ x: UnsafePointer<Float>, count: Int) -> Float {
            var lanes = SIMD8<Float>(repeating: 0)
            var d = 0
            while d + 8 <= count {
                let v = UnsafeRawPointer(x + d).loadUnaligned(as: SIMD8<Float>.self)
                lanes = lanes + v * v
                d += 8
            }
            var sum = lanes[0]
            for k in 1..<8 { sum = sum + lanes[k] }
            if count - d >= 4 {
                for k in 0..<4 { sum = sum + x[d + k] * x[d + k] }
                d += 4
            }
            while d < count {
                sum = sum.addingProduct(x[d], x[d])
                d += 1
            }
            return sum.squareRoot()
        }

        /// `x.norm(2)` over `count` values `stride` apart, summed in order
        /// (ATen's generic reduction loop).
        static func stridedNorm(_ x: UnsafePointer<Float>, count: Int, stride: Int) -> Float {
            var sum: Float = 0
            for i in 0..<count { sum = sum + x[i * stride] * x[i * stride] }
            return sum.squareRoot()
        }

        /// `x.sum()` over `count` contiguous float32 values: ATen's `cascade_sum`.
        static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
            guard count >= 8 else {
                return rowSum(count: count, zero: Float(0), add: +) { x[$0] }
            }
            let vectors = count / 8
            let lanes = rowSum(count: vectors, zero: SIMD8<Float>(repeating: 0), add: +) { i in
                UnsafeRawPointer(x + i * 8).loadUnaligned(as: SIMD8<Float>.self)
            }
            var total: Float = 0
            for i in vectors * 8..<count { total = total + x[i] }
            for k in 0..<8 { total = total + lanes[k] }
            return total
        }

        /// ATen's `row_sum`: the `count` elements as rows of 4 summed by
        /// `multi_row_sum`, the remainder added to the first partial sum,
        /// then the four partial sums in order.
        private static func rowSum<Element>(
            count: Int, zero: Element, add: (Element, Element) -> Element, _ element: (Int) -> Element
        ) -> Element {
            let rows = count / 4
            var partial = multiRowSum(rows: rows, zero: zero, add: add, element)
            for i in rows * 4..<count { partial[0] = add(partial[0], element(i)) }
            for k in 1..<4 { partial[0] = add(partial[0], partial[k]) }
            return partial[0]
        }

        /// ATen's `multi_row_sum` with 4 columns and 4 cascade levels: level 0
        /// takes `2^levelPower` rows at a time, then carries into the next
        /// levels; what is left is added level by level at the end.
        private static func multiRowSum<Element>(
            rows: Int, zero: Element, add: (Element, Element) -> Element, _ element: (Int) -> Element
        ) -> [Element] {
            let levels = 4
            let ceilLog2 = rows <= 1 ? 0 : Int.bitWidth - (rows - 1).leadingZeroBitCount
            let levelPower = max(4, ceilLog2 / levels)
            let levelStep = 1 << levelPower, levelMask = levelStep - 1
            var acc = [[Element]](repeating: [Element](repeating: zero, count: 4), count: levels)
            var i = 0
            while i + levelStep <= rows {
                for _ in 0..<levelStep {
                    for k in 0..<4 { acc[0][k] = add(acc[0][k], element(i * 4 + k)) }
                    i += 1
                }
                for j in 1..<levels {
                    for k in 0..<4 {
                        acc[j][k] = add(acc[j][k], acc[j - 1][k])
                        acc[j - 1][k] = zero
                    }
                    if i & (levelMask << (j * levelPower)) != 0 { break }
                }
            }
            while i < rows {
                for k in 0..<4 { acc[0][k] = add(acc[0][k], element(i * 4 + k)) }
                i += 1
            }
            for j in 1..<levels {
                for k in 0..<4 { acc[0][k] = add(acc[0][k], acc[j][k]) }
            }
            return acc[0]
        }
    }
}
