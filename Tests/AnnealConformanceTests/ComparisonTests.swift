import AnnealJSON
import Testing

@testable import AnnealConformance
import AnnealSpec

// Tests of the trace comparator (Sources/AnnealConformance/Comparison): the
// rules of golden-format.md, "Comparing a candidate with a golden".

/// All the comparator's suites, so that `swift test --filter ComparisonTests`
/// runs them together.
enum ComparisonTests {}

// MARK: - Helpers

/// A golden file object: the given script and trace, an optional tolerance
/// and construction error.
private func makeGolden(
    script: JSONValue = [],
    trace: [JSONValue],
    tolerance: JSONValue? = nil,
    error: JSONValue? = nil
) -> JSONValue {
    var object: JSONObject = [
        "format": "anneal-trace/1",
        "name": "test",
        "optimizer": ["type": "SGD", "options": ["lr": 0.1]],
        "script": script,
        "source": ["kind": "pytorch", "version": "2.13.0"],
    ]
    if let tolerance { object["tolerance"] = tolerance }
    object["trace"] = .array(trace)
    if let error { object["error"] = error }
    return .object(object)
}

/// A candidate file object (tolerance and script are the golden's business).
private func makeCandidate(trace: [JSONValue], error: JSONValue? = nil) -> JSONValue {
    var object: JSONObject = ["format": "anneal-trace/1", "name": "test", "source": ["kind": "anneal", "version": "0"]]
    object["trace"] = .array(trace)
    if let error { object["error"] = error }
    return .object(object)
}

/// Compares two one-record traces whose record 0 is `{"v": expected}` and
/// `{"v": got}` under `tolerance`.
private func compareOne(_ expected: JSONValue, _ got: JSONValue, tolerance: JSONValue? = nil) throws -> ComparisonResult {
    try TraceComparison.compare(
        golden: makeGolden(trace: [["v": expected]], tolerance: tolerance),
        candidate: makeCandidate(trace: [["v": got]]))
}

/// The report, for failure messages (expected, got and distance).
private func report(_ result: ComparisonResult) -> Comment {
    Comment(rawValue: renderDiffReport(result, goldenName: "test", goldenPath: "golden.json", candidatePath: "candidate.json"))
}

/// The package root, from this file's path (Tests/AnnealConformanceTests/ComparisonTests.swift).
private let packageRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// A small realistic trace: StepLR(step_size=2, gamma=0.1) over SGD.
private let stepScript: JSONValue = [["op": "step", "repeat": 3], ["op": "set_lr", "group": 0, "value": 0.5]]
private let decayed = 0.1 * 0.1  // 0.010000000000000002
private let stepTrace: [JSONValue] = [
    ["lr": [0.1], "last_lr": [0.1], "last_epoch": 0, "momentum": [0]],
    ["lr": [0.1], "last_lr": [0.1], "last_epoch": 1, "momentum": [0]],
    ["lr": [.double(decayed)], "last_lr": [.double(decayed)], "last_epoch": 2, "momentum": [0]],
    ["lr": [.double(decayed)], "last_lr": [.double(decayed)], "last_epoch": 3, "momentum": [0]],
    ["lr": [0.5], "last_lr": [.double(decayed)], "last_epoch": 3, "momentum": [0]],
]

/// Replaces the value at `path` (keys and indices) inside `value`.
private func replacing(_ value: JSONValue, at path: [Any], with newValue: JSONValue) -> JSONValue {
    guard let head = path.first else { return newValue }
    let rest = Array(path.dropFirst())
    switch (value, head) {
    case (.array(var a), let i as Int):
        a[i] = replacing(a[i], at: rest, with: newValue)
        return .array(a)
    case (.object(var o), let k as String):
        o[k] = replacing(o[k] ?? .null, at: rest, with: newValue)
        return .object(o)
    default:
        fatalError("bad path")
    }
}

// MARK: - ULP

extension ComparisonTests {
    struct ULPTests {
        @Test(arguments: [
            (1.0, 1.0, UInt64(0)),
            (1.0, Double(1.0).nextUp, 1),
            (1.0, Double(1.0).nextDown, 1),
            (Double(1.0).nextDown, Double(1.0).nextUp, 2),
            (0.0, -0.0, 0),
            (0.0, Double.leastNonzeroMagnitude, 1),
            (-Double.leastNonzeroMagnitude, Double.leastNonzeroMagnitude, 2),
            (-0.0, Double.leastNonzeroMagnitude, 1),
            (Double.nan, Double.nan, 0),
            (Double.nan, -Double.nan, 0),
            (Double.nan, 1.0, ULP.unbounded),
            (Double.infinity, Double.infinity, 0),
            (-Double.infinity, -Double.infinity, 0),
            (Double.infinity, Double.greatestFiniteMagnitude, ULP.unbounded),
            (Double.infinity, -Double.infinity, ULP.unbounded),
            (-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude, 0xFFDF_FFFF_FFFF_FFFE),
        ] as [(Double, Double, UInt64)])
        func doubleDistance(a: Double, b: Double, expected: UInt64) {
            #expect(ULP.distance(a, b) == expected, "a=\(pythonFloatRepr(a)) b=\(pythonFloatRepr(b))")
            #expect(ULP.distance(b, a) == expected, "symmetric")
        }

