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

    @Test("Every truncation of a valid file is refused")
    func truncation() throws {
        let bytes = try #require(readBytes(fixture("scheduler_steplr.pt")))
        for length in 0..<bytes.count {
            #expect(throws: TorchFileError.self) { try TorchFile(bytes: Array(bytes[0..<length]), file: "cut.pt") }
        }
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
