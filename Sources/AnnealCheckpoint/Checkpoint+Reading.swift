import Dispatch
import AnnealJSON
import AnnealTensor

extension Checkpoint {
    /// Reads and verifies the checkpoint at `path`.
    ///
    /// Nothing is trusted before it is checked: the container (every check
    /// of ``SafetensorsHeader``), the manifest's checksum and fields, the
    /// tensor table against the manifest (names, `F32`, shapes), and the
    /// data section's XXH3-128, tensor by tensor. Any failure is a
    /// ``CheckpointError`` naming `path` and the problem; no input crashes
    /// the reader.
    ///
    /// The file is mapped read-only and the tensors borrow its pages
    /// (``AnnealTensor/BorrowedScalars``): nothing is copied until a tensor
    /// is written, which copies that tensor (``owningTensors()`` copies all
    /// of them at once, in parallel; ``TrainingState/restore(from:)`` does).
    /// Do not truncate or rewrite the file in place while its tensors are in
    /// use: a mapped page past a truncated end is a SIGBUS, as for every
    /// memory-mapped reader. Anneal's writers never do (they rename a new
    /// file over the old one). Where the file cannot be mapped, the tensors
    /// are read into memory of their own.
    public static func read(from path: String) throws(CheckpointError) -> Checkpoint {
        try decode(named: path) { () throws(CheckpointError.Problem) in try FileSource(path: path) }
    }

    /// Decodes and verifies the bytes of a checkpoint file, exactly as
    /// ``read(from:)`` does; `file` names them in errors.
    public static func decode(_ bytes: [UInt8], file: String = "checkpoint") throws(CheckpointError) -> Checkpoint {
        try decode(named: file) { MemorySource(storage: bytes) }
    }

    /// ``decode(_:)`` of the bytes `open` gives, with errors naming `file`,
    /// which becomes the checkpoint's `source`.
    private static func decode<Source: ByteSource>(
        named file: String, _ open: () throws(CheckpointError.Problem) -> Source
    ) throws(CheckpointError) -> Checkpoint {
        do {
            var checkpoint = try decode(try open())
            checkpoint.source = file
            return checkpoint
        } catch {
            throw CheckpointError(file: file, error)
        }
    }

    /// The reader behind both entry points.
    static func decode(_ source: some ByteSource) throws(CheckpointError.Problem) -> Checkpoint {
        let header = try SafetensorsHeader.parse(fileSize: source.size) { count throws(CheckpointError.Problem) in
            try source.bytes(at: 0, count: count)
        }
        let (manifest, data) = try readManifest(header.metadata)

        // The tensor table against the manifest.
        var expected: [String: [Int]] = [:]
        for (name, shape) in manifest.tensorTable { expected[name] = shape }
        for entry in header.entries.sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
            guard let shape = expected[entry.name] else { throw .unexpectedTensor(name: entry.name) }
            guard entry.dtype == .f32 else { throw .unsupportedDType(name: entry.name, dtype: entry.dtype.rawValue) }
            guard entry.shape == shape else { throw .tensorShapeMismatch(name: entry.name, manifest: shape, file: entry.shape) }
            expected[entry.name] = nil
        }
        if let missing = expected.keys.min(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            throw .tensorMissing(name: missing)
        }
        guard data.bytes == header.dataSize else {
            throw .manifestInvalid(path: "data.bytes", problem: "is \(data.bytes), the data section has \(header.dataSize) bytes")
        }