        @Test func doubleDistanceAcrossBinades() {
            // 2.0.nextDown → 2.0 is one step, though the exponent changes.
            #expect(ULP.distance(Double(2.0).nextDown, 2.0) == 1)
            var x = 0.25
            for _ in 0..<10 { x = x.nextUp }
            #expect(ULP.distance(0.25, x) == 10)
        }

        @Test func floatDistance() {
            let x: Float = 0.5
            #expect(ULP.distance(x, x.nextUp) == 1)
            #expect(ULP.distance(x.nextDown, x.nextUp) == 2)
            #expect(ULP.distance(Float(0), -Float(0)) == 0)
            #expect(ULP.distance(-Float.leastNonzeroMagnitude, Float.leastNonzeroMagnitude) == 2)
            #expect(ULP.distance(Float.nan, Float.nan) == 0)
            #expect(ULP.distance(Float.infinity, Float.greatestFiniteMagnitude) == ULP.unbounded)
        }
    }
}

// MARK: - Tolerance

extension ComparisonTests {
    struct ToleranceTests {
        @Test(arguments: [
            (nil, Tolerance.ulps(0)),
            (JSONValue.null, .ulps(0)),
            (["ulps": 0], .ulps(0)),
            (["ulps": 4], .ulps(4)),
            (["abs": 1e-12], .absolute(1e-12)),
            (["abs": 0], .absolute(0)),
        ] as [(JSONValue?, Tolerance)])
        func valid(json: JSONValue?, expected: Tolerance) throws {
            #expect(try Tolerance(json: json) == expected)
        }

        @Test(arguments: [
            JSONValue(3), "0 ulps", [1], [:], ["ulps": -1], ["ulps": 1.5], ["ulps": 2.0], ["ulps": true],
            ["abs": -0.1], ["abs": .double(.nan)], ["abs": "0.1"], ["ulps": 1, "abs": 0.1], ["ulp": 1],
        ] as [JSONValue])
        func invalid(json: JSONValue) {
            let error = #expect(throws: ComparisonInputError.self) { try Tolerance(json: json) }
            #expect(error?.side == .golden)
            #expect(error?.description.contains(#"tolerance must be {"ulps": N} or {"abs": X}"#) == true)
        }

        @Test func invalidToleranceFailsComparison() {
            let golden = makeGolden(trace: [["v": 1.0]], tolerance: ["ulps": "two"])
            #expect(throws: ComparisonInputError.self) {
                try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: [["v": 1.0]]))
            }
        }
    }
}

// MARK: - Numbers

