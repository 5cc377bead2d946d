import AnnealTensor
import Dispatch

extension Checkpoint {
    /// Everything a writer needs, computed once: the header (with the
    /// manifest and the checksums) and the tensors in data order.
    struct EncodingPlan {
        var header: SafetensorsHeader
        var tensors: [Tensor]
        /// The data section's size.
        var dataSize: Int { header.dataSize }
    }

    /// Hashes the tensors, writes the manifest and lays out the header.
    func encodingPlan() -> EncodingPlan {
        let ordered = orderedTensors
        let digests = ResultSlots<String, Never>(count: ordered.count)
        let workers = workerAssignment(ordered.map { $0.tensor.count * 4 })
        DispatchQueue.concurrentPerform(iterations: workers.count) { worker in
            for index in workers[worker] {
                let checksum = DataChecksum()
                withLittleEndianBytes(of: ordered[index].tensor) { checksum.update($0) }
                digests[index] = .success(checksum.hexDigest())
            }
        }
        var checksums: [String: String] = [:]
        for (index, (name, _)) in ordered.enumerated() {
            checksums[name] = digests[index]!.get()
        }
        let data = CheckpointManifest.DataRecord(bytes: ordered.reduce(0) { $0 + $1.tensor.count * 4 }, checksums: checksums)
        let manifestText = manifest.json(data: data).serialized()
        let metadata = [
            Checkpoint.manifestKey: manifestText,
            Checkpoint.manifestDigestKey: DataChecksum.hexDigest(of: Array(manifestText.utf8)),
        ]
        let header = SafetensorsHeader(
            tensors: ordered.map { ($0.name, .f32, $0.tensor.shape) }, metadata: metadata)
        return EncodingPlan(header: header, tensors: ordered.map(\.tensor))
    }

    /// The whole file, as ``write(to:)`` writes it: the same checkpoint
    /// always gives the same bytes.
    public func encoded() -> [UInt8] {
        let plan = encodingPlan()
        var out = plan.header.encoded()
        out.reserveCapacity(out.count + plan.dataSize)
        for tensor in plan.tensors {
            withLittleEndianBytes(of: tensor) { out += $0 }
        }
        return out
    }

    /// The `__metadata__` key of the manifest.
    public static let manifestKey = "anneal"
    /// The `__metadata__` key of the manifest's XXH3-128.
    public static let manifestDigestKey = "anneal.xxh3_128"
}
