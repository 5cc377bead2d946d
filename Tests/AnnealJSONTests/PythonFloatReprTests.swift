import Testing
import AnnealJSON

@Suite("pythonFloatRepr")
struct PythonFloatReprTests {
    @Test("matches Python's repr on the generated table", arguments: pythonReprTable)
    func matchesPython(bits: UInt64, expected: String) {
        #expect(pythonFloatRepr(Double(bitPattern: bits)) == expected)
    }

    @Test("Python's layout rules", arguments: [
        (1.0, "1.0"), (100.0, "100.0"), (-1.0, "-1.0"), (0.0, "0.0"), (-0.0, "-0.0"),
        (1e16, "1e+16"), (1.5e-05, "1.5e-05"), (1e-05, "1e-05"), (0.0001, "0.0001"),
        (0.00012345, "0.00012345"), (1.2345678901234568e+17, "1.2345678901234568e+17"),
        (.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e+308, "1.7976931348623157e+308"),
        (123456789012345.0, "123456789012345.0"), (1234567890123456.0, "1234567890123456.0"),
        (9999999999999998.0, "9999999999999998.0"), (9007199254740994.0, "9007199254740994.0"),
        (1e+300, "1e+300"), (1e-300, "1e-300"), (1e22, "1e+22"), (0.1, "0.1"),
        (0.30000000000000004, "0.30000000000000004"), (123.456, "123.456"), (-2.5e-8, "-2.5e-08"),
        (1e15, "1000000000000000.0"), (1.5e16, "1.5e+16"), (-1e16, "-1e+16"),
    ] as [(Double, String)])
    func layout(value: Double, expected: String) {
        #expect(pythonFloatRepr(value) == expected)
    }

    @Test("non-finite values use json.dumps's tokens")
    func nonFinite() {
        #expect(pythonFloatRepr(.nan) == "NaN")
        #expect(pythonFloatRepr(-.nan) == "NaN")
        #expect(pythonFloatRepr(.signalingNaN) == "NaN")
        #expect(pythonFloatRepr(.infinity) == "Infinity")
        #expect(pythonFloatRepr(-.infinity) == "-Infinity")
    }

    @Test("every table value reads back bit-exactly", arguments: pythonReprTable)
    func tableRoundTrips(bits: UInt64, text: String) throws {
        let value = try JSONValue.parse(text)
        guard case .double(let d) = value else {
            Issue.record("\(text) parsed as \(value.kindName)")
            return
        }
        #expect(d.bitPattern == bits, "\(text)")
        #expect(value.serialized() == text)
    }

    @Test("random doubles round-trip through text bit-exactly")
    func randomRoundTrip() throws {
        var rng = SplitMix64(seed: 0x5EED)
        var texts: [String] = []
        var values: [Double] = []
        for i in 0..<20_000 {
            // Alternate random bit patterns (all magnitudes) with values of
            // ordinary size, the kind a learning-rate trace is full of.
            let d = i % 2 == 0
                ? Double(bitPattern: rng.next())
                : Double.random(in: -10...10, using: &rng) * pow10(Int.random(in: -12...12, using: &rng))
            guard d.isFinite else { continue }
            values.append(d)
            texts.append(pythonFloatRepr(d))
        }
        // All at once, as one array: the parser's real workload.
        let document = "[" + texts.joined(separator: ", ") + "]"
        let parsed = try #require(try JSONValue.parse(document).arrayValue)
        #expect(parsed.count == values.count)
        for (value, original) in zip(parsed, values) {
            #expect(value.doubleValue?.bitPattern == original.bitPattern, "\(pythonFloatRepr(original))")
        }
    }
}

private func pow10(_ e: Int) -> Double {
    var r = 1.0
    for _ in 0..<abs(e) { r *= 10 }
    return e < 0 ? 1 / r : r
}

/// A small, seedable generator so that "random" tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
