import Foundation
import Testing
@testable import AnnealOptim
import COptimSupport

/// The loops: PyTorch's (MKL's) square root, and the same arithmetic for
/// every element whether it falls in a whole vector, a tensor's padded
/// remainder, or another thread's share of a large tensor.
@Suite struct KernelTests {
    /// `torch.tensor([x]).sqrt()` for float32 values where MKL's `vsSqrt`
    /// is not the correctly rounded square root (the third value is
    /// `sqrtf`), and a few special ones:
    ///
    /// ```python
    /// x = random float32; t = torch.tensor([x]).sqrt().item()
    /// cr = float32(math.sqrt(x)); keep (x, t, cr) when t != cr
    /// ```
    static let pyTorchSquareRoots: [(Double, Double, Double)] = [
        (2.9697301387786865, 1.7232905626296997, 1.7232904434204102),
        (0.9938256144523621, 0.9969080686569214, 0.9969080090522766),
        (1.1251345872879028, 1.0607235431671143, 1.0607236623764038),
        (0.6468207836151123, 0.8042517304420471, 0.8042516708374023),
        (0.5155299305915833, 0.7180041670799255, 0.7180041074752808),
        (3.4869048595428467, 1.8673256635665894, 1.8673255443572998),
    ]
    /// `torch.tensor([x], dtype=torch.float32).sqrt().item()`.
    static let pyTorchSpecialSquareRoots: [(Double, Double)] = [
        (0.0, 0.0), (1e-40, 9.999973025467516e-21), (4.0, 2.0), (3.4e38, 1.8439089273756975e+19),
    ]

    @Test func squareRootIsPyTorchs() {
        MKLSqrt.rsqrtTable.withUnsafeBufferPointer { table in
            let table = table.baseAddress!
            var inputs: [Float] = []
            var expected: [Float] = []
            for (x, pyTorch, correctlyRounded) in Self.pyTorchSquareRoots {
                #expect(MKLSqrt.sqrt(Float(x), table: table).bitPattern == Float(pyTorch).bitPattern)
                #expect(Float(x).squareRoot() == Float(correctlyRounded))
                inputs.append(Float(x))
                expected.append(Float(pyTorch))
            }
            for (x, pyTorch) in Self.pyTorchSpecialSquareRoots {
                #expect(MKLSqrt.sqrt(Float(x), table: table).bitPattern == Float(pyTorch).bitPattern)
                inputs.append(Float(x))
                expected.append(Float(pyTorch))
            }
            #expect(MKLSqrt.sqrt(-1, table: table).isNaN)
            #expect(MKLSqrt.sqrt(.nan, table: table).isNaN)
            #expect(MKLSqrt.sqrt(-0.0, table: table).bitPattern == (-0.0 as Float).bitPattern)
            // The vector version, lane by lane.
            for start in stride(from: 0, to: inputs.count, by: Kernels.laneCount) {
                var x = Kernels.Lanes()
                for lane in 0..<Kernels.laneCount { x[lane] = inputs[(start + lane) % inputs.count] }
                let root = MKLSqrt.sqrt(x, table: table)
                for lane in 0..<Kernels.laneCount {
                    #expect(root[lane].bitPattern == expected[(start + lane) % inputs.count].bitPattern)
                }
            }
        }
    }

    /// The vector square root is the scalar one, lane for lane, over every
    /// exponent, subnormals, zeros, infinities and NaN.
    @Test func vectorSquareRootIsTheScalarOne() {
        MKLSqrt.rsqrtTable.withUnsafeBufferPointer { table in
            let table = table.baseAddress!
            var state: UInt64 = 12345
            var mismatches = 0
            for _ in 0..<40_000 {
                var x = Kernels.Lanes()
                for lane in 0..<Kernels.laneCount {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    x[lane] = Float(bitPattern: UInt32(truncatingIfNeeded: state >> 32) & 0x7fff_ffff)
                }
                x[Int(state % 16)] = [0, .infinity, -1, .nan, Float(bitPattern: 0x0001_16c2), 0x1p-126, 3.4e38, 1][Int(state >> 61)]
                let root = MKLSqrt.sqrt(x, table: table)
                for lane in 0..<Kernels.laneCount {
                    let scalar = MKLSqrt.sqrt(x[lane], table: table)
                    if root[lane].bitPattern != scalar.bitPattern && !(root[lane].isNaN && scalar.isNaN) { mismatches += 1 }
                }
            }
            #expect(mismatches == 0)
        }
    }

