@testable import Anneal
import Testing

/// `TorchGenerator` against torch 2.13.0+cpu. The values come from
/// `torch.Generator().manual_seed(s)` followed by three
/// `torch.randn(1, generator=g).item()` (the second is the cached Box–Muller
/// sine) or, after re-seeding, two `torch.rand(1, generator=g).item()`,
/// printed with `float.hex()` in /work/venv-fam.
@Suite("Timm.TorchGenerator")
struct TimmGeneratorTests {
    static let cases: [(seed: Int, randn: [Double], rand: [Double])] = [
        (0, [0x1.8a7eb8p+0, -0x1.2c78ap-2, -0x1.16e292p+1], [0x1.fc2ab0p-2, 0x1.89545ep-1]),
        (1, [0x1.529cc0p-1, 0x1.11548ep-2, 0x1.f94296p-5], [0x1.83e84ap-1, 0x1.1e03acp-2]),
        (42, [0x1.58c55cp-2, 0x1.07cd3ap-3, 0x1.e02dcep-3], [0x1.c3b8ccp-1, 0x1.d47b66p-1]),
        (43, [-0x1.4bfb3ap-1, -0x1.69640cp-1, 0x1.4953ecp-1], [0x1.d0dd10p-2, 0x1.926ap-3]),
        (1000, [-0x1.2c0b6ap+0, -0x1.92504p-2, 0x1.0d8eb8p-1], [0x1.4696ccp-2, 0x1.3a24aep-1]),
        (4_294_967_301, [-0x1.f276a8p-2, -0x1.35281ap-1, -0x1.1dbecap-1], [0x1.a916c6p-1, 0x1.02467p-3]),
        (123_456_789, [0x1.c3b34p-4, 0x1.19b2d2p+1, -0x1.cb432ep-1], [0x1.9efae0p-2, 0x1.365d38p-1]),
    ]

    @Test(arguments: 0..<cases.count)
    func drawsMatchTorch(_ index: Int) {
        let (seed, randn, rand) = Self.cases[index]
        var generator = TorchGenerator(seed: seed)
        expectClose((0..<3).map { _ in generator.randn() }, randn, "randn seed \(seed)")
        generator = TorchGenerator(seed: seed)
        expectClose((0..<2).map { _ in generator.rand() }, rand, "rand seed \(seed)")
    }

    @Test func negativeSeedWrapsLikeTorch() {
        // torch.Generator().manual_seed(-5): -0x1.d39dacp+0
        var generator = TorchGenerator(seed: -5)
        #expect(generator.randn() == -0x1.d39dacp+0)
    }

    /// The standard mt19937 check: the 10000th output for seed 5489 is 4123659995.
    @Test func engineIsTheStandardMersenneTwister() {
        var generator = TorchGenerator(seed: 5489)
        var value: UInt32 = 0
        for _ in 0..<10_000 { value = generator.random() }
        #expect(value == 4_123_659_995)
    }
}
