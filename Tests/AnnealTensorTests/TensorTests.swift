import AnnealTensor
import Testing

@Suite("Tensor")
struct TensorTests {
    @Test func constructionAndShape() {
        let t = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(t.shape == [2, 3])
        #expect(t.rank == 2)
        #expect(t.count == 6)
        #expect(Tensor(scalar: 4).shape == [])
        #expect(Tensor(scalar: 4).item == 4)
        #expect(Tensor.zeros([2, 2]).scalars == [0, 0, 0, 0])
        #expect(Tensor.ones([3]).scalars == [1, 1, 1])
        #expect(t.reshaped([3, -1]).shape == [3, 2])
        #expect(t.reshaped([6]).scalars == t.scalars)
        #expect(t.transposed() == Tensor(rows: [[1, 4], [2, 5], [3, 6]]))
        #expect(t.rows(1..<2) == Tensor(rows: [[4, 5, 6]]))
        #expect(t.rows(at: [1, 0, 1]) == Tensor(rows: [[4, 5, 6], [1, 2, 3], [4, 5, 6]]))
    }

    @Test func arangeMatchesTorch() {
        // torch.arange(0, 10, 0.5): 20 values; torch.arange(0, 1, 0.3): 4 values.
        let x = Tensor.arange(0, 10, step: 0.5)
        #expect(x.count == 20)
        #expect(x.scalars.first == 0 && x.scalars.last == 9.5)
        #expect(Tensor.arange(0, 1, step: 0.3).scalars == [0, 0.3, 0.6, Float(0.8999999999999999)])
        #expect(Tensor.arange(3, 0).count == 0)
    }

    @Test func valueSemantics() {
        let a = Tensor([1, 2, 3])
        var b = a
        b += 1
        #expect(a.scalars == [1, 2, 3], "the copy was written, the original must not change")
        #expect(b.scalars == [2, 3, 4])
        var c = a
        c.withUnsafeMutableBufferPointer { $0[0] = 9 }
        #expect(a.scalars[0] == 1)
    }

    /// In-place updates of an unshared tensor write its storage, no copy.
    @Test func inPlaceUpdatesReuseUniqueStorage() {
        var t = Tensor.zeros([64])
        let before = t.withUnsafeBufferPointer { $0.baseAddress }
        t += 1
        t *= Tensor.ones([64])
        t.apply { $0 * 2 }
        t.fill(3)
        let after = t.withUnsafeBufferPointer { $0.baseAddress }
        #expect(before == after)
        #expect(t.scalars.allSatisfy { $0 == 3 })
    }