extension ComparisonTests {
    struct NumberComparisonTests {
        @Test func identicalTracesMatch() throws {
            let golden = makeGolden(script: stepScript, trace: stepTrace)
            let result = try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: stepTrace))
            #expect(result.matches, report(result))
            #expect(result.divergences.isEmpty)
            #expect(result.first == nil)
            #expect(result.recordCount == (5, 5))
            // lr, last_lr, last_epoch, momentum in each of 5 records.
            #expect(result.comparedValueCount == 20)
            #expect(result.maxULPDistance == 0)
            #expect(result.maxAbsoluteDifference == 0)
        }

        @Test func oneULPIsCaughtWithRecordPathAndOp() throws {
            let golden = makeGolden(script: stepScript, trace: stepTrace)
            let perturbed = decayed.nextUp
            var trace = stepTrace
            trace[3] = replacing(trace[3], at: ["lr", 0], with: .double(perturbed))
            let result = try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: trace))
            #expect(!result.matches)
            #expect(result.differingValueCount == 1, report(result))
            let first = try #require(result.first, report(result))
            #expect(first.recordIndex == 3)
            #expect(first.op == "step")
            #expect(first.path == "lr[0]")
            #expect(first.kind == .number)
            #expect(first.expected == .double(decayed))
            #expect(first.got == .double(perturbed))
            #expect(first.ulpDistance == 1, report(result))
            #expect(first.absoluteDifference == perturbed - decayed)
            #expect(first.message == "values differ by 1 ULP")
            #expect(result.maxULPDistance == 1)
            #expect(result.differingRecordCount == 1)
        }

        @Test(arguments: [0, 1, 2, 3] as [UInt64])
        func ulpsTwoToleranceBoundary(steps: UInt64) throws {
            // {"ulps": 2} accepts 0, 1, 2 ULP and rejects 3.
            var got = 0.3
            for _ in 0..<steps { got = got.nextUp }
            let result = try compareOne(0.3, .double(got), tolerance: ["ulps": 2])
            #expect(result.matches == (steps <= 2), report(result))
            #expect(result.maxULPDistance == steps)
            if steps > 2 {
                #expect(result.first?.ulpDistance == steps)
                #expect(result.first?.message == "values differ by 3 ULP")
            }
        }

        @Test func ulpsToleranceAppliesBelowOnly() throws {
            // Same distance with the default tolerance: a divergence.
            let result = try compareOne(0.3, .double(Double(0.3).nextUp.nextUp))
            #expect(!result.matches)
            #expect(result.first?.ulpDistance == 2)
        }

        @Test(arguments: [
            (0.1, 0.1 + 1e-13, true),
            (0.1, 0.1 + 0.9e-12, true),
            (0.1, 0.1 + 1.1e-12, false),
            (0.1, 0.1 - 1.1e-12, false),
            (1e6, 1e6 + 1e-9, false),  // abs, not relative: 1e-9 > 1e-12
        ])
        func absoluteTolerance(expected: Double, got: Double, matches: Bool) throws {
            let result = try compareOne(.double(expected), .double(got), tolerance: ["abs": 1e-12])
            #expect(result.matches == matches, report(result))
            #expect(result.maxAbsoluteDifference == Swift.abs(expected - got))
            if !matches {
                let first = try #require(result.first)
                #expect(first.absoluteDifference == Swift.abs(expected - got))
                #expect(first.message.hasPrefix("values differ by "))
            }
        }

        @Test func absoluteToleranceExactBoundary() throws {
            // |a - b| == X is accepted ("must not exceed").
            let a = 0.5, b = 0.75
            #expect(try compareOne(.double(a), .double(b), tolerance: ["abs": 0.25]).matches)
            #expect(try !compareOne(.double(a), .double(b), tolerance: ["abs": .double(Double(0.25).nextDown)]).matches)
        }

        @Test func nanEqualsNaN() throws {
            let result = try compareOne(.double(.nan), .double(-.nan))
            #expect(result.matches, report(result))
            #expect(result.maxULPDistance == 0)
            #expect(result.maxAbsoluteDifference == 0)
        }

        @Test(arguments: [(JSONValue.double(.nan), JSONValue.double(1.0)), (1.0, .double(.nan)), (.double(.nan), 0)])
        func nanDiffersFromANumberUnderAnyTolerance(expected: JSONValue, got: JSONValue) throws {
            for tolerance: JSONValue in [["ulps": 0], ["ulps": 1_000_000], ["abs": 1e300]] {
                let result = try compareOne(expected, got, tolerance: tolerance)
                #expect(!result.matches, report(result))
                #expect(result.first?.ulpDistance == ULP.unbounded)
            }
        }

        @Test func positiveZeroEqualsNegativeZero() throws {
            #expect(try compareOne(0.0, .double(-0.0)).matches)
            #expect(try compareOne(.double(-0.0), 0.0).matches)
            #expect(try compareOne(.double(-0.0), 0).matches)
        }

        @Test func infinities() throws {
            #expect(try compareOne(.double(.infinity), .double(.infinity)).matches)
            #expect(try compareOne(.double(-.infinity), .double(-.infinity)).matches)
            #expect(try compareOne(.double(-.infinity), .double(.infinity)).first?.ulpDistance == ULP.unbounded)
            // Raw ordering puts infinity 1 ULP above the largest finite double;
            // the format says it equals only itself, whatever the tolerance.
            for tolerance: JSONValue in [["ulps": 0], ["ulps": 1_000], ["abs": 1e308]] {
                let result = try compareOne(.double(.infinity), .double(.greatestFiniteMagnitude), tolerance: tolerance)
                #expect(!result.matches, report(result))
                let first = try #require(result.first)
                #expect(first.ulpDistance == ULP.unbounded)
                #expect(first.absoluteDifference == .infinity)
                #expect(first.message == "an infinity equals only the same infinity")
            }
        }

        @Test(arguments: [(JSONValue(0), JSONValue(0.0)), (0.0, 0), (0, .double(-0.0)), (1, 1.0), (3, 3.0), (-2, -2.0)])
        func intAndDoubleCompareNumerically(expected: JSONValue, got: JSONValue) throws {
            let result = try compareOne(expected, got)
            #expect(result.matches, report(result))
            #expect(result.comparedValueCount == 1)
        }

        @Test func intAgainstNearbyDoubleIsOneULP() throws {
            let result = try compareOne(1, .double(Double(1.0).nextUp))
            #expect(result.first?.ulpDistance == 1, report(result))
            #expect(try compareOne(1, .double(Double(1.0).nextUp), tolerance: ["ulps": 1]).matches)
        }

        @Test func integersCompareExactlyWhateverTheTolerance() throws {
            for tolerance: JSONValue? in [nil, ["ulps": 1_000_000], ["abs": 10]] {
                let result = try compareOne(1, 2, tolerance: tolerance)
                #expect(!result.matches, report(result))
                let first = try #require(result.first)
                #expect(first.kind == .value)
                #expect(first.expected == 1)
                #expect(first.got == 2)
                #expect(first.ulpDistance == nil)
                #expect(first.absoluteDifference == 1)
            }
            #expect(try compareOne(7, 7).matches)
            // The difference of extreme integers does not overflow.
            let extremes = try compareOne(.int(Int.max), .int(Int.min))
            #expect(extremes.first?.absoluteDifference == 0x1p64)
        }

        @Test(arguments: [(JSONValue(true), JSONValue(1)), (1, true), (false, 0), (0.0, false), (true, 1.0)])
        func booleansAreNotNumbers(expected: JSONValue, got: JSONValue) throws {
            let result = try compareOne(expected, got)
            #expect(!result.matches)
            let first = try #require(result.first)
            #expect(first.kind == .type)
            #expect(first.message.hasPrefix("type differs: expected \(expected.kindName), got \(got.kindName)"))
        }

        @Test func otherExactValues() throws {
            #expect(try compareOne("a", "a").matches)
            #expect(try compareOne(nil, nil).matches)
            #expect(try compareOne(true, true).matches)
            #expect(try compareOne("a", "b").first?.kind == .value)
            #expect(try compareOne(true, false).first?.kind == .value)
            let typeDiff = try #require(try compareOne(1.5, "1.5").first)
            #expect(typeDiff.kind == .type)
            #expect(typeDiff.message == "type differs: expected number, got string")
            #expect(try compareOne(nil, 0).first?.kind == .type)
        }
    }
}