    @Test func rsqrtTable() {
        // rsqrtps(1.0) on the reference CPU is 8191/8192; the table decreases.
        #expect(MKLSqrt.rsqrtTable.count == 8192)
        #expect(MKLSqrt.rsqrtTable[0] == 0x3f7f_f800)
        #expect(MKLSqrt.rsqrtTable[8191] == 0x3f00_0000)
        #expect(zip(MKLSqrt.rsqrtTable, MKLSqrt.rsqrtTable.dropFirst()).allSatisfy { $0 >= $1 })
    }

    /// `fusedMultiplyAdd` (the CPU's FMA through a call in builds without
    /// FMA, one instruction in builds with it) is libm's `fmaf`, lane for
    /// lane, including the cases a separate multiply and add round
    /// differently, overflow, subnormals, infinities and NaN.
    @Test func fusedMultiplyAddIsFmaf() {
        var state: UInt64 = 99
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(bitPattern: UInt32(truncatingIfNeeded: state >> 32))
        }
        var mismatches = 0
        var fusedDiffersFromSeparate = 0
        for round in 0..<20_000 {
            var a = Kernels.Lanes(), x = Kernels.Lanes(), y = Kernels.Lanes()
            for lane in 0..<Kernels.laneCount {
                if round % 2 == 0 {
                    (a[lane], x[lane], y[lane]) = (next(), next(), next())
                } else {
                    // Near-cancelling products, where rounding once matters.
                    x[lane] = 1 + Float(lane) * 0x1p-20
                    y[lane] = 1 - Float(round % 97) * 0x1p-21
                    a[lane] = -(x[lane] * y[lane])
                }
            }
            a[0] = [Float.infinity, .nan, 0x1p-149, -0.0][round % 4]
            let fused = Kernels.fusedMultiplyAdd(a, x, y)
            for lane in 0..<Kernels.laneCount {
                let expected = a[lane].addingProduct(x[lane], y[lane])
                if fused[lane].bitPattern != expected.bitPattern && !(fused[lane].isNaN && expected.isNaN) { mismatches += 1 }
                if expected != a[lane] + x[lane] * y[lane] { fusedDiffersFromSeparate += 1 }
            }
        }
        #expect(mismatches == 0)
        #expect(fusedDiffersFromSeparate > 1000)
    }

    /// Adam's C loop (where it runs) and the Swift loop give the same bits
    /// for every option: coupled or decoupled decay, amsgrad, maximize, a
    /// lerp weight on either side of 0.5, over random values with zeros,
    /// subnormals, infinities, NaN and huge moments in them, and a length
    /// with a padded remainder.
    @Test(.enabled(if: Kernels.Adam.runsInC, "Adam's C loop does not run on this CPU"), arguments: [
        (coupled: false, amsgrad: false, maximize: false, beta1: 0.9),
        (coupled: true, amsgrad: false, maximize: true, beta1: 0.9),
        (coupled: false, amsgrad: true, maximize: false, beta1: 0.3),
        (coupled: true, amsgrad: true, maximize: true, beta1: 0.5),
    ])
    func adamLoopsAgree(options: (coupled: Bool, amsgrad: Bool, maximize: Bool, beta1: Double)) {
        let count = 4_099
        let next = loopInputs(seed: 7)
        let param = (0..<count).map { _ in next() }, grad = (0..<count).map { _ in next() }
        let expAvg = (0..<count).map { _ in next() }, expAvgSq = (0..<count).map { _ in abs(next()) }
        let maxExpAvgSq = (0..<count).map { _ in abs(next()) }
        let scalars = Kernels.Adam.Scalars(
            maximize: options.maximize, coupledWeightDecay: options.coupled ? 0.01 : nil,
            decoupledDecay: options.coupled ? nil : Float(1 - 0.001 * 0.01), lerp: Kernels.Lerp(weight: 1 - options.beta1),
            beta2: 0.999, oneMinusBeta2: Float(1 - 0.999), biasCorrection2Sqrt: Float((1 - pow(0.999, 3.0)).squareRoot()),
            eps: 1e-8, negativeStepSize: Float(-0.001 / (1 - pow(options.beta1, 3))))
        func run(inC: Bool) -> [[Float]] {
            var (p, m, v, mx) = (param, expAvg, expAvgSq, maxExpAvgSq)
            p.withUnsafeMutableBufferPointer { p in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        mx.withUnsafeMutableBufferPointer { mx in
                            grad.withUnsafeBufferPointer { g in
                                Kernels.Adam.run(
                                    scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!, expAvg: m.baseAddress!,
                                    expAvgSq: v.baseAddress!, maxExpAvgSq: options.amsgrad ? mx.baseAddress! : nil, inC: inC)
                            }
                        }
                    }
                }
            }
            return [p, m, v, mx]
        }
        let (c, swift) = (run(inC: true), run(inC: false))
        for (name, (a, b)) in zip(["param", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"], zip(c, swift)) {
            let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern && !($0.isNaN && $1.isNaN) }.count
            #expect(differing == 0, "\(name): \(differing) of \(count) values differ")
        }
        #expect(c[0] != param)
    }

    /// SGD's C loop (where it runs) and the Swift loop give the same bits
    /// for every option, on values with zeros, subnormals, infinities and
    /// NaN in them, and a length with a padded remainder.
    @Test(.enabled(if: Kernels.SGD.runsInC, "SGD's C loop does not run on this CPU"), arguments: [
        (weightDecay: false, momentum: false, initialize: false, nesterov: false, maximize: false),
        (weightDecay: true, momentum: false, initialize: false, nesterov: false, maximize: true),
        (weightDecay: false, momentum: true, initialize: true, nesterov: false, maximize: false),
        (weightDecay: true, momentum: true, initialize: false, nesterov: true, maximize: false),
        (weightDecay: true, momentum: true, initialize: false, nesterov: false, maximize: true),
    ])
    func sgdLoopsAgree(options: (weightDecay: Bool, momentum: Bool, initialize: Bool, nesterov: Bool, maximize: Bool)) {
        let count = 4_099
        let next = loopInputs(seed: 11)
        let param = (0..<count).map { _ in next() }, grad = (0..<count).map { _ in next() }
        let buffer = (0..<count).map { _ in next() }
        let scalars = Kernels.SGD.Scalars(
            negativeLR: -0.01, weightDecay: options.weightDecay ? 0.001 : nil, momentum: options.momentum ? 0.9 : nil,
            oneMinusDampening: Float(1 - 0.1), nesterov: options.nesterov, maximize: options.maximize)
        func run(inC: Bool) -> [[Float]] {
            var (p, b) = (param, buffer)
            p.withUnsafeMutableBufferPointer { p in
                b.withUnsafeMutableBufferPointer { b in
                    grad.withUnsafeBufferPointer { g in
                        Kernels.SGD.run(
                            scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!,
                            buffer: options.momentum ? b.baseAddress! : nil, initializeBuffer: options.initialize, inC: inC)
                    }
                }
            }
            return [p, b]
        }
        let (c, swift) = (run(inC: true), run(inC: false))
        for (name, (a, b)) in zip(["param", "momentum_buffer"], zip(c, swift)) {
            let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern && !($0.isNaN && $1.isNaN) }.count
            #expect(differing == 0, "\(name): \(differing) of \(count) values differ")
        }
        #expect(c[0] != param)
    }

    /// RMSprop's C loop (where it runs) and the Swift loop give the same bits
    /// for every option: weight decay, centered (a lerp weight on either side
    /// of 0.5), momentum, maximize, over values with zeros, subnormals,
    /// infinities, NaN and huge averages in them (and negative centered
    /// variances), and a length with a padded remainder.
    @Test(.enabled(if: Kernels.RMSprop.runsInC, "RMSprop's C loop does not run on this CPU"), arguments: [
        (weightDecay: false, centered: false, momentum: false, maximize: false, alpha: 0.99),
        (weightDecay: true, centered: false, momentum: true, maximize: true, alpha: 0.99),
        (weightDecay: false, centered: true, momentum: false, maximize: false, alpha: 0.9),
        (weightDecay: true, centered: true, momentum: true, maximize: false, alpha: 0.3),
        (weightDecay: false, centered: true, momentum: true, maximize: true, alpha: 0.5),
    ])
    func rmspropLoopsAgree(options: (weightDecay: Bool, centered: Bool, momentum: Bool, maximize: Bool, alpha: Double)) {
        let count = 4_099
        let next = loopInputs(seed: 13)
        let param = (0..<count).map { _ in next() }, grad = (0..<count).map { _ in next() }
        let squareAvg = (0..<count).map { _ in abs(next()) }, gradAvg = (0..<count).map { _ in next() }
        let buffer = (0..<count).map { _ in next() }
        let scalars = Kernels.RMSprop.Scalars(
            maximize: options.maximize, weightDecay: options.weightDecay ? 0.01 : nil, alpha: Float(options.alpha),
            oneMinusAlpha: Float(1 - options.alpha), lerp: Kernels.Lerp(weight: 1 - options.alpha), eps: 1e-8,
            momentum: options.momentum ? 0.9 : nil, negativeLR: -0.01)
        func run(inC: Bool) -> [[Float]] {
            var (p, sq, ga, b) = (param, squareAvg, gradAvg, buffer)
            p.withUnsafeMutableBufferPointer { p in
                sq.withUnsafeMutableBufferPointer { sq in
                    ga.withUnsafeMutableBufferPointer { ga in
                        b.withUnsafeMutableBufferPointer { b in
                            grad.withUnsafeBufferPointer { g in
                                Kernels.RMSprop.run(
                                    scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!,
                                    squareAvg: sq.baseAddress!, gradAvg: options.centered ? ga.baseAddress! : nil,
                                    momentumBuffer: options.momentum ? b.baseAddress! : nil, inC: inC)
                            }
                        }
                    }
                }
            }
            return [p, sq, ga, b]
        }
        let (c, swift) = (run(inC: true), run(inC: false))
        for (name, (a, b)) in zip(["param", "square_avg", "grad_avg", "momentum_buffer"], zip(c, swift)) {
            let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern && !($0.isNaN && $1.isNaN) }.count
            #expect(differing == 0, "\(name): \(differing) of \(count) values differ")
        }
        #expect(c[0] != param)
    }

    /// The check that lets Adam's C loop take `rsqrtps(x)` directly holds
    /// where the table matches (on the reference machine), and fails when
    /// any one entry of the table it is given is off by one unit.
    @Test(.enabled(if: MKLSqrt.cpuEstimatesMatchTable && anneal_rsqrt_supported() != 0, "this CPU's rsqrtps is not the table's"))
    func scalingCheckCatchesAWrongEntry() {
        var table = MKLSqrt.rsqrtTable
        #expect(anneal_rsqrt_scales_exactly(table) == 1)
        for index in [0, 4095, 4096, 8191, 1234, 6000] {
            table[index] &+= 1
            #expect(anneal_rsqrt_scales_exactly(table) == 0, "entry \(index) one unit off")
            table[index] &-= 1
        }
    }

    /// Where the CPU's `rsqrtps` reproduces the table (it does on the
    /// reference machine), the estimates it computes are the table's for
    /// any float: every exponent, sign and low mantissa bits, and the rare
    /// values; the rare flag is the same either way.
    @Test func cpuEstimatesAreTheTables() {
        var generator = SystemRandomNumberGenerator()
        var words = (0..<4096).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) }
        words += [0, 0x8000_0000, 0x0000_0001, 0x007f_ffff, 0x0080_0000, 0x7f7f_f000, 0x7f7f_f001, 0x7f80_0000, 0x7fc0_0000, 0xff80_0000]
        words += (0..<6).map { _ in UInt32.random(in: 0x0080_0000...0x7f7f_f000, using: &generator) }
        MKLSqrt.rsqrtTable.withUnsafeBufferPointer { table in
            for start in stride(from: 0, to: words.count, by: 16) {
                var block = Array(words[start..<start + 16]).map { Float(bitPattern: $0) }
                var fromTable = [UInt32](repeating: 0, count: 16)
                var fromCPU = [UInt32](repeating: 0, count: 16)
                let rareTable = MKLSqrt.lookUpEstimates(&block, count: 16, table: table.baseAddress!, into: &fromTable, usingCPU: false)
                guard MKLSqrt.cpuEstimatesMatchTable else { continue }
                let rareCPU = MKLSqrt.lookUpEstimates(&block, count: 16, table: table.baseAddress!, into: &fromCPU, usingCPU: true)
                #expect(rareCPU == rareTable, "rare flag of \(block)")
                for lane in 0..<16 where !MKLSqrt.isRare(block[lane].bitPattern) {
                    #expect(fromCPU[lane] == fromTable[lane], "x = \(block[lane]) (bits \(block[lane].bitPattern))")
                }
            }
        }
    }

    static let configurations: [(OptimizerKind, JSONObject)] = [
        (.sgd, ["lr": 0.05, "momentum": 0.9, "weight_decay": 0.01]),
        (.adam, ["lr": 0.01, "amsgrad": true]),
        (.adamW, ["lr": 0.01, "maximize": true]),
        (.rmsprop, ["lr": 0.01, "centered": true, "momentum": 0.5]),
    ]

    /// One tensor of 37 elements (2 vectors of 16 and a padded remainder of 5)
    /// gives what 37 one-element tensors give.
    @Test(arguments: 0..<configurations.count)
    func remainderMatchesWholeVectors(configuration: Int) throws {
        let (kind, options) = Self.configurations[configuration]
        let initial = values(37, seed: 3)
        let whole = Parameter(Tensor(initial))
        let single = initial.map { Parameter(Tensor([$0])) }
        let a = try makeOptimizer(kind, groups: [ParameterGroup(parameters: [whole])], options: options)
        let b = try makeOptimizer(kind, groups: [ParameterGroup(parameters: single)], options: options)
        try run(a, [whole], steps: 5)
        try run(b, single, steps: 5)
        #expect(bits(whole.value.scalars) == bits(single.flatMap(\.value.scalars)))
    }

    /// A tensor large enough to be split among threads (and into many
    /// blocks) gives what the same values in small tensors give.
    @Test(arguments: 0..<configurations.count)
    func threadsAndBlocksDoNotChangeResults(configuration: Int) throws {
        let (kind, options) = Self.configurations[configuration]
        let count = 4 * Kernels.parallelThreshold + 13
        let initial = values(count, seed: 4)
        let large = Parameter(Tensor(initial))
        let pieces = stride(from: 0, to: count, by: 1000).map { Parameter(Tensor(Array(initial[$0..<min($0 + 1000, count)]))) }
        let a = try makeOptimizer(kind, groups: [ParameterGroup(parameters: [large])], options: options)
        let b = try makeOptimizer(kind, groups: [ParameterGroup(parameters: pieces)], options: options)
        try run(a, [large], steps: 2)
        try run(b, pieces, steps: 2)
        #expect(bits(large.value.scalars) == bits(pieces.flatMap(\.value.scalars)))
    }

    /// Zero and subnormal moments take MKL's rare path inside a vector.
    @Test func rareLanesInsideVectors() throws {
        let p = Parameter(Tensor([1, 1, 1e-30, 1, 2, 1, 1, 1, 1]))  // target 1: zero gradients, one tiny
        let adam = try Adam(parameters: [p], lr: 0.01)
        try run(adam, [p], steps: 3)
        let singles = [1, 1, 1e-30, 1, 2, 1, 1, 1, 1].map { Parameter(Tensor([Float($0)])) }
        let reference = try Adam(parameters: singles, lr: 0.01)
        try run(reference, singles, steps: 3)
        #expect(bits(p.value.scalars) == bits(singles.flatMap(\.value.scalars)))
        #expect(p.value.scalars[0] == 1)
    }
}

/// The inputs of the C-versus-Swift loop comparisons, one value a call:
/// random values of every magnitude, and one in sixteen a special one
/// (zeros, infinities, NaN, a subnormal, a huge and a tiny value).
func loopInputs(seed: UInt64) -> () -> Float {
    var state = seed
    return {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let special: [Float] = [0, -0.0, .infinity, -.infinity, .nan, 0x1p-140, 3.3e38, 1e-30]
        if state >> 60 == 0 { return special[Int(state >> 32) % special.count] }
        return Float(Int32(truncatingIfNeeded: state >> 32)) * 0x1p-28
    }
}