    struct BinaryCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let lhs: Tensor
        let rhs: Tensor
        let sum: Tensor
    }

    static let broadcastCases: [BinaryCase] = [
        BinaryCase(
            testDescription: "same shape", lhs: Tensor(rows: [[1, 2], [3, 4]]), rhs: Tensor(rows: [[10, 20], [30, 40]]),
            sum: Tensor(rows: [[11, 22], [33, 44]])),
        BinaryCase(
            testDescription: "scalar tensor", lhs: Tensor(rows: [[1, 2], [3, 4]]), rhs: Tensor(scalar: 10),
            sum: Tensor(rows: [[11, 12], [13, 14]])),
        BinaryCase(
            testDescription: "scalar on the left", lhs: Tensor([10]), rhs: Tensor(rows: [[1, 2], [3, 4]]),
            sum: Tensor(rows: [[11, 12], [13, 14]])),
        BinaryCase(
            testDescription: "row vector", lhs: Tensor(rows: [[1, 2, 3], [4, 5, 6]]), rhs: Tensor([10, 20, 30]),
            sum: Tensor(rows: [[11, 22, 33], [14, 25, 36]])),
        BinaryCase(
            testDescription: "row vector [1, n]", lhs: Tensor(rows: [[1, 2, 3], [4, 5, 6]]), rhs: Tensor(rows: [[10, 20, 30]]),
            sum: Tensor(rows: [[11, 22, 33], [14, 25, 36]])),
        BinaryCase(
            testDescription: "column vector", lhs: Tensor(rows: [[1, 2, 3], [4, 5, 6]]), rhs: Tensor(rows: [[10], [20]]),
            sum: Tensor(rows: [[11, 12, 13], [24, 25, 26]])),
        BinaryCase(
            testDescription: "outer", lhs: Tensor(rows: [[1], [2]]), rhs: Tensor([10, 20, 30]),
            sum: Tensor(rows: [[11, 21, 31], [12, 22, 32]])),
        BinaryCase(
            testDescription: "rank 3 against a matrix", lhs: Tensor(shape: [2, 1, 2], scalars: [1, 2, 3, 4]),
            rhs: Tensor(rows: [[10, 20], [30, 40], [50, 60]]),
            sum: Tensor(shape: [2, 3, 2], scalars: [11, 22, 31, 42, 51, 62, 13, 24, 33, 44, 53, 64])),
    ]

    @Test(arguments: broadcastCases)
    func broadcastingAddition(_ c: BinaryCase) {
        #expect(c.lhs + c.rhs == c.sum)
        #expect(c.rhs + c.lhs == c.sum, "addition commutes under broadcasting")
    }

    /// Every operator against the same computation done element by element.
    @Test(arguments: ["+", "-", "*", "/"], broadcastCases)
    func operatorsAgreeWithScalarArithmetic(_ op: String, _ c: BinaryCase) {
        let f: (Float, Float) -> Float
        let result: Tensor
        switch op {
        case "+": (f, result) = ({ $0 + $1 }, c.lhs + c.rhs)
        case "-": (f, result) = ({ $0 - $1 }, c.lhs - c.rhs)
        case "*": (f, result) = ({ $0 * $1 }, c.lhs * c.rhs)
        default: (f, result) = ({ $0 / $1 }, c.lhs / c.rhs)
        }
        // Recover the broadcast operands from the known sum's shape by broadcasting ones.
        let ones = Tensor.ones(c.sum.shape)
        let a = (c.lhs * ones).scalars
        let b = (c.rhs * ones).scalars
        #expect(result.shape == c.sum.shape)
        #expect(result.scalars == zip(a, b).map(f))
    }

    @Test func scalarOperatorsAndNegation() {
        let t = Tensor([1, 2, 4])
        #expect((t + 1).scalars == [2, 3, 5])
        #expect((t - 1).scalars == [0, 1, 3])
        #expect((t * 2).scalars == [2, 4, 8])
        #expect((t / 2).scalars == [0.5, 1, 2])
        #expect((1 + t).scalars == [2, 3, 5])
        #expect((1 - t).scalars == [0, -1, -3])
        #expect((2 * t).scalars == [2, 4, 8])
        #expect((4 / t).scalars == [4, 2, 1])
        #expect((-t).scalars == [-1, -2, -4])
    }

    @Test func compoundAssignmentBroadcastsTheRightSide() {
        var t = Tensor(rows: [[1, 2], [3, 4]])
        t += Tensor([1, 2])
        #expect(t == Tensor(rows: [[2, 4], [4, 6]]))
        t -= Tensor(scalar: 1)
        #expect(t == Tensor(rows: [[1, 3], [3, 5]]))
        t *= Tensor(rows: [[2], [10]])
        #expect(t == Tensor(rows: [[2, 6], [30, 50]]))
        t /= 2
        #expect(t == Tensor(rows: [[1, 3], [15, 25]]))
        t += 1
        t -= 1
        t *= 2
        #expect(t == Tensor(rows: [[2, 6], [30, 50]]))
    }

    @Test func elementwiseFunctions() {
        let t = Tensor([-2, -0.0, 0.5, 4])
        #expect(t.relu().scalars == [0, 0, 0.5, 4])
        #expect(t.squared().scalars == [4, 0, 0.25, 16])
        #expect(Tensor([4, 9]).squareRoot().scalars == [2, 3])
        #expect(Tensor([0]).exp().scalars == [1])
        #expect(Tensor([1]).log().scalars == [0])
        #expect(Tensor([0]).sin().scalars == [0])
        #expect(Tensor([Float.nan]).relu().scalars[0].isNaN, "relu keeps NaN, as torch.relu")
        var u = Tensor([1, 2])
        u.apply { $0 * 3 }
        #expect(u.scalars == [3, 6])
        u.fill(0)
        #expect(u.scalars == [0, 0])
    }

    @Test func reductions() {
        let t = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(t.sum() == 21)
        #expect(t.mean() == 3.5)
        #expect(t.maxElement() == 6)
        #expect(t.sum(alongAxis: 0) == Tensor([5, 7, 9]))
        #expect(t.sum(alongAxis: 1) == Tensor([6, 15]))
        #expect(t.sum(alongAxis: -1) == Tensor([6, 15]))
        #expect(t.mean(alongAxis: 0) == Tensor([2.5, 3.5, 4.5]))
        #expect(Tensor(shape: [2, 2, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8]).sum(alongAxis: 1) == Tensor(rows: [[4, 6], [12, 14]]))
        #expect(Tensor(rows: [[0.1, 0.9, 0.9], [2, -1, 0]]).argmaxRows() == [1, 0])
        // The Double accumulator: 1 + 2^-24 * 2^24 small terms is exact.
        let many = Tensor([1] + [Float](repeating: 0x1p-24, count: 1 << 12))
        #expect(many.sum() == 1 + 0x1p-12)
    }

    struct MatMulCase: Sendable, CustomTestStringConvertible {
        let m: Int, k: Int, n: Int
        let transposeA: Bool, transposeB: Bool
        var testDescription: String { "\(m)x\(k)·\(k)x\(n) T(\(transposeA), \(transposeB))" }
    }

    static let matMulCases: [MatMulCase] = [(1, 1, 1), (2, 3, 4), (5, 1, 3), (7, 9, 2), (16, 32, 10)].flatMap { m, k, n in
        [false, true].flatMap { ta in [false, true].map { tb in MatMulCase(m: m, k: k, n: n, transposeA: ta, transposeB: tb) } }
    }

    /// Each layout against a naive product in Double: exact integers here.
    @Test(arguments: matMulCases)
    func matmulAgreesWithTheDefinition(_ c: MatMulCase) {
        var rng = Xoshiro256StarStar(seed: UInt64(c.m * 100 + c.k * 10 + c.n))
        func integers(_ shape: [Int]) -> Tensor {
            Tensor(shape: shape) { buffer in
                for i in 0..<buffer.count { buffer[i] = Float(rng.int(below: 9) - 4) }
            }
        }
        let a = integers(c.transposeA ? [c.k, c.m] : [c.m, c.k])
        let b = integers(c.transposeB ? [c.n, c.k] : [c.k, c.n])
        let product = a.matmul(b, transposingSelf: c.transposeA, transposingOther: c.transposeB)
        let aa = c.transposeA ? a.transposed() : a
        let bb = c.transposeB ? b.transposed() : b
        var expected = [Float]()
        for i in 0..<c.m {
            for j in 0..<c.n {
                var sum = 0.0
                for p in 0..<c.k { sum += Double(aa.scalars[i * c.k + p]) * Double(bb.scalars[p * c.n + j]) }
                expected.append(Float(sum))
            }
        }
        #expect(product.shape == [c.m, c.n])
        #expect(product.scalars == expected)
        #expect(aa.matmul(bb) == product)
        var accumulated = product
        Tensor.multiplyAccumulate(a, c.transposeA, b, c.transposeB, into: &accumulated)
        #expect(accumulated == product * 2)
    }
}