// MARK: - float32 params

extension ComparisonTests {
    struct Float32ParamsTests {
        private func paramsRecord(_ values: [Double]) -> JSONValue {
            ["lr": [0.1], "params": [[.array(values.map(JSONValue.double))], [[0.0]]]]
        }

        @Test func oneFloat32ULPIsDistanceOne() throws {
            let p = Float(0.3)
            let golden = makeGolden(script: [["op": "optimizer_step"]], trace: [paramsRecord([1.5, -2.25]), paramsRecord([1.5, Double(p)])])
            let candidate = makeCandidate(trace: [paramsRecord([1.5, -2.25]), paramsRecord([1.5, Double(p.nextUp)])])
            let result = try TraceComparison.compare(golden: golden, candidate: candidate)
            #expect(result.differingValueCount == 1, report(result))
            let first = try #require(result.first)
            #expect(first.recordIndex == 1)
            #expect(first.op == "optimizer_step")
            #expect(first.path == "params[0][0][1]")
            #expect(first.ulpDistance == 1, report(result))
            #expect(first.isFloat32)
            #expect(first.message == "values differ by 1 float32 ULP")
            #expect(result.maxULPDistance == 1)
            // One float32 step is 2^29 double steps: outside params it counts so.
            #expect(ULP.distance(Double(p), Double(p.nextUp)) == 1 << 29)
        }

        @Test func float32ToleranceCountsFloat32ULPs() throws {
            let p = Float(-7.125)
            let golden = makeGolden(trace: [paramsRecord([Double(p)])], tolerance: ["ulps": 2])
            #expect(try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: [paramsRecord([Double(p.nextUp.nextUp)])])).matches)
            let three = try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: [paramsRecord([Double(p.nextUp.nextUp.nextUp)])]))
            #expect(three.first?.ulpDistance == 3)
        }

        @Test func nonFloat32ValueFallsBackToDoubleULPs() throws {
            // 0.1 is not a float32; a writer that forgot to round is 1 double ULP off.
            let golden = makeGolden(trace: [paramsRecord([0.1])])
            let result = try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: [paramsRecord([Double(0.1).nextUp])]))
            let first = try #require(result.first, report(result))
            #expect(first.ulpDistance == 1)
            #expect(!first.isFloat32)
            #expect(first.message == "values differ by 1 ULP")
        }

        @Test func float32RuleAppliesOnlyUnderParams() throws {
            let p = Float(0.3)
            let golden = makeGolden(trace: [["lr": [.double(Double(p))], "other": ["params": [.double(Double(p))]]]])
            let candidate = makeCandidate(trace: [["lr": [.double(Double(p.nextUp))], "other": ["params": [.double(Double(p.nextUp))]]]])
            let result = try TraceComparison.compare(golden: golden, candidate: candidate)
            #expect(result.divergences.map(\.path) == ["lr[0]", "other.params[0]"])
            #expect(result.divergences.allSatisfy { $0.ulpDistance == 1 << 29 && !$0.isFloat32 })
        }

        @Test func float32SpecialValues() throws {
            let golden = makeGolden(trace: [paramsRecord([.nan, 0.0, .infinity])])
            #expect(try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: [paramsRecord([.nan, -0.0, .infinity])])).matches)
            let inf = try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: [paramsRecord([.nan, 0.0, Double(Float.greatestFiniteMagnitude)])]))
            #expect(inf.first?.ulpDistance == ULP.unbounded)
        }
    }
}

