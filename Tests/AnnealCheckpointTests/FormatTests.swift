import Foundation
import Anneal
import AnnealJSON
import AnnealTensor
import Testing

@testable import AnnealCheckpoint

/// The file format: a valid safetensors file, laid out deterministically,
/// with the manifest in `__metadata__`.
@Suite("File format")
struct FormatTests {
    @Test("Header: 8-byte little-endian length, compact JSON padded with spaces to a multiple of 8")
    func headerLayout() throws {
        let bytes = Fixture.base.encoded()
        var length = 0
        for index in 0..<8 { length |= Int(bytes[index]) << (8 * index) }
        #expect(length % 8 == 0)
        let text = headerText(of: bytes)
        #expect(text.hasPrefix(#"{"__metadata__":{"anneal":"{\"data\": "#))
        let trimmed = text.replacingFirst(" ", with: " ")
        #expect(trimmed.last == " " || trimmed.last == "}")
        let header = try JSONValue.parse(text).objectValue!
        // `__metadata__` first, then the tensors in byte order of their names.
        let names = Array(header.keys.dropFirst())
        #expect(header.keys.first == "__metadata__")
        #expect(names == names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(Set(names) == Set(Fixture.base.tensors.keys))
        // Data offsets back to back from 0, to the end of the file.
        var end = 0
        for name in names {
            let offsets = header[name]!["data_offsets"]!.arrayValue!.map { $0.intValue! }
            #expect(offsets[0] == end)
            #expect(header[name]!["dtype"] == "F32")
            end = offsets[1]
        }
        #expect(8 + length + end == bytes.count)
        // The metadata: the manifest and its checksum, both strings.
        let metadata = header["__metadata__"]!.objectValue!
        #expect(metadata.keys == ["anneal", "anneal.xxh3_128"])
        let manifest = metadata["anneal"]!.stringValue!
        #expect(metadata["anneal.xxh3_128"]!.stringValue! == DataChecksum.hexDigest(of: Array(manifest.utf8)))
    }

