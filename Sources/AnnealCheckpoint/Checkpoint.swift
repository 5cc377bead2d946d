import Dispatch
import AnnealTensor

/// One checkpoint: the ``CheckpointManifest`` and the float32 tensors it
/// names (`model.<name>`, `optim.state.<index>.<key>`).
///
/// A checkpoint file is a safetensors file (see ``SafetensorsHeader``)
/// whose `__metadata__` holds two strings:
///
/// - `anneal`: the manifest's JSON, keys sorted, with the data section's
///   size and XXH3-128 checksum (``CheckpointManifest/DataRecord``);
/// - `anneal.xxh3_128`: the XXH3-128 of that JSON text's UTF-8 bytes.
///
/// So every byte that carries meaning is covered by a checksum: the data by
/// the manifest's, the manifest by its own, and the tensor table by the
/// manifest (each tensor's name, dtype and shape must be what it lists).
/// Only JSON whitespace (the header's padding) is left free.
///
/// ```swift
/// let checkpoint = try Checkpoint.read(from: "run/checkpoint-00000042.safetensors")
/// checkpoint.manifest.step                       // 42
/// checkpoint.parameter(named: "0.weight")?.shape // [32, 1]
/// ```
public struct Checkpoint: Sendable, Equatable {
    /// Counters, model layout, optimizer, schedulers, RNG and user metadata.
    public private(set) var manifest: CheckpointManifest
    /// Every tensor of ``CheckpointManifest/tensorTable``, by its name in the file.
    public private(set) var tensors: [String: Tensor]
    /// The file it was read from, for messages (`"checkpoint"` when built in
    /// memory). Not part of equality.
    public var source = "checkpoint"
    /// The data section's size and checksum as the file recorded them (set
    /// by the readers, `nil` for a checkpoint built in memory). Not part of equality.
    public internal(set) var data: CheckpointManifest.DataRecord?

    /// Equal manifests and tensors, wherever they came from.
    public static func == (lhs: Checkpoint, rhs: Checkpoint) -> Bool {
        lhs.manifest == rhs.manifest && lhs.tensors == rhs.tensors
    }

    /// A checkpoint of `manifest` and `tensors`; `tensors` must hold exactly
    /// the names of `manifest.tensorTable`, with those shapes.
    public init(manifest: CheckpointManifest, tensors: [String: Tensor]) {
        let table = manifest.tensorTable
        precondition(
            table.count == tensors.count,
            "the manifest lists \(table.count) tensors, \(tensors.count) given: \(Set(table.map(\.name)).symmetricDifference(tensors.keys).sorted())")
        for (name, shape) in table {
            guard let tensor = tensors[name] else { preconditionFailure("tensor '\(name)' of the manifest is missing") }
            precondition(tensor.shape == shape, "tensor '\(name)' has shape \(tensor.shape), the manifest says \(shape)")
        }
        self.manifest = manifest
        self.tensors = tensors
    }

    /// Builds a checkpoint already checked against its manifest (readers).
    init(validatedManifest manifest: CheckpointManifest, tensors: [String: Tensor]) {
        self.manifest = manifest
        self.tensors = tensors
    }

    /// The value of the model parameter `name` (tensor `model.<name>`).
    public func parameter(named name: String) -> Tensor? {
        tensors[CheckpointManifest.modelTensorName(name)]
    }

    /// The optimizer state tensor `key` of parameter `index` (tensor `optim.state.<index>.<key>`).
    public func optimizerStateTensor(index: Int, key: String) -> Tensor? {
        tensors[CheckpointManifest.optimizerTensorName(index: index, key: key)]
    }

    /// The tensors in file order (by name), with their entries.
    var orderedTensors: [(name: String, tensor: Tensor)] {
        manifest.tensorTable.map { ($0.name, tensors[$0.name]!) }
    }
}

/// Calls `body` with the little-endian bytes of `tensor`'s elements.
func withLittleEndianBytes<R>(of tensor: Tensor, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    #if _endian(big)
    let swapped = tensor.scalars.map { $0.bitPattern.littleEndian }
    return try swapped.withUnsafeBytes(body)
    #else
    return try tensor.scalars.withUnsafeBytes(body)
    #endif
}

extension Checkpoint {
    /// This checkpoint with every tensor in storage of its own (see
    /// ``AnnealTensor/Tensor/ownScalars()``): a read checkpoint's tensors
    /// borrow the file's mapped pages until written. The copies are spread
    /// over a few threads.
    public func owningTensors() -> Checkpoint {
        let names = tensors.keys.filter { tensors[$0]!.isBorrowingScalars }.sorted()
        guard !names.isEmpty else { return self }
        let slots = ResultSlots<Tensor, Never>(count: names.count)
        let workers = workerAssignment(names.map { tensors[$0]!.count * MemoryLayout<Float>.size })
        DispatchQueue.concurrentPerform(iterations: workers.count) { worker in
            for index in workers[worker] {
                var tensor = tensors[names[index]]!
                tensor.ownScalars()
                slots[index] = .success(tensor)
            }
        }
        var copy = self
        for (name, result) in zip(names, slots.values) { copy.tensors[name] = result.get() }
        return copy
    }
}