// MARK: - Structure

extension ComparisonTests {
    struct StructureComparisonTests {
        @Test func recordCountMismatchStillComparesPrefix() throws {
            let golden = makeGolden(script: stepScript, trace: stepTrace)
            var trace = Array(stepTrace.prefix(3))
            trace[1] = replacing(trace[1], at: ["last_epoch"], with: 2)
            let result = try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: trace))
            #expect(result.recordCount == (5, 3))
            #expect(result.differingValueCount == 2, report(result))
            let first = try #require(result.first)
            #expect(first.recordIndex == 1)
            #expect(first.path == "last_epoch")
            let count = result.divergences[1]
            #expect(count.kind == .recordCount)
            #expect(count.recordIndex == -1)
            #expect(count.path == "trace")
            #expect(count.message == "record count differs: expected 5, got 3")
            #expect(count.op == "step")  // record 3, the first the candidate lacks
            #expect(count.expected == 5 && count.got == 3)
        }

        @Test func extraRecordsAreAMismatch() throws {
            let golden = makeGolden(script: stepScript, trace: stepTrace)
            let result = try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: stepTrace + [stepTrace[4]]))
            #expect(!result.matches)
            #expect(result.differingValueCount == 1)
            #expect(result.first?.message == "record count differs: expected 5, got 6")
            #expect(result.first?.op == nil)  // the golden's script has no seventh record
        }

        @Test func missingKey() throws {
            let result = try TraceComparison.compare(
                golden: makeGolden(trace: [["lr": [0.1], "last_epoch": 0]]),
                candidate: makeCandidate(trace: [["lr": [0.1]]]))
            #expect(result.differingValueCount == 1)
            let first = try #require(result.first)
            #expect(first.kind == .missingKey)
            #expect(first.path == "last_epoch")
            #expect(first.expected == 0)
            #expect(first.got == nil)
            #expect(first.message == #"missing key "last_epoch""#)
            #expect(first.op == "construction")
        }

        @Test func unexpectedKey() throws {
            let result = try TraceComparison.compare(
                golden: makeGolden(trace: [["lr": [0.1], "state_dict": ["a": 1]]]),
                candidate: makeCandidate(trace: [["lr": [0.1], "state_dict": ["a": 1, "b": [2]]]]))
            #expect(result.differingValueCount == 1)
            let first = try #require(result.first)
            #expect(first.kind == .unexpectedKey)
            #expect(first.path == "state_dict.b")
            #expect(first.expected == nil)
            #expect(first.got == [2])
            #expect(first.message == #"unexpected key "b""#)
        }

        @Test func keyOrderDoesNotMatter() throws {
            let result = try TraceComparison.compare(
                golden: makeGolden(trace: [["lr": [0.1], "last_epoch": 0]]),
                candidate: makeCandidate(trace: [["last_epoch": 0, "lr": [0.1]]]))
            #expect(result.matches)
        }

        @Test func arrayLengthAndPrefix() throws {
            let result = try compareOne([1.0, 2.0, 3.0], [1.0, 2.5])
            #expect(result.divergences.map(\.kind) == [.length, .number])
            #expect(result.divergences.map(\.path) == ["v", "v[1]"])
            #expect(result.first?.message == "array length differs: expected 3, got 2")
        }

        @Test func nestedPaths() throws {
            let sd: JSONValue = ["_schedulers": [["base_lrs": [0.1, 0.2, 0.3]], ["milestones": ["30": 1]]]]
            var changed = replacing(sd, at: ["_schedulers", 0, "base_lrs", 2], with: .double(Double(0.3).nextUp))
            changed = replacing(changed, at: ["_schedulers", 1, "milestones", "30"], with: 2)
            let result = try TraceComparison.compare(
                golden: makeGolden(trace: [["state_dict": sd]]),
                candidate: makeCandidate(trace: [["state_dict": changed]]))
            #expect(result.divergences.map(\.path) == [
                "state_dict._schedulers[0].base_lrs[2]",
                #"state_dict._schedulers[1].milestones["30"]"#,
            ])
        }

        @Test func lowLevelCompareValues() {
            var result = ComparisonResult()
            TraceComparison.compareValues(
                [0.5, ["x": 1]], [.double(Double(0.5).nextUp), ["x": 1, "y": nil]],
                tolerance: .ulps(0), path: "thing", recordIndex: 4, op: "step", into: &result)
            #expect(result.divergences.map(\.path) == ["thing[0]", "thing[1].y"])
            #expect(result.divergences.allSatisfy { $0.recordIndex == 4 && $0.op == "step" })
            #expect(result.comparedValueCount == 2)

            var float32 = ComparisonResult()
            TraceComparison.compareValues(
                .double(Double(Float(0.5))), .double(Double(Float(0.5).nextUp)),
                tolerance: .ulps(0), float32: true, into: &float32)
            #expect(float32.first?.ulpDistance == 1)
            #expect(float32.first?.path == "")

            var missing = ComparisonResult()
            TraceComparison.compareValues(1, nil, tolerance: .exact, path: "k", into: &missing)
            #expect(missing.first?.kind == .missingKey)
        }

        @Test func divergenceListIsCappedButCounted() throws {
            let n = ComparisonResult.storedDivergenceLimit + 234
            let expected = JSONValue.array((0..<n).map { .double(Double($0)) })
            let got = JSONValue.array((0..<n).map { .double(Double($0) + 0.5) })
            let result = try compareOne(expected, got)
            #expect(result.divergences.count == ComparisonResult.storedDivergenceLimit)
            #expect(result.differingValueCount == n)
            #expect(result.comparedValueCount == n)
        }

        @Test func inputErrors() {
            let good = makeGolden(trace: [])
            let noTrace: JSONValue = ["format": "anneal-trace/1", "script": []]
            let badTrace: JSONValue = ["trace": ["lr": [0.1]]]
            for (golden, candidate, side) in [
                (noTrace, good, ComparisonInputError.Side.golden),
                (good, noTrace, .candidate),
                (badTrace, good, .golden),
                (JSONValue.array([]), good, .golden),
                (good, "x", .candidate),
            ] as [(JSONValue, JSONValue, ComparisonInputError.Side)] {
                let error = #expect(throws: ComparisonInputError.self) {
                    try TraceComparison.compare(golden: golden, candidate: candidate)
                }
                #expect(error?.side == side)
            }
        }
    }
}

