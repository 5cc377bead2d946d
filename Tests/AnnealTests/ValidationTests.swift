import Anneal
import Testing

/// The exceptions PyTorch 2.13 raises for bad arguments, with its type and message.
@Suite("Validation")
struct ValidationTests {
    @Test func constantFactorOutOfRange() throws {
        let o = try sgd(0.1)
        expectPythonError("ValueError", "Constant multiplicative factor expected to be between 0 and 1.") {
            _ = try ConstantLR(optimizer: o, factor: 1.5)
        }
    }

    @Test func linearFactors() throws {
        let o = try sgd(0.1)
        expectPythonError(
            "ValueError", "Starting multiplicative factor expected to be greater than 0 and less or equal to 1."
        ) { _ = try LinearLR(optimizer: o, startFactor: 0) }
        expectPythonError("ValueError", "Ending multiplicative factor expected to be between 0 and 1.") {
            _ = try LinearLR(optimizer: o, endFactor: -0.5)
        }
    }

    @Test func oneCycleNeedsALength() throws {
        let o = try sgd(0.1)
        expectPythonError("ValueError", "You must define either total_steps OR (epochs AND steps_per_epoch)") {
            _ = try OneCycleLR(optimizer: o, maxLR: 0.1)
        }
        expectPythonError("ValueError", "Expected positive integer total_steps, but got 0") {
            _ = try OneCycleLR(optimizer: o, maxLR: 0.1, totalSteps: 0)
        }
        expectPythonError("ValueError", "Expected float between 0 and 1 pct_start, but got 1.5") {
            _ = try OneCycleLR(optimizer: o, maxLR: 0.1, totalSteps: 10, pctStart: 1.5)
        }
        expectPythonError("ValueError", "anneal_strategy must be one of 'cos' or 'linear', instead got sin") {
            _ = try OneCycleLR(optimizer: o, maxLR: 0.1, totalSteps: 10, annealStrategy: "sin")
        }
    }

    @Test func warmRestartsPeriods() throws {
        let o = try sgd(0.1)
        expectPythonError("ValueError", "Expected positive integer T_0, but got 0") {
            _ = try CosineAnnealingWarmRestarts(optimizer: o, t0: 0)
        }
        expectPythonError("ValueError", "Expected integer T_mult >= 1, but got 0") {
            _ = try CosineAnnealingWarmRestarts(optimizer: o, t0: 2, tMult: 0)
        }
        let scheduler = try CosineAnnealingWarmRestarts(optimizer: o, t0: 2)
        expectPythonError("ValueError", "Expected non-negative epoch, but got -1") { try scheduler.step(epoch: -1) }
    }

    @Test func plateauArguments() throws {
        let o = try sgd(0.1, 0.2)
        expectPythonError("ValueError", "Factor should be < 1.0.") { _ = try ReduceLROnPlateau(optimizer: o, factor: 1.0) }
        expectPythonError("ValueError", "mode maximum is unknown!") {
            _ = try ReduceLROnPlateau(optimizer: o, mode: "maximum")
        }
        expectPythonError("ValueError", "threshold mode relative is unknown!") {
            _ = try ReduceLROnPlateau(optimizer: o, thresholdMode: "relative")
        }
        expectPythonError("ValueError", "expected 2 min_lrs, got 3") {
            _ = try ReduceLROnPlateau(optimizer: o, minLR: [0, 0, 0])
        }
    }

    @Test func perGroupValuesMustMatchTheGroups() throws {
        let o = try sgd(0.1, 0.2)
        expectPythonError(
            "ValueError",
            "max_lr must have the same length as optimizer.param_groups. max_lr has 3 values, param_groups has 2."
        ) { _ = try CyclicLR(optimizer: o, baseLR: 0.01, maxLR: [0.1, 0.2, 0.3]) }
        expectPythonError("ValueError", "Expected 2 lr_lambdas, but got 1") {
            _ = try LambdaLR(optimizer: o, lrLambdas: [ScheduleFunction({ _ in 1 })])
        }
    }

    @Test func cyclicModeAndSWALR() throws {
        let o = try sgd(0.1)
        expectPythonError("ValueError", "mode is invalid and scale_fn is None") {
            _ = try CyclicLR(optimizer: o, baseLR: 0.01, maxLR: 0.1, mode: "sawtooth")
        }
        expectPythonError("ValueError", "anneal_epochs must be equal or greater than 0, got -1") {
            _ = try SWALR(optimizer: o, swaLR: 0.05, annealEpochs: -1)
        }
    }

    @Test func compositeSchedulers() throws {
        let o = try sgd(0.1)
        let first = try ConstantLR(optimizer: o)
        let second = try ExponentialLR(optimizer: o, gamma: 0.9)
        expectPythonError("ValueError") { _ = try SequentialLR(optimizer: o, schedulers: [first, second], milestones: []) }
        expectPythonError("ValueError", "SequentialLR expects at least one scheduler, but got no scheduler.") {
            _ = try SequentialLR(optimizer: o, schedulers: [], milestones: [])
        }
        expectPythonError(
            "ValueError", "ChainedScheduler expects at least one scheduler to be chained, but got no scheduler."
        ) { _ = try ChainedScheduler(schedulers: []) }
        let plateau = try ReduceLROnPlateau(optimizer: o)
        expectPythonError("ValueError") { _ = try ChainedScheduler(schedulers: [first, plateau]) }
        let other = try sgd(0.1)
        let elsewhere = try ExponentialLR(optimizer: other, gamma: 0.9)
        expectPythonError("ValueError") { _ = try SequentialLR(optimizer: o, schedulers: [first, elsewhere], milestones: [2]) }
        let sequential = try SequentialLR(optimizer: o, schedulers: [first, second], milestones: [3])
        expectPythonError("TypeError") { try sequential.step(epoch: 2) }
    }

    @Test func resumingNeedsInitialLR() throws {
        let o = try sgd(0.1)
        expectPythonError("KeyError") { _ = try StepLR(optimizer: o, stepSize: 2, lastEpoch: 5) }
        // Once a scheduler has written `initial_lr`, resuming by epoch works.
        _ = try StepLR(optimizer: o, stepSize: 2)
        let resumed = try StepLR(optimizer: o, stepSize: 2, lastEpoch: 5)
        #expect(resumed.lastEpoch == 6)
    }

    @Test func optimizerArguments() {
        expectPythonError("ValueError", "Invalid learning rate: -0.1") { _ = try Optimizer(.sgd, options: ["lr": -0.1]) }
        expectPythonError("ValueError", "Invalid beta parameter at index 0: 1.0") {
            _ = try Optimizer(.adam, options: ["betas": [1.0, 0.999]])
        }
        expectPythonError("ValueError", "Nesterov momentum requires a momentum and zero dampening") {
            _ = try Optimizer(.sgd, options: ["nesterov": true])
        }
        expectPythonError("TypeError", "RMSprop.__init__() got an unexpected keyword argument 'betas'") {
            _ = try Optimizer(.rmsprop, options: ["betas": [0.9, 0.99]])
        }
        expectPythonError("ValueError", "optimizer got an empty parameter list") { _ = try Optimizer(.adam, groups: []) }
    }

    @Test func divisionByZeroIsRaisedWhenStepping() throws {
        let o = try sgd(0.1)
        let scheduler = try StepLR(optimizer: o, stepSize: 0)
        expectPythonError("ZeroDivisionError") { try scheduler.step() }
        let cosine = try CosineAnnealingLR(optimizer: try sgd(0.1), tMax: 0)
        expectPythonError("ZeroDivisionError") { try cosine.step() }
    }
}
