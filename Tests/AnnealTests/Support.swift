import Anneal
import Testing

/// The distance between two doubles in units in the last place (NaN equals
/// NaN, +0 equals −0), as the conformance comparison measures it.
func ulpDistance(_ a: Double, _ b: Double) -> UInt64 {
    if a.isNaN && b.isNaN { return 0 }
    if a.isNaN || b.isNaN { return .max }
    func ordered(_ x: Double) -> Int64 {
        let bits = Int64(bitPattern: x.bitPattern)
        return bits < 0 ? -(bits & Int64.max) : bits
    }
    let (difference, overflow) = ordered(a).subtractingReportingOverflow(ordered(b))
    return overflow ? .max : difference.magnitude
}

/// Expects `got` within `ulps` of `expected`, printing expected, got and the distance.
func expectClose(
    _ got: [Double], _ expected: [Double], ulps: UInt64 = 0, _ context: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(got.count == expected.count, "\(context): \(got.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    for (index, (g, e)) in zip(got, expected).enumerated() {
        let distance = ulpDistance(g, e)
        #expect(
            distance <= ulps, "\(context)[\(index)]: expected \(e), got \(g), distance \(distance) ULP",
            sourceLocation: sourceLocation)
    }
}

/// An SGD optimizer with one group per learning rate.
func sgd(_ lrs: Double..., momentum: Double = 0) throws -> Optimizer {
    try Optimizer(
        .sgd, options: ["lr": .double(lrs[0]), "momentum": .double(momentum)],
        groups: lrs.map { ["lr": .double($0)] })
}

/// The first group's rate after construction and after each of `steps` steps
/// (the optimizer steps first, as a training loop does).
func schedule(_ optimizer: Optimizer, _ scheduler: LRScheduler, steps: Int) throws -> [Double] {
    var rates = [optimizer.paramGroups[0].lr]
    for _ in 0..<steps {
        try optimizer.step()
        try scheduler.step()
        rates.append(optimizer.paramGroups[0].lr)
    }
    return rates
}

/// Expects `body` to throw PyTorch's exception type, and the message when given.
func expectPythonError(
    _ type: String, _ message: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected \(type), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as PythonError {
        #expect(error.type == type, "\(error)", sourceLocation: sourceLocation)
        if let message { #expect(error.message == message, sourceLocation: sourceLocation) }
    } catch {
        Issue.record("expected \(type), got \(error)", sourceLocation: sourceLocation)
    }
}