// MARK: - Errors

extension ComparisonTests {
    struct ErrorComparisonTests {
        private let script: JSONValue = [["op": "step"], ["op": "step"]]
        private let first: JSONValue = ["lr": [0.1], "last_epoch": 0]

        @Test func errorRecordsMatchOnTypeOnly() throws {
            let golden = makeGolden(script: script, trace: [first, ["error": ["type": "ValueError", "message": "bad step"]]])
            let candidate = makeCandidate(trace: [first, ["error": ["type": "ValueError", "message": "another wording"]]])
            let result = try TraceComparison.compare(golden: golden, candidate: candidate)
            #expect(result.matches, report(result))
            // The message difference is reported, not counted.
            #expect(result.notes.count == 1)
            #expect(result.notes.first?.recordIndex == 1)
            #expect(result.notes.first?.path == "error")
            #expect(renderDiffReport(result, goldenName: "g", goldenPath: "g.json", candidatePath: nil).contains("another wording"))
        }

        @Test func errorTypeDiffers() throws {
            let golden = makeGolden(script: script, trace: [first, ["error": ["type": "ValueError", "message": "m"]]])
            let candidate = makeCandidate(trace: [first, ["error": ["type": "TypeError", "message": "m"]]])
            let result = try TraceComparison.compare(golden: golden, candidate: candidate)
            #expect(result.differingValueCount == 1)
            let d = try #require(result.first)
            #expect(d.kind == .errorType)
            #expect(d.recordIndex == 1)
            #expect(d.op == "step")
            #expect(d.path == "error")
            #expect(d.message == "error type differs: expected ValueError, got TypeError")
        }

        @Test func errorRecordAgainstNormalRecord() throws {
            let golden = makeGolden(script: script, trace: [first, ["error": ["type": "ValueError", "message": "m"]]])
            let candidate = makeCandidate(trace: [first, ["lr": [0.1], "last_epoch": 1], ["lr": [0.1], "last_epoch": 2]])
            let result = try TraceComparison.compare(golden: golden, candidate: candidate)
            #expect(result.divergences.map(\.kind) == [.missingKey, .unexpectedKey, .unexpectedKey, .recordCount])
            #expect(result.first?.path == "error")
        }

        @Test func constructionErrorMatchesOnType() throws {
            let golden = makeGolden(trace: [], error: ["type": "ValueError", "message": "Expected positive integer T_0, but got 0"])
            let same = makeCandidate(trace: [], error: ["type": "ValueError", "message": "T_0 must be positive"])
            let result = try TraceComparison.compare(golden: golden, candidate: same)
            #expect(result.matches, report(result))
            #expect(result.notes.count == 1)
            #expect(result.recordCount == (0, 0))

            let other = makeCandidate(trace: [], error: ["type": "TypeError", "message": "x"])
            let mismatch = try TraceComparison.compare(golden: golden, candidate: other)
            let d = try #require(mismatch.first)
            #expect(d.kind == .errorType)
            #expect(d.recordIndex == -1)
            #expect(d.path == "error")
            #expect(d.op == "construction")
        }

