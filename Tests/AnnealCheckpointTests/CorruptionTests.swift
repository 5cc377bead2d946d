import AnnealJSON
import AnnealTensor
import Testing

@testable import AnnealCheckpoint

/// Damage to a small checkpoint is always caught: truncation at every byte,
/// byte flips everywhere (only whitespace in the header's padding is
/// accepted, and proven harmless), and fuzzing with random mutations and
/// random headers, none of which may crash the reader.
@Suite("Corruption")
struct CorruptionTests {
    static let valid = Fixture.base.encoded()

    /// Where the header's padding lies: after the JSON text, before the data.
    static let padding: Range<Int> = {
        var length = 0
        for index in 0..<8 { length |= Int(valid[index]) << (8 * index) }
        var end = 8 + length
        while valid[end - 1] == UInt8(ascii: " ") { end -= 1 }
        return end..<8 + length
    }()

    static let whitespace: [UInt8] = [0x20, 0x09, 0x0A, 0x0D]

    /// Decodes `bytes`: `nil` when rejected, the checkpoint when accepted.
    func decode(_ bytes: [UInt8]) -> Checkpoint? {
        do {
            return try Checkpoint.decode(bytes, file: "mutant")
        } catch {
            #expect(error.file == "mutant")
            return nil
        }
    }

    @Test("The sample has header padding to test")
    func sampleHasPadding() {
        #expect(Self.padding.count > 0, "the header needs padding for the padding checks: adjust sampleCheckpoint's metadata")
        #expect((Self.padding.upperBound - 8) % 8 == 0)
    }

    @Test("Truncation at every byte boundary is rejected")
    func truncation() {
        let valid = Self.valid
        var rejected = 0
        for length in 0..<valid.count {
            if decode(Array(valid[0..<length])) == nil {
                rejected += 1
            } else {
                Issue.record("truncated to \(length) of \(valid.count) bytes was accepted")
            }
        }
        #expect(rejected == valid.count)
        #expect(decode(valid) == Fixture.base)
        print("truncation: \(rejected) of \(valid.count) lengths rejected")
    }

    @Test("Byte flips are rejected, except whitespace in the padding, which is harmless")
    func flips() {
        let valid = Self.valid
        var rng = Xoshiro256StarStar(seed: 2024)
        var tried = 0, rejected = 0, harmless = 0
        for position in valid.indices {
            var replacements = [0x01, 0x02, 0x10, 0x40, 0x80, 0xFF].map { valid[position] ^ UInt8($0) }
            replacements.append(UInt8(truncatingIfNeeded: rng.next()))
            replacements += Self.whitespace
            for replacement in Set(replacements) where replacement != valid[position] {
                var mutant = valid
                mutant[position] = replacement
                tried += 1
                guard let accepted = decode(mutant) else {
                    rejected += 1
                    continue
                }
                let inPadding = Self.padding.contains(position) && Self.whitespace.contains(replacement)
                #expect(inPadding, "byte \(position): \(valid[position]) → \(replacement) was accepted outside the padding")
                #expect(accepted == Fixture.base, "byte \(position): accepted but different")
                harmless += 1
            }
        }
        // Every padding byte, turned into each other whitespace character, is accepted unchanged.
        #expect(harmless == Self.padding.count * (Self.whitespace.count - 1))
        #expect(rejected + harmless == tried)
        #expect(tried > valid.count * 7)
        print("flips: \(tried) single-byte changes over \(valid.count) bytes, \(rejected) rejected, \(harmless) harmless (whitespace in the \(Self.padding.count)-byte padding)")
    }

