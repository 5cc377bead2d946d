import Anneal
import Testing

/// Each scheduler's documented step → lr example, checked bit for bit
/// against the values PyTorch 2.13 prints for the same code (first group's
/// `lr` after construction, then after each `optimizer.step(); scheduler.step()`).
@Suite("Documented examples")
struct DocumentedExampleTests {
    struct Example: CustomTestStringConvertible, Sendable {
        let name: String
        let steps: Int
        let pytorch: [Double]
        let build: @Sendable () throws -> (Optimizer, LRScheduler)
        var testDescription: String { name }
    }

    static let examples: [Example] = [
        Example(name: "StepLR", steps: 3, pytorch: [0.05, 0.05, 0.05, 0.05]) {
            let o = try sgd(0.05)
            return (o, try StepLR(optimizer: o, stepSize: 30, gamma: 0.1))
        },
        // PyTorch prints 0.005000000000000001 and 0.0005000000000000001 for the doc's 0.005 and 0.0005.
        Example(
            name: "MultiStepLR", steps: 85,
            pytorch: Array(repeating: 0.05, count: 30) + Array(repeating: 0.005000000000000001, count: 50)
                + Array(repeating: 0.0005000000000000001, count: 6)
        ) {
            let o = try sgd(0.05)
            return (o, try MultiStepLR(optimizer: o, milestones: [30, 80], gamma: 0.1))
        },
        Example(name: "ConstantLR", steps: 6, pytorch: [0.025, 0.025, 0.025, 0.025, 0.05, 0.05, 0.05]) {
            let o = try sgd(0.05)
            return (o, try ConstantLR(optimizer: o, factor: 0.5, totalIters: 4))
        },
        Example(name: "LinearLR", steps: 6, pytorch: [0.025, 0.03125, 0.0375, 0.043750000000000004, 0.05, 0.05, 0.05]) {
            let o = try sgd(0.05)
            return (o, try LinearLR(optimizer: o, startFactor: 0.5, totalIters: 4))
        },
        Example(name: "ExponentialLR", steps: 4, pytorch: [0.1, 0.05, 0.025, 0.0125, 0.00625]) {
            let o = try sgd(0.1)
            return (o, try ExponentialLR(optimizer: o, gamma: 0.5))
        },
        Example(name: "PolynomialLR", steps: 5, pytorch: [0.001, 0.00075, 0.0005, 0.00025, 0.0, 0.0]) {
            let o = try sgd(0.001)
            return (o, try PolynomialLR(optimizer: o, totalIters: 4, power: 1.0))
        },
        Example(
            name: "CosineAnnealingLR", steps: 6,
            pytorch: [0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.0, 0.014644660940672622, 0.05000000000000001]
        ) {
            let o = try sgd(0.1)
            return (o, try CosineAnnealingLR(optimizer: o, tMax: 4))
        },
        Example(name: "LambdaLR", steps: 3, pytorch: [0.1, 0.05, 0.025, 0.0125]) {
            let o = try sgd(0.1)
            return (o, try LambdaLR(optimizer: o, lrLambda: try ScheduleFunction(expression: "0.5 ** epoch")))
        },
        Example(name: "MultiplicativeLR", steps: 3, pytorch: [0.1, 0.095, 0.09025, 0.0857375]) {
            let o = try sgd(0.1)
            return (o, try MultiplicativeLR(optimizer: o, lrLambda: ScheduleFunction({ _ in 0.95 })))
        },
        Example(name: "CyclicLR", steps: 5, pytorch: [0.1, 0.55, 1.0, 0.55, 0.1, 0.55]) {
            let o = try sgd(0.1)
            return (o, try CyclicLR(optimizer: o, baseLR: 0.1, maxLR: 1.0, stepSizeUp: 2))
        },
        Example(
            name: "CosineAnnealingWarmRestarts", steps: 7,
            pytorch: [0.1, 0.05, 0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.1, 0.09619397662556434]
        ) {
            let o = try sgd(0.1)
            return (o, try CosineAnnealingWarmRestarts(optimizer: o, t0: 2, tMult: 2))
        },
        Example(name: "OneCycleLR", steps: 4, pytorch: [0.04, 1.0, 0.5000020000000001, 4.000000000004e-06, -0.49999400000000005]) {
            let o = try sgd(0.1)
            return (o, try OneCycleLR(optimizer: o, maxLR: 1.0, totalSteps: 4, pctStart: 0.5, annealStrategy: "linear"))
        },
        Example(name: "SWALR", steps: 4, pytorch: [0.1, 0.07500000000000001, 0.05, 0.05, 0.05]) {
            let o = try sgd(0.1)
            return (o, try SWALR(optimizer: o, swaLR: 0.05, annealEpochs: 2, annealStrategy: "linear"))
        },
        Example(name: "SequentialLR", steps: 5, pytorch: [0.1, 0.55, 1.0, 0.5, 0.25, 0.125]) {
            let o = try sgd(1.0)
            let warmup = try LinearLR(optimizer: o, startFactor: 0.1, totalIters: 2)
            let decay = try ExponentialLR(optimizer: o, gamma: 0.5)
            return (o, try SequentialLR(optimizer: o, schedulers: [warmup, decay], milestones: [2]))
        },
        Example(
            name: "ChainedScheduler", steps: 4,
            pytorch: [0.1, 0.09000000000000001, 0.8100000000000002, 0.7290000000000002, 0.6561000000000002]
        ) {
            let o = try sgd(1.0)
            let constant = try ConstantLR(optimizer: o, factor: 0.1, totalIters: 2)
            let decay = try ExponentialLR(optimizer: o, gamma: 0.9)
            return (o, try ChainedScheduler(schedulers: [constant, decay]))
        },
    ]

    @Test(arguments: examples)
    func example(_ example: Example) throws {
        let (optimizer, scheduler) = try example.build()
        let rates = try schedule(optimizer, scheduler, steps: example.steps)
        expectClose(rates, example.pytorch, ulps: 0, example.name)
    }

    @Test func stepLRDecaysEveryStepSize() throws {
        let o = try sgd(0.05)
        let scheduler = try StepLR(optimizer: o, stepSize: 30, gamma: 0.1)
        let rates = try schedule(o, scheduler, steps: 90)
        expectClose([rates[29], rates[30], rates[60], rates[90]], [0.05, 0.005000000000000001, 0.0005000000000000001, 5.0000000000000016e-05])
    }

    @Test func reduceLROnPlateauWaitsForPatience() throws {
        let o = try sgd(0.1)
        let plateau = try ReduceLROnPlateau(optimizer: o, patience: 1)
        var rates: [Double] = []
        for _ in 0..<4 {
            try plateau.step(metric: 1)
            rates.append(o.paramGroups[0].lr)
        }
        expectClose(rates, [0.1, 0.1, 0.010000000000000002, 0.010000000000000002])
        #expect(plateau.lastEpoch == 4)
    }

    @Test func oneCycleLRRaisesPastTotalSteps() throws {
        let o = try sgd(0.1)
        let scheduler = try OneCycleLR(optimizer: o, maxLR: 1.0, totalSteps: 4)
        for _ in 0..<4 { try scheduler.step() }
        expectPythonError("ValueError", "Tried to step 5 times. The specified number of total steps is 4") {
            try scheduler.step()
        }
    }
}