        @Test func constructionErrorOnOneSide() throws {
            let error: JSONValue = ["type": "ValueError", "message": "m"]
            let golden = makeGolden(trace: [], error: error)
            let noError = makeCandidate(trace: [first])
            let result = try TraceComparison.compare(golden: golden, candidate: noError)
            #expect(result.divergences.map(\.kind) == [.missingKey, .recordCount], report(result))
            #expect(result.first?.path == "error")
            #expect(result.first?.recordIndex == -1)

            let reverse = try TraceComparison.compare(golden: makeGolden(trace: [first]), candidate: makeCandidate(trace: [], error: error))
            #expect(reverse.divergences.map(\.kind) == [.unexpectedKey, .recordCount])
            #expect(reverse.first?.message.contains("ValueError: m") == true)
        }
    }
}

// MARK: - Op names

extension ComparisonTests {
    struct OpNameTests {
        @Test func opsExpandRepeatAndMetrics() {
            let script: JSONValue = [
                ["op": "step", "repeat": 3],
                ["op": "set_lr", "group": 0, "value": 0.5],
                ["op": "scheduler_step", "metrics": [1.0, .double(.nan), 0.5]],
                ["op": "step", "metric": 2.0],
                ["op": "state_dict"],
                ["op": "reload"],
            ]
            #expect(TraceComparison.recordOps(script: script) == [
                "construction", "step", "step", "step", "set_lr",
                "scheduler_step", "scheduler_step", "scheduler_step", "step", "state_dict", "reload",
            ])
            #expect(TraceComparison.recordOps(script: script, limit: 3) == ["construction", "step", "step"])
            #expect(TraceComparison.recordOps(script: nil) == ["construction"])
            #expect(TraceComparison.recordOps(script: [["op": "step", "repeat": 1_000_000_000_000]], limit: 4).count == 4)
        }

        @Test func divergenceNamesTheExpandedOp() throws {
            let script: JSONValue = [["op": "step", "repeat": 2], ["op": "step", "metrics": [1.0, 2.0]], ["op": "rebuild"]]
            let trace: [JSONValue] = (0..<6).map { ["last_epoch": .int($0)] }
            let golden = makeGolden(script: script, trace: trace)
            for (index, op) in ["construction", "step", "step", "step", "step", "rebuild"].enumerated() {
                var changed = trace
                changed[index] = ["last_epoch": .int(100 + index)]
                let result = try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: changed))
                #expect(result.first?.recordIndex == index)
                #expect(result.first?.op == op)
            }
        }
    }
}

// MARK: - Reports