    @Test("Random mutations never crash the reader", arguments: 0..<4)
    func mutations(seed: UInt64) {
        let valid = Self.valid
        var rng = Xoshiro256StarStar(seed: 100 + seed)
        for _ in 0..<1500 {
            var mutant = valid
            switch rng.int(below: 6) {
            case 0:  // a few random bytes overwritten
                for _ in 0..<1 + rng.int(below: 8) {
                    mutant[rng.int(below: mutant.count)] = UInt8(truncatingIfNeeded: rng.next())
                }
            case 1:  // bytes inserted
                let at = rng.int(below: mutant.count + 1)
                mutant.insert(contentsOf: (0..<1 + rng.int(below: 16)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
            case 2:  // bytes deleted
                let at = rng.int(below: mutant.count)
                mutant.removeSubrange(at..<min(mutant.count, at + 1 + rng.int(below: 16)))
            case 3:  // the header length changed
                let length = UInt64(rng.int(below: mutant.count + 64))
                for index in 0..<8 { mutant[index] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(index))) }
            case 4:  // a digit of the header changed (shapes, offsets, counters)
                let digits = (8..<Self.padding.lowerBound).filter { (48...57).contains(mutant[$0]) }
                mutant[digits[rng.int(below: digits.count)]] = UInt8(48 + rng.int(below: 10))
            default:  // two random slices of the file swapped in length
                let a = rng.int(below: mutant.count), b = rng.int(below: mutant.count)
                mutant = Array(mutant[..<min(a, b)] + mutant[max(a, b)...] + mutant[min(a, b)..<max(a, b)])
            }
            if let accepted = decode(mutant) {
                #expect(accepted == Fixture.base, "a mutant was accepted with different contents")
            }
        }
    }

    @Test("Random bytes never crash the reader")
    func randomBytes() {
        var rng = Xoshiro256StarStar(seed: 9)
        for round in 0..<3000 {
            let count = rng.int(below: 512)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if round % 2 == 0 && count >= 8 {
                // A plausible header length, so the JSON parser gets random text too.
                let length = UInt64(rng.int(below: count - 7))
                for index in 0..<8 { bytes[index] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(index))) }
                if count > 8 { bytes[8] = UInt8(ascii: "{") }
            }
            #expect(decode(bytes) == nil)
        }
    }

    @Test("Random safetensors headers are validated without crashing")
    func randomHeaders() throws {
        var rng = Xoshiro256StarStar(seed: 77)
        let dtypes = SafetensorsDType.allCases.map(\.rawValue) + ["F33", "", "f32"]
        var accepted = 0
        for _ in 0..<4000 {
            var entries: [String] = []
            var offset = 0
            for index in 0..<rng.int(below: 4) {
                let dtype = dtypes[rng.int(below: dtypes.count)]
                let shape = (0..<rng.int(below: 3)).map { _ -> String in
                    switch rng.int(below: 10) {
                    case 0: return "-1"
                    case 1: return "9223372036854775807"
                    case 2: return "1.5"
                    default: return String(rng.int(below: 4))
                    }
                }
                let elements = shape.compactMap { Int($0) }.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
                let size = (SafetensorsDType(rawValue: dtype)?.size ?? 4) &* elements
                var begin = offset, end = offset &+ size
                if rng.int(below: 8) == 0 { begin &+= rng.int(below: 5) - 2 }
                if rng.int(below: 8) == 0 { end &+= rng.int(below: 5) - 2 }
                offset = max(0, end)
                let name = rng.int(below: 10) == 0 ? "t0" : "t\(index)"
                entries.append(#""\#(name)":{"dtype":"\#(dtype)","shape":[\#(shape.joined(separator: ","))],"data_offsets":[\#(begin),\#(end)]}"#)
            }
            if rng.int(below: 4) == 0 { entries.insert(#""__metadata__":{"a":"b"}"#, at: 0) }
            let dataSize = max(0, offset &+ (rng.int(below: 6) == 0 ? rng.int(below: 5) - 2 : 0))
            let bytes = assemble(header: "{" + entries.joined(separator: ",") + "}", data: [UInt8](repeating: 0, count: min(dataSize, 4096)))
            let source = MemorySource(storage: bytes)
            do {
                let header = try SafetensorsHeader.parse(fileSize: source.size) { count throws(CheckpointError.Problem) in
                    try source.bytes(at: 0, count: count)
                }
                accepted += 1
                // What a reader accepts has its invariants.
                var end = 0
                for entry in header.entries {
                    #expect(entry.dataOffsets.lowerBound == end)
                    #expect(entry.dataOffsets.count == entry.shape.reduce(1, *) * entry.dtype.size)
                    end = entry.dataOffsets.upperBound
                }
                #expect(header.dataStart + end == bytes.count)
                // And as a checkpoint, it lacks a manifest.
                #expect(throws: CheckpointError.self) { try Checkpoint.decode(bytes) }
            } catch {}
        }
        #expect(accepted > 100, "the generator should also make valid headers")
    }
}
