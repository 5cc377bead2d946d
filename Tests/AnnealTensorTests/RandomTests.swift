import AnnealTensor
import Testing

@Suite("Random generator")
struct RandomTests {
    /// The published reference outputs (Vigna's splitmix64.c, seed 1234567).
    @Test func splitMix64MatchesTheReference() {
        var mixer = SplitMix64(seed: 1234567)
        let outputs = (0..<5).map { _ in mixer.next() }
        #expect(outputs == [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821])
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }

    /// The published reference outputs of xoshiro256starstar.c from the state {1, 2, 3, 4}.
    @Test func xoshiroMatchesTheReference() {
        var rng = Xoshiro256StarStar(state: [1, 2, 3, 4])
        let outputs = (0..<10).map { _ in rng.next() }
        #expect(
            outputs == [
                11520, 0, 1509978240, 1215971899390074240, 1216172134540287360, 607988272756665600,
                16172922978634559625, 8476171486693032832, 10595114339597558777, 2904607092377533576,
            ])
    }

    @Test func seedingBySplitMix64() {
        var rng = Xoshiro256StarStar(seed: 42)
        #expect(rng.state == RandomReference.seed42State)
        #expect((0..<6).map { _ in rng.next() } == RandomReference.seed42Outputs)
    }

    @Test func distributionsMatchTheTranscription() {
        var rng = Xoshiro256StarStar(seed: 0)
        #expect((0..<6).map { _ in rng.nextFloat() } == RandomReference.seed0Floats)
        rng = Xoshiro256StarStar(seed: 0)
        #expect((0..<6).map { _ in rng.nextDouble() } == RandomReference.seed0Doubles)
        rng = Xoshiro256StarStar(seed: 3)
        #expect((0..<6).map { _ in rng.uniform(-0.5, 0.5) } == RandomReference.seed3Uniforms)
        rng = Xoshiro256StarStar(seed: 5)
        #expect((0..<6).map { _ in rng.normal() } == RandomReference.seed5Normals)
        rng = Xoshiro256StarStar(seed: 5)
        #expect(Tensor.normal([7], using: &rng).scalars == RandomReference.seed5NormalTensor)
        rng = Xoshiro256StarStar(seed: 9)
        #expect((0..<12).map { _ in rng.int(below: 10) } == RandomReference.seed9Below10)
        rng = Xoshiro256StarStar(seed: 9)
        #expect((0..<12).map { _ in rng.int(below: (1 << 62) + 12345) } == RandomReference.seed9BelowLarge)
        rng = Xoshiro256StarStar(seed: 1)
        #expect(rng.permutation(10) == RandomReference.seed1Permutation)
    }

    @Test(arguments: [0, 1, 42, UInt64.max])
    func savedStateReplaysTheSequence(_ seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed)
        _ = (0..<17).map { _ in rng.next() }
        let saved = rng.state
        var order = Array(0..<20)
        rng.shuffle(&order)
        let after = (rng.nextFloat(), rng.normal(), rng.int(below: 7))

        var resumed = Xoshiro256StarStar(state: saved)
        var again = Array(0..<20)
        resumed.shuffle(&again)
        #expect(again == order)
        let replay = (resumed.nextFloat(), resumed.normal(), resumed.int(below: 7))
        #expect(replay == after)
        #expect(resumed == rng)

        rng.state = saved
        #expect(rng == Xoshiro256StarStar(state: saved))
    }

    @Test func rangesAndMoments() {
        var rng = Xoshiro256StarStar(seed: 2024)
        let n = 100_000
        var sum = 0.0
        var sumSquares = 0.0
        for _ in 0..<n {
            let f = rng.nextFloat()
            #expect(f >= 0 && f < 1)
            let z = rng.normal()
            sum += z
            sumSquares += z * z
        }
        let mean = sum / Double(n)
        let variance = sumSquares / Double(n) - mean * mean
        #expect(abs(mean) < 0.02, "normal mean \(mean)")
        #expect(abs(variance - 1) < 0.02, "normal variance \(variance)")
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[rng.int(below: 6)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 }, "die counts \(counts)")
        let w = Tensor.uniform([1000], -0.25, 0.25, using: &rng)
        #expect(w.scalars.allSatisfy { $0 >= -0.25 && $0 <= 0.25 })
    }

    @Test func shuffleIsAPermutationAndDependsOnTheSeed() {
        var a = Xoshiro256StarStar(seed: 1)
        var b = Xoshiro256StarStar(seed: 2)
        let p = a.permutation(50)
        let q = b.permutation(50)
        #expect(p.sorted() == Array(0..<50))
        #expect(q.sorted() == Array(0..<50))
        #expect(p != q)
        var one = [7]
        a.shuffle(&one)
        #expect(one == [7])
    }
}
