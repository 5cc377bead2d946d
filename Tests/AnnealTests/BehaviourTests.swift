import Anneal
import Testing

@Suite("Behaviour")
struct BehaviourTests {
    @Test func warningsGoToTheSink() throws {
        let o = try sgd(0.1)
        let sink = WarningSink()
        let scheduler = try StepLR(optimizer: o, stepSize: 2, warnings: sink)
        #expect(sink.warnings.isEmpty)
        try scheduler.step()  // before any optimizer.step()
        #expect(sink.warnings.count == 1)
        #expect(sink.warnings[0].message.hasPrefix("Detected call of `lr_scheduler.step()` before `optimizer.step()`"))
        try scheduler.step(epoch: 4)
        try scheduler.step(epoch: 5)
        #expect(sink.warnings.count == 2)
        #expect(sink.entries[1].count == 2, "a repeated warning is counted, not stored twice")
        #expect(sink.warnings[1].message.hasPrefix("The epoch parameter in `scheduler.step()` was not necessary"))
    }

    @Test func noStepOrderWarningAfterTheOptimizerStepped() throws {
        let o = try sgd(0.1)
        let scheduler = try ExponentialLR(optimizer: o, gamma: 0.5)
        try o.step()
        try scheduler.step()
        #expect(scheduler.warnings.warnings.isEmpty)
    }

    @Test func schedulersOnOneOptimizerCompose() throws {
        let o = try sgd(1.0)
        let step = try StepLR(optimizer: o, stepSize: 2, gamma: 0.5)
        let exponential = try ExponentialLR(optimizer: o, gamma: 0.9)
        var rates: [Double] = []
        for _ in 0..<4 {
            try o.step()
            try step.step()
            try exponential.step()
            rates.append(o.paramGroups[0].lr)
        }
        // PyTorch 2.13: both multiply the group's current rate.
        expectClose(rates, [0.9, 0.405, 0.36450000000000005, 0.16402500000000003])
    }

    @Test func chainableSchedulersContinueFromAUserWrite() throws {
        let o = try sgd(0.1)
        let scheduler = try ExponentialLR(optimizer: o, gamma: 0.5)
        try o.step()
        try scheduler.step()
        o.paramGroups[0].lr = 1.0
        try scheduler.step()
        #expect(o.paramGroups[0].lr == 0.5)
        #expect(scheduler.lastLR == [0.5])
        // The closed form ignores the write: it starts from the base rate.
        try scheduler.step(epoch: 3)
        #expect(o.paramGroups[0].lr == 0.1 * 0.125)
    }

    @Test func closuresAndExpressionsAgree() throws {
        let first = try sgd(0.1)
        let byExpression = try LambdaLR(optimizer: first, lrLambda: try ScheduleFunction(expression: "0.95 ** epoch"))
        let second = try sgd(0.1)
        let byClosure = try LambdaLR(
            optimizer: second,
            lrLambda: ScheduleFunction(python: { (epoch: PyValue) throws(PythonError) -> Double in
                try PyFloat.pow(0.95, epoch.doubleValue)
            }))
        expectClose(try schedule(first, byExpression, steps: 50), try schedule(second, byClosure, steps: 50))
        #expect(byExpression.lrLambdaSources == ["0.95 ** epoch"])
        #expect(byClosure.lrLambdaSources == [nil])
    }

    /// A lambda without its variable is computed once; one that raises
    /// raises at every call, and both keep their source for state dicts.
    @Test func constantLambdas() throws {
        let first = try sgd(0.1)
        let constant = try MultiplicativeLR(optimizer: first, lrLambda: try ScheduleFunction(expression: "0.9 * 1"))
        let second = try sgd(0.1)
        let closure = try MultiplicativeLR(optimizer: second, lrLambda: ScheduleFunction({ _ in 0.9 }))
        #expect(try schedule(first, constant, steps: 20) == schedule(second, closure, steps: 20))
        #expect(constant.stateDict()["lr_lambdas"] == [nil])
        #expect(constant.lrLambdaSources == ["0.9 * 1"])

        let raising = try MultiplicativeLR(optimizer: try sgd(0.1), lrLambda: try ScheduleFunction(expression: "1 / 0"))
        expectPythonError("ZeroDivisionError") { try raising.step() }
        expectPythonError("ZeroDivisionError") { try raising.step() }
    }

    @Test func floatEpochsKeepPythonsType() throws {
        let o = try sgd(0.1)
        let scheduler = try StepLR(optimizer: o, stepSize: 2, gamma: 0.1)
        try scheduler.step(epoch: 2.5)
        #expect(scheduler.lastEpoch.isFloat)
        #expect(scheduler.stateDict()["last_epoch"] == .double(2.5))
        try scheduler.step()
        #expect(scheduler.lastEpoch == 3.5)
        #expect(scheduler.lastEpoch.isFloat)
    }

    @Test func cyclicLRCyclesBeta1OfAdam() throws {
        let o = try Optimizer(.adam, options: ["lr": 0.001])
        let scheduler = try CyclicLR(optimizer: o, baseLR: 0.001, maxLR: 0.01, stepSizeUp: 2)
        #expect(o.paramGroups[0].betas?.beta1 == 0.9)
        try o.step()
        try scheduler.step()
        #expect(o.paramGroups[0].betas?.beta1 == 0.8500000000000001)  // PyTorch 2.13 prints (0.8500000000000001, 0.999)
        #expect(o.paramGroups[0].betas?.beta2 == 0.999)
    }
}