    @Test("Tensors are named model.<name> and optim.state.<index>.<key>, little-endian float32")
    func tensorNaming() throws {
        let checkpoint = Fixture.base
        #expect(
            checkpoint.tensors.keys.sorted() == [
                "model.fc.bias", "model.fc.weight", "model.out.weight", "optim.state.0.exp_avg", "optim.state.0.step",
                "optim.state.1.exp_avg", "optim.state.1.step", "optim.state.2.exp_avg", "optim.state.2.step",
            ])
        #expect(checkpoint.optimizerStateTensor(index: 2, key: "step") == Tensor(shape: [], scalars: [3]))
        let bytes = checkpoint.encoded()
        let header = try JSONValue.parse(headerText(of: bytes))
        let offsets = header["model.fc.bias"]!["data_offsets"]!.arrayValue!.map { $0.intValue! }
        var length = 0
        for index in 0..<8 { length |= Int(bytes[index]) << (8 * index) }
        let raw = Array(bytes[8 + length + offsets[0]..<8 + length + offsets[1]])
        let expected = checkpoint.parameter(named: "fc.bias")!.scalars.flatMap { value in
            (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt32($0))) }
        }
        #expect(raw == expected)
    }

    @Test("The manifest: sorted keys, version 1, every field")
    func manifestFields() throws {
        let text = try manifestText(of: Fixture.base.encoded())
        let manifest = try JSONValue.parse(text)
        #expect(manifest.objectValue!.keys == ["data", "epoch", "format", "metadata", "model", "optimizer", "rng", "schedulers", "step", "version"])
        #expect(manifest["version"] == 1)
        #expect(manifest["format"] == "anneal-checkpoint")
        #expect(manifest["step"] == 3)
        #expect(manifest["epoch"] == 1)
        #expect(manifest["model"]!["parameters"]![0] == ["name": "fc.weight", "shape": [3, 2]])
        #expect(manifest["optimizer"]!["type"] == "Adam")
        #expect(manifest["optimizer"]!["param_groups"]![0]!["params"] == [0, 1, 2])
        #expect(manifest["optimizer"]!["state"]![1] == ["index": 1, "scalars": ["visits": 3], "tensors": ["exp_avg": [3], "step": []]])
        #expect(manifest["schedulers"]!.arrayValue!.map { $0["type"]! } == ["StepLR", "ExponentialLR"])
        #expect(manifest["schedulers"]![0]!["state"]!["last_epoch"] == 3)
        #expect(manifest["rng"]!["algorithm"] == "xoshiro256**")
        #expect(manifest["rng"]!["state"]!.arrayValue!.count == 4)
        #expect(manifest["metadata"] == ["note": "sample", "seed": 7])
        #expect(manifest["data"]!["xxh3_128"]!.objectValue!.count == 9)
        // Sorted keys at every depth.
        func sortedEverywhere(_ value: JSONValue) -> Bool {
            switch value {
            case .object(let object):
                return object.keys == object.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                    && object.values.allSatisfy(sortedEverywhere)
            case .array(let items): return items.allSatisfy(sortedEverywhere)
            default: return true
            }
        }
        #expect(sortedEverywhere(manifest))
    }

    @Test("Output is byte-for-byte reproducible, whatever the insertion order")
    func reproducible() throws {
        let first = try sampleCheckpoint().encoded()
        let second = try sampleCheckpoint().encoded()
        #expect(first == second)
        // The same manifest with objects built in another order.
        var manifest = Fixture.base.manifest
        manifest.metadata = ["seed": 7, "note": "sample"]
        let reordered = Checkpoint(manifest: manifest, tensors: Fixture.base.tensors)
        #expect(reordered.encoded() == first)
    }

    @Test("Written file equals encoded bytes, and reads back equal")
    func writeAndRead() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let path = directory + "/one.safetensors"
        try Fixture.base.write(to: path)
        #expect(readBytes(path) == Fixture.base.encoded())
        let read = try Checkpoint.read(from: path)
        #expect(read == Fixture.base)
        #expect(read.data?.bytes == Fixture.base.tensors.values.reduce(0) { $0 + $1.count * 4 })
        #expect(directoryEntries(directory) == ["one.safetensors"])  // no temporary file left
    }

    @Test("Writing replaces an existing file atomically; a failed write leaves it untouched")
    func replaceAndFailure() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let path = directory + "/c.safetensors"
        try Fixture.base.write(to: path)
        let other = try sampleCheckpoint(steps: 5)
        try other.write(to: path)
        #expect(try Checkpoint.read(from: path) == other)
        do {
            try other.write(to: directory + "/missing-directory/c.safetensors")
            Issue.record("wrote into a missing directory")
        } catch {
            #expect(error.file == directory + "/missing-directory/c.safetensors")
            guard case .io(let operation, _) = error.problem else { Issue.record("\(error)"); return }
            #expect(operation.hasPrefix("create "))
        }
        #expect(try Checkpoint.read(from: path) == other)
    }

    @Test("SafetensorsHeader reads any safetensors file's table")
    func plainSafetensors() throws {
        let bytes = try Fixture.noManifest.bytes()
        let header = try SafetensorsHeader.decode(bytes)
        #expect(header.metadata == ["format": "pt"])
        #expect(header.entries.map(\.name) == Fixture.base.tensors.keys.sorted())
        #expect(header.dataStart + header.dataSize == bytes.count)
        #expect(try SafetensorsHeader.read(from: Fixture.valid.path).entries.count == 9)
        #expect(throws: CheckpointError.self) { try SafetensorsHeader.decode(try! Fixture.offsetsGap.bytes()) }
    }

    @Test("An empty checkpoint (no tensors) round-trips")
    func empty() throws {
        let checkpoint = Checkpoint(manifest: CheckpointManifest(step: 0, parameters: []), tensors: [:])
        #expect(try Checkpoint.decode(checkpoint.encoded()) == checkpoint)
    }

    @Test("Non-ASCII and escaped names and metadata round-trip")
    func unusualNames() throws {
        let names = ["ä.weight", "quote\"d", "back\\slash", "tab\tname", "emoji😀"]
        let manifest = CheckpointManifest(
            step: 1, parameters: names.map { .init(name: $0, shape: [2]) }, metadata: ["ñ": "\u{1}\n\"", "list": [1.5, .null, true]])
        var tensors: [String: Tensor] = [:]
        for (index, name) in names.enumerated() {
            tensors["model." + name] = Tensor([Float(index), -0.0])
        }
        let checkpoint = Checkpoint(manifest: manifest, tensors: tensors)
        let decoded = try Checkpoint.decode(checkpoint.encoded())
        #expect(decoded == checkpoint)
        #expect(decoded.parameter(named: "tab\tname")!.scalars[1].sign == .minus)
    }

    @Test("NaN, infinities and subnormals keep their bits")
    func specialValues() throws {
        let values: [Float] = [.nan, -.infinity, .infinity, .leastNonzeroMagnitude, -0.0, .greatestFiniteMagnitude, Float(bitPattern: 0x7fc0_1234)]
        let manifest = CheckpointManifest(step: 2, parameters: [.init(name: "w", shape: [values.count])])
        let checkpoint = Checkpoint(manifest: manifest, tensors: ["model.w": Tensor(values)])
        let decoded = try Checkpoint.decode(checkpoint.encoded())
        #expect(decoded.parameter(named: "w")!.scalars.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test("Read tensors borrow the file's pages: verified, readable after the file is gone, copied when written")
    func readTensorsBorrowTheFile() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let original = try sampleCheckpoint()
        let path = directory + "/c.safetensors"
        try original.write(to: path)
        let bytes = readBytes(path)!
        let read = try Checkpoint.read(from: path)
        #expect(read.tensors.values.allSatisfy { $0.isBorrowingScalars })
        #expect(read.tensors == original.tensors)
        // Unlinked: the mapping keeps the pages.
        try FileManager.default.removeItem(atPath: path)
        #expect(read.tensors == original.tensors)
        // Writing a tensor copies it; the other tensors and the bytes stay.
        var tensors = read.tensors
        let name = tensors.keys.sorted().first!
        tensors[name]!.scalars[0] += 1
        #expect(!tensors[name]!.isBorrowingScalars)
        #expect(tensors[name] != original.tensors[name])
        #expect(read.tensors == original.tensors)
        // Owning copies: equal, no longer borrowed.
        let owned = read.owningTensors()
        #expect(owned.tensors == original.tensors)
        #expect(!owned.tensors.values.contains { $0.isBorrowingScalars })
        // The in-memory reader copies.
        let decoded = try Checkpoint.decode(bytes)
        #expect(!decoded.tensors.values.contains { $0.isBorrowingScalars })
        #expect(decoded.tensors == original.tensors)
    }
}