extension ComparisonTests {
    struct DiffReportTests {
        @Test func matchLine() throws {
            let golden = makeGolden(script: stepScript, trace: stepTrace)
            let result = try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: stepTrace))
            let text = renderDiffReport(result, goldenName: "StepLR/step_size=2", goldenPath: "g.json", candidatePath: "c.json")
            #expect(text == "match: StepLR/step_size=2 (5 records, 20 values, max 0 ULP)\n")
        }

        @Test func mismatchReportNamesFirstDivergence() throws {
            let golden = makeGolden(script: stepScript, trace: stepTrace)
            var trace = stepTrace
            trace[3] = replacing(trace[3], at: ["lr", 0], with: .double(decayed.nextUp))
            trace[4] = replacing(trace[4], at: ["last_epoch"], with: 4)
            let result = try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: trace))
            let text = renderDiffReport(result, goldenName: "StepLR/step_size=2", goldenPath: "g.json", candidatePath: "c.json")
            let expected = """
                mismatch: StepLR/step_size=2
                  first divergence at record 3 (op "step"), key lr[0]
                    expected 0.010000000000000002
                    got      0.010000000000000004
                    distance 1 ULP
                  2 values differ in 2 records; largest distance 1 ULP (tolerance 0 ULP)
                  further divergences:
                    record 4 (op "set_lr"), last_epoch: integers differ (integers compare exactly); expected 3, got 4
                  golden    g.json
                  candidate c.json

                """
            #expect(text == expected)
        }

        @Test func reportForRecordCountAndMissingKey() throws {
            let golden = makeGolden(script: stepScript, trace: stepTrace)
            var trace = Array(stepTrace.prefix(2))
            trace[0] = .object({ var o = trace[0].objectValue!; o["momentum"] = nil; return o }())
            let result = try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: trace))
            let text = renderDiffReport(result, goldenName: "n", goldenPath: "g.json", candidatePath: nil)
            #expect(text.contains("""
                  first divergence at record 0 (op "construction"), key momentum
                    missing key "momentum"
                    expected [0]
                    got      (missing)
                """))
            #expect(text.contains("top level: record count differs: expected 5, got 2"))
            #expect(text.contains("(record count: expected 5, got 2)"))
            #expect(!text.contains("candidate "))
        }

        @Test func reportForAbsoluteToleranceAndUnbounded() throws {
            let result = try compareOne([0.1, .double(.infinity)], [0.2, 1e308], tolerance: ["abs": 1e-3])
            let text = renderDiffReport(result, goldenName: "doc", goldenPath: "g.json", candidatePath: "c.json")
            #expect(text.contains("distance 4503599627370496 ULP, difference 0.1"), Comment(rawValue: text))
            #expect(text.contains("largest difference Infinity (tolerance abs 0.001), largest distance unbounded"), Comment(rawValue: text))
        }

        @Test func reportListsAtMostTenFurther() throws {
            let result = try compareOne(.array((0..<20).map { .int($0) }), .array((0..<20).map { .int($0 + 1) }))
            let text = renderDiffReport(result, goldenName: "n", goldenPath: "g", candidatePath: nil)
            #expect(text.contains("20 values differ in 1 record;"))
            #expect(text.contains("    ... and 9 more"))
        }

        @Test func jsonReport() throws {
            let golden = makeGolden(script: stepScript, trace: stepTrace)
            var trace = stepTrace
            trace[3] = replacing(trace[3], at: ["lr", 0], with: .double(decayed.nextUp))
            let result = try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: trace))
            let json = diffJSON(result, goldenName: "StepLR", goldenPath: "g.json", candidatePath: nil)
            #expect(json["match"] == false)
            #expect(json["name"] == "StepLR")
            #expect(json["golden"] == "g.json")
            #expect(json["candidate"] == .null)
            #expect(json["records"] == ["expected": 5, "got": 5])
            #expect(json["differing_values"] == 1)
            #expect(json["compared_values"] == 20)
            #expect(json["max_ulp"] == 1)
            #expect(json["max_abs"] == .double(decayed.nextUp - decayed))
            let first = try #require(json["first_divergence"])
            #expect(first["record"] == 3)
            #expect(first["op"] == "step")
            #expect(first["path"] == "lr[0]")
            #expect(first["expected"] == .double(decayed))
            #expect(first["got"] == .double(decayed.nextUp))
            #expect(first["ulp"] == 1)
            #expect(first["message"] == "values differ by 1 ULP")
            #expect(json["divergences"]?.arrayValue?.count == 1)
            // It is valid JSON text that reads back the same.
            #expect(try JSONValue.parse(json.serialized()) == json)

            let matching = try TraceComparison.compare(golden: golden, candidate: makeCandidate(trace: stepTrace))
            let okJSON = diffJSON(matching, goldenName: "StepLR", goldenPath: "g.json", candidatePath: "c.json")
            #expect(okJSON["match"] == true)
            #expect(okJSON["first_divergence"] == .null)
            #expect(okJSON["divergences"] == [])
        }

        @Test func jsonReportWritesUnboundedAsInfinity() throws {
            let result = try compareOne(.double(.nan), 1.0)
            let json = diffJSON(result, goldenName: "n", goldenPath: "g", candidatePath: nil)
            #expect(json["max_ulp"] == .double(.infinity))
            #expect(json["first_divergence"]?["ulp"] == .double(.infinity))
        }
    }
}

// MARK: - Fixture files

extension ComparisonTests {
    struct ComparisonFixtureTests {
        private func load(_ name: String) throws -> JSONValue {
            try JSONValue.load(contentsOf: packageRoot + "/Fixtures/compare/" + name)
        }

        @Test func candidateWithFloatMomentumMatchesGoldenWithIntMomentum() throws {
            let golden = try load("StepLR.golden.json")
            let candidate = try load("StepLR.candidate-match.json")
            #expect(golden["trace"]?[0]?["momentum"] == [0])
            #expect(candidate["trace"]?[0]?["momentum"] == [0.0])
            let result = try TraceComparison.compare(golden: golden, candidate: candidate)
            #expect(result.matches, report(result))
            #expect(result.recordCount == (6, 6))
        }

        @Test func oneULPFixtureIsCaught() throws {
            let result = try TraceComparison.compare(golden: try load("StepLR.golden.json"), candidate: try load("StepLR.candidate-1ulp.json"))
            let first = try #require(result.first, report(result))
            #expect(result.differingValueCount == 1)
            #expect(first.recordIndex == 3)
            #expect(first.op == "step")
            #expect(first.path == "lr[0]")
            #expect(first.ulpDistance == 1)
        }
    }
}
