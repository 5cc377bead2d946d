import AnnealJSON
import Foundation
import Testing

@testable import AnnealPickle

/// The files of `Fixtures/torch/`, against what torch 2.13 made of them.
@Suite("torch.save fixtures")
struct FixtureTests {
    static let validNames: [String] = expectations["valid"]?.objectValue?.keys.sorted() ?? []
    static let hostileNames: [String] = expectations["hostile"]?.objectValue?.keys.sorted() ?? []

    @Test("The expectations list the fixtures")
    func catalog() {
        #expect(Self.validNames.count >= 11)
        #expect(Self.hostileNames.count >= 16)
    }

    @Test("Each valid file reads as torch read it", arguments: validNames)
    func valid(name: String) throws {
        let file = try TorchFile(contentsOf: fixture(name))
        var describer = Describer(file: file)
        let described = try describer.describe(file.root)
        let expected = try #require(expectations["valid"]?[name])
        if described != expected {
            Issue.record("\(name): Anneal read\n\(described.serialized(indent: 1))\nexpected\n\(expected.serialized(indent: 1))")
        }
        // The summary and JSON views are made without error, and the JSON parses.
        #expect(!file.summary().isEmpty)
        _ = try JSONValue.parse(file.json(), file: name)
    }

    @Test("Each hostile or damaged file is refused with its problem", arguments: hostileNames)
    func hostile(name: String) throws {
        let problem = try #require(expectations["hostile"]?[name]?["problem"]?.stringValue)
        do {
            let file = try TorchFile(contentsOf: fixture(name))
            Issue.record("\(name) was read: \(file.summary())")
        } catch {
            let message = error.description
            #expect(message.hasPrefix(fixture(name) + ": "), "\(message)")
            #expect(message.contains(problem), "\(name): \(message) does not say \(problem)")
        }
    }

    @Test("Each valid file's bare pickle unpickles to the same tree", arguments: validNames)
    func barePickle(name: String) throws {
        let archive = try TorchFile(contentsOf: fixture(name))
        let stem = String(name.dropLast(3))
        let bytes = try #require(readBytes(fixture("pickles/\(stem).pkl")))
        // Compared through their descriptions: floats are Swift Doubles, and NaN ≠ NaN.
        let bare = try TorchFile.unpickle(bytes, file: stem + ".pkl")
        var left = Describer(file: archive)
        var right = Describer(file: archive)
        #expect(try left.describe(bare) == right.describe(archive.root))
    }

    @Test("Stored records are borrowed from the file, deflated ones inflated")
    func zeroCopy() throws {
        let file = try TorchFile(contentsOf: fixture("views.pt"))
        let storage = try #require(file.storages.first)
        let inPlace = file.withStorageBytes(storage) { bytes in
            let base = UInt(bitPattern: file.bytes.buffer.baseAddress)
            let start = UInt(bitPattern: bytes.baseAddress)
            return start >= base && start < base + UInt(file.bytes.buffer.count) && start % 64 == 0
        }
        #expect(inPlace == true)
        let deflated = try TorchFile(contentsOf: fixture("zipfile_deflated.pt"))
        #expect(deflated.archiveName == "my_checkpoint")
    }

    @Test("Views share one storage, as torch saved them")
    func sharing() throws {
        let file = try TorchFile(contentsOf: fixture("views.pt"))
        #expect(file.storages.count == 2)
        guard case .tensor(let transposed) = file.root["transposed"] else {
            Issue.record("no tensor")
            return
        }
        #expect(transposed.shape == [6, 4])
        #expect(transposed.strides == [1, 6])
        #expect(!transposed.isContiguous)
        #expect(try file.elements(of: transposed, limit: 3) == [.float(0), .float(6), .float(12)])
    }

    @Test(
        "Every truncation of a valid file is refused",
        arguments: ["scheduler_steplr.pt", "v3_forms.pt", "zipfile_deflated.pt", "zip_zip64_end_record.pt", "zip_data_descriptor.pt"])
    func truncation(name: String) throws {
        let bytes = try #require(readBytes(fixture(name)))
        _ = try TorchFile(bytes: bytes, file: name)
        for length in 0..<bytes.count {
            #expect(throws: TorchFileError.self) { try TorchFile(bytes: Array(bytes[0..<length]), file: "cut.pt") }
        }
    }

    @Test("float8 and complex32 elements decode to torch's values, every float8 bit pattern")
    func decoded() throws {
        let file = try TorchFile(contentsOf: fixture("dtypes_v3.pt"))
        let recorded = try #require(expectations["decoded"]?["dtypes_v3.pt"]?.objectValue)
        #expect(recorded.keys.count == 8)
        func double(_ hex: JSONValue?) throws -> Double {
            let text = try #require(hex?.stringValue)
            var bits: UInt64 = 0
            for (index, pair) in stride(from: 0, to: 16, by: 2).enumerated() {
                let start = text.index(text.startIndex, offsetBy: pair)
                bits |= UInt64(try #require(UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16))) << (8 * UInt64(index))
            }
            return Double(bitPattern: bits)
        }
        func same(_ a: Double, _ b: Double) -> Bool { a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern }
        for key in recorded.keys {
            guard case .tensor(let tensor) = file.root[.string(key)] else {
                Issue.record("no tensor \(key)")
                continue
            }
            let values = try #require(recorded[key]?.arrayValue)
            let elements = try file.elements(of: tensor, limit: 1 << 10)
            #expect(elements.count == values.count)
            for (element, value) in zip(elements, values) {
                switch element {
                case .float(let x):
                    let expected = try double(value)
                    #expect(same(x, expected), "\(key): \(x) vs torch's \(expected)")
                case .complex(let re, let im):
                    let (expectedRe, expectedIm) = (try double(value[0]), try double(value[1]))
                    #expect(same(re, expectedRe) && same(im, expectedIm), "\(key): \(element)")
                default: Issue.record("\(key): \(element)")
                }
            }
        }
        // The five float8s, every bit pattern each.
        #expect(recorded.keys.filter { recorded[$0]?.arrayValue?.count == 256 }.count == 5)
    }

    @Test("Views of several dtypes share one untyped storage, as torch saved them")
    func untypedSharing() throws {
        let file = try TorchFile(contentsOf: fixture("dtypes_v3.pt"))
        guard case .dict(let shared)? = file.root["shared"], case .tensor(let base)? = shared["base"],
            case .tensor(let wide)? = shared["as_uint32"], case .tensor(let small)? = shared["as_float8"]
        else {
            Issue.record("no shared tensors")
            return
        }
        #expect(base.storage == wide.storage && wide.storage == small.storage)
        #expect(base.storage.isUntyped && base.storage.dtype == .uint8 && base.storage.count == 48)
        #expect(base.dtype == .uint16 && wide.dtype == .uint32 && small.dtype == .float8_e5m2)
        #expect(wide.storageOffset == 1 && small.storageOffset == 10)
        #expect(try file.elements(of: wide, limit: 2) == [.unsigned(2 | 3 << 16), .unsigned(4 | 5 << 16)])
        #expect(file.summary().contains("'as_float8': torch.Tensor float8_e5m2 [10] offset 10, 10 bytes"))
    }

    @Test("Every single-byte flip is refused or read without a crash")
    func flips() throws {
        let bytes = try #require(readBytes(fixture("scheduler_steplr.pt")))
        for position in 0..<bytes.count {
            var damaged = bytes
            damaged[position] ^= 0x5A
            _ = try? TorchFile(bytes: damaged, file: "flip.pt")
        }
    }
}

func readBytes(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}
