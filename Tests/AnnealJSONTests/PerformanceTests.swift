import Testing
import AnnealJSON

/// A golden-sized trace: `records` records shaped like the trace format's
/// (lr, last_lr, last_epoch, momentum, params), full of random doubles.
func makeLargeTrace(records: Int, seed: UInt64 = 42) -> JSONValue {
    var rng = SplitMix64(seed: seed)
    func number() -> JSONValue { .double(Double.random(in: -3...3, using: &rng)) }
    var trace: [JSONValue] = []
    trace.reserveCapacity(records)
    for i in 0..<records {
        trace.append([
            "lr": .array((0..<3).map { _ in .double(Double.random(in: 0..<0.1, using: &rng)) }),
            "last_lr": .array((0..<3).map { _ in number() }),
            "last_epoch": .int(i),
            "momentum": [0.9, 0.9, 0.9],
            "params": .array((0..<3).map { _ in .array((0..<4).map { _ in number() }) }),
        ])
    }
    return [
        "format": "anneal-trace/1",
        "name": "StepLR/step_size=5,gamma=0.1",
        "optimizer": ["type": "SGD", "options": ["lr": 0.1]],
        "script": [["op": "step", "repeat": .int(records)]],
        "trace": .array(trace),
    ]
}

@Suite("Performance")
struct PerformanceTests {
    /// Parses and writes a ~6 MB trace and checks the round trip. The time
    /// bounds here are loose (tests run in debug builds, on shared
    /// machines); they catch accidental quadratic behaviour. For real
    /// numbers, run `swift test -c release --filter AnnealJSONTests.PerformanceTests`
    /// and read the printed timings.
    @Test("a 10,000-record trace round-trips quickly")
    func largeTrace() throws {
        let value = makeLargeTrace(records: 10_000)
        let clock = ContinuousClock()

        var text = ""
        let serializeTime = clock.measure { text = value.serialized(indent: 1) }
        var parsed = JSONValue.null
        let parseTime = try clock.measure { parsed = try JSONValue.parse(text) }
        let bytes = Array(text.utf8)
        let parseBytesTime = try clock.measure { _ = try JSONValue.parse(bytes: bytes) }

        #expect(parsed == value)
        #expect(parsed.serialized(indent: 1) == text)
        print("AnnealJSON: \(bytes.count) bytes; serialize \(serializeTime), parse \(parseTime), parse(bytes:) \(parseBytesTime)")
        #expect(bytes.count > 5_000_000)
        #expect(serializeTime < .seconds(20))
        #expect(parseTime < .seconds(20))
    }
}
