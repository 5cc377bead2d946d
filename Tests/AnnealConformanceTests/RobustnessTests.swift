import Anneal
import AnnealConformance
import AnnealSpec
import Testing

/// Files under `Fixtures/<folder>` (sorted, `*.json`), relative to the repository root.
private func fixtures(_ folder: String) -> [String] {
    let directory = repositoryRoot + "/Fixtures/" + folder
    let files = (try? GoldenReplay.goldenFiles(in: directory)) ?? []
    return files.map { String($0.dropFirst(repositoryRoot.count + 1)) }
}

/// Inputs that once trapped (SIGILL) or gave a silently wrong trace.
@Suite("Robustness")
struct RobustnessTests {
    static let limitFixtures = fixtures("limits")
    static let repeatFixtures = fixtures("malformed").filter { $0.contains("repeat") }

    @Test("The reproducers are there")
    func reproducersArePresent() {
        #expect(Self.limitFixtures.count >= 6, "\(Self.limitFixtures)")
        #expect(Self.repeatFixtures.count >= 4, "\(Self.repeatFixtures)")
    }

    /// Valid for PyTorch, beyond what Anneal represents (an int past 64
    /// bits, an expression integer past 2^53): invalid input naming the place,
    /// never a trap, and never recorded as an exception PyTorch raised.
    @Test("Values beyond Anneal are refused as input", arguments: limitFixtures)
    func beyondAnneal(_ file: String) {
        do {
            let candidate = try TraceFiles.candidate(forSpecAt: repositoryRoot + "/" + file)
            Issue.record("\(file) ran: \(candidate["trace"]?.serialized() ?? "")")
        } catch {
            #expect(error.message.hasPrefix("beyond what Anneal represents: "), "\(error)")
            #expect(error.file?.hasSuffix(file) == true, "\(error)")
            #expect(!error.location.isEmpty, "\(error)")
        }
    }

    @Test("A negative or fractional repeat is invalid input", arguments: repeatFixtures)
    func invalidRepeat(_ file: String) {
        do {
            _ = try TraceFiles.candidate(forSpecAt: repositoryRoot + "/" + file)
            Issue.record("\(file) ran")
        } catch {
            #expect(error.location == "script[0].repeat", "\(error)")
            #expect(error.message.hasPrefix("repeat must be a non-negative integer, got "), "\(error)")
        }
    }

    /// `repeat` repeats the op with its metric (it was ignored: one step).
    @Test("A repeated metric steps that many times", arguments: [0, 1, 5])
    func repeatedMetric(_ count: Int) throws {
        let spec = try TraceSpec(json: try JSONValue.parse("""
            {"format": "anneal-trace/1", "name": "m", "optimizer": {"type": "SGD", "options": {"lr": 1.0}},
             "scheduler": {"type": "ReduceLROnPlateau", "args": {"patience": 0, "factor": 0.5}},
             "script": [{"op": "step", "metric": 1.0}, {"op": "step", "metric": 2.0, "repeat": \(count)}]}
            """))
        let outcome = try TraceRunner.run(spec)
        #expect(outcome.records.count == 2 + count)
        // Every repetition is a bad epoch with patience 0: the rate halves each time.
        let lr = outcome.records.last?["lr"]?[0]?.doubleValue
        #expect(lr == 1.0 / Double(1 << count), "\(outcome.records.map { $0.serialized() })")
    }

    @Test("Epochs keep ints exactly over 64 bits")
    func exactEpochs() throws {
        let big = Epoch(9_007_199_254_740_993)
        #expect(big.json == .int(9_007_199_254_740_993))
        #expect(big != Epoch(9_007_199_254_740_992))
        #expect(big != Epoch(float: 9_007_199_254_740_992))
        #expect(Epoch(float: 9_007_199_254_740_992) < big)
        #expect(!(Epoch(float: .nan) < big) && !(big < Epoch(float: .nan)) && Epoch(float: .nan) != big)
        #expect(Epoch(Int.max) < Epoch(float: 9_223_372_036_854_775_808))
        #expect(try Epoch(Int.max - 1).advanced(by: 1) == Epoch(Int.max))
        #expect(throws: PythonError.self) { try Epoch(Int.max).advanced(by: 1) }
        #expect(throws: PythonError.self) { try Epoch(Int.min).advanced(by: -1) }
        #expect(throws: PythonError.self) { try Epoch(integral: 1e300) }
        #expect(Epoch(Int.max).predecessorValue == Double(Int.max - 1))
    }

    /// Python's int / int is correctly rounded; `Double(a) / Double(b)` is not past 2^53.
    @Test("Int true division rounds once", arguments: [
        // (a, b, Python's a / b); the middle three differ from Double(a) / Double(b).
        (Int.max, 3, 3.0744573456182584e+18), (9_007_199_254_740_993, 3, 3002399751580331.0),
        (-9_007_199_254_740_993, 3, -3002399751580331.0), (3, 9_007_199_254_740_993, 3.330669073875469e-16),
        (4_611_686_018_427_387_905, 2_305_843_009_213_693_955, 2.0), (7, 2, 3.5),
    ])
    func trueDivision(_ a: Int, _ b: Int, _ expected: Double) throws {
        #expect(try Epoch.trueDivide(Epoch(a), Epoch(b)) == expected)
    }
}