        // The data, hashed as it is read, tensor by tensor (in parallel).
        guard Set(data.checksums.keys) == Set(header.entries.map(\.name)) else {
            let names = Set(header.entries.map(\.name))
            let odd = data.checksums.keys.first { !names.contains($0) } ?? names.first { data.checksums[$0] == nil }!
            throw .manifestInvalid(
                path: "data.\(DataChecksum.algorithm)",
                problem: data.checksums[odd] == nil ? "has no checksum of tensor \(quoted(odd))" : "has a checksum of \(quoted(odd)), which is not a tensor")
        }
        let loaded: [Result<(Tensor, String), CheckpointError.Problem>]
        if let mapping = source.mapping(), let borrowed = borrowTensors(header.entries, dataStart: header.dataStart, from: mapping) {
            loaded = borrowed
        } else {
            loaded = readTensors(header.entries, dataStart: header.dataStart, from: source)
        }
        var tensors: [String: Tensor] = [:]
        for (entry, result) in zip(header.entries, loaded) {
            let (tensor, actual) = try result.get()
            let expected = data.checksums[entry.name]!
            guard actual == expected else { throw .checksumMismatch(name: entry.name, expected: expected, actual: actual) }
            tensors[entry.name] = tensor
        }
        var checkpoint = Checkpoint(validatedManifest: manifest, tensors: tensors)
        checkpoint.data = data
        return checkpoint
    }

    /// Each tensor of `entries` borrowing its elements from `mapping` (no
    /// copy: they are copied when first written), hashed in place, the
    /// tensors spread over a few threads; `nil` where the file's bytes are
    /// not float32 as this machine holds them (big-endian) or not aligned
    /// for it, for the copying reader.
    static func borrowTensors(
        _ entries: [SafetensorsEntry], dataStart: Int, from mapping: FileMapping
    ) -> [Result<(Tensor, String), CheckpointError.Problem>]? {
        #if _endian(big)
        return nil
        #else
        guard Int(bitPattern: mapping.base + dataStart) % MemoryLayout<Float>.alignment == 0,
            entries.allSatisfy({ $0.dataOffsets.lowerBound % MemoryLayout<Float>.size == 0 })
        else { return nil }
        let results = ResultSlots<(Tensor, String), CheckpointError.Problem>(count: entries.count)
        let workers = workerAssignment(entries.map(\.dataOffsets.count))
        DispatchQueue.concurrentPerform(iterations: workers.count) { worker in
            for index in workers[worker] {
                let entry = entries[index]
                let bytes = UnsafeRawBufferPointer(start: mapping.base + dataStart + entry.dataOffsets.lowerBound, count: entry.dataOffsets.count)
                let checksum = DataChecksum()
                checksum.update(bytes)
                let elements = BorrowedScalars(bytes.assumingMemoryBound(to: Float.self), owner: mapping)
                results[index] = .success((Tensor(shape: entry.shape, borrowing: elements), checksum.hexDigest()))
            }
        }
        return results.values
        #endif
    }

    /// Reads each tensor of `entries` into fresh storage and hashes it,
    /// spreading the tensors over a few threads (the cost is the kernel's
    /// zeroing of new pages and the copy, which scale with cores).
    static func readTensors(
        _ entries: [SafetensorsEntry], dataStart: Int, from source: some ByteSource
    ) -> [Result<(Tensor, String), CheckpointError.Problem>] {
        let results = ResultSlots<(Tensor, String), CheckpointError.Problem>(count: entries.count)
        let workers = workerAssignment(entries.map(\.dataOffsets.count))
        DispatchQueue.concurrentPerform(iterations: workers.count) { worker in
            for index in workers[worker] {
                let entry = entries[index]
                var failure: CheckpointError.Problem?
                let checksum = DataChecksum()
                let tensor = Tensor(shape: entry.shape) { buffer in
                    let raw = UnsafeMutableRawBufferPointer(buffer)
                    adviseHugePages(raw)
                    // In chunks that stay in the cache between the copy and the hash.
                    var done = 0
                    while done < raw.count {
                        let chunk = UnsafeMutableRawBufferPointer(rebasing: raw[done..<min(raw.count, done + readChunk)])
                        do throws(CheckpointError.Problem) {
                            try source.read(into: chunk, at: dataStart + entry.dataOffsets.lowerBound + done)
                        } catch {
                            failure = error
                            UnsafeMutableRawBufferPointer(rebasing: raw[done...]).initializeMemory(as: UInt8.self, repeating: 0)
                            return
                        }
                        checksum.update(UnsafeRawBufferPointer(chunk))
                        done += chunk.count
                    }
                    #if _endian(big)
                    for index in buffer.indices { buffer[index] = Float(bitPattern: UInt32(littleEndian: buffer[index].bitPattern)) }
                    #endif
                }
                results[index] = failure.map { .failure($0) } ?? .success((tensor, checksum.hexDigest()))
            }
        }
        return results.values
    }

    /// The bytes read (and then hashed) at a time: small enough to stay in
    /// the cache in between.
    static let readChunk = 512 << 10

    /// The manifest from `__metadata__`, after its own checksum.
    static func readManifest(
        _ metadata: [String: String]
    ) throws(CheckpointError.Problem) -> (CheckpointManifest, CheckpointManifest.DataRecord) {
        guard let text = metadata[manifestKey] else { throw .missingManifest }
        guard let recorded = metadata[manifestDigestKey], DataChecksum.isHexDigest(recorded) else {
            throw .missingManifestDigest
        }
        let bytes = Array(text.utf8)
        let actual = DataChecksum.hexDigest(of: bytes)
        guard actual == recorded else { throw .manifestDigestMismatch(expected: recorded, actual: actual) }
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes: bytes)
        } catch {
            throw .manifestNotJSON(error.line > 0 ? "line \(error.line), column \(error.column): \(error.message)" : error.message)
        }
        if let (path, key) = firstDuplicateKey(in: bytes) {
            throw .manifestInvalid(path: path.isEmpty ? "the manifest" : path.joined(separator: "."), problem: "duplicate key \(quoted(key))")
        }
        return try CheckpointManifest.parse(json)
    }
}
