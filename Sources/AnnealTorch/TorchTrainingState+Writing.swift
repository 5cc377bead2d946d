import AnnealCheckpoint
import AnnealJSON
import AnnealPickle
import AnnealTensor

extension TorchTrainingState {
    /// The torch.save tree of `checkpoint`, each part as PyTorch 2.13's
    /// `load_state_dict` takes it, with the storages it references:
    ///
    /// ```python
    /// {"model": OrderedDict(name -> float32 tensor),
    ///  "optimizer": {"state": {index: {key: tensor or None}}, "param_groups": [...]},   # or None
    ///  "optimizer_type": "AdamW",                                                     # or None
    ///  "scheduler": state_dict,                                # only with exactly one scheduler
    ///  "schedulers": [{"type": "StepLR", "state": state_dict}, ...],
    ///  "step": 100, "epoch": 4, "rng": [w0, w1, w2, w3] or None, "metadata": {...}}
    /// ```
    ///
    /// the layout `Scripts/torch_checkpoint.py import` gives, plus
    /// `scheduler` for the tutorials' `scheduler.load_state_dict(ckpt["scheduler"])`.
    /// Python's types come back where JSON lost them: `betas`, `etas`,
    /// `step_sizes` and a list `eps` of a param group are tuples, a
    /// scheduler's `milestones` a `Counter` with int keys, the optimizer
    /// state's keys ints; `step` stays the 0-dimensional float32 tensor
    /// PyTorch keeps.
    ///
    /// ```swift
    /// let (root, storages) = TorchTrainingState.torchTree(of: try Checkpoint.read(from: "c.safetensors"))
    /// try TorchFileWriter.write(root, storages: storages, to: "c.pt")
    /// ```
    public static func torchTree(of checkpoint: Checkpoint) -> (root: PickleValue, storages: StorageBytes) {
        var builder = TreeBuilder()
        let manifest = checkpoint.manifest
        var model = PickleDict()
        for parameter in manifest.parameters {
            let tensor = checkpoint.tensors[CheckpointManifest.modelTensorName(parameter.name)]!
            model[.string(parameter.name)] = builder.tensor(tensor)
        }
        var top = PickleDict()
        top["model"] = .orderedDict(model, attributes: PickleDict())
        if let optimizer = manifest.optimizer {
            var state = PickleDict()
            for entry in optimizer.state {
                var values: [(String, PickleValue)] = entry.scalars.keys.map { ($0, pickle(entry.scalars[$0]!)) }
                for key in entry.tensorShapes.keys {
                    let name = CheckpointManifest.optimizerTensorName(index: entry.index, key: key)
                    values.append((key, builder.tensor(checkpoint.tensors[name]!)))
                }
                values.sort { $0.0 < $1.0 }
                state[.int(entry.index)] = .dict(PickleDict(values.map { (.string($0.0), $0.1) }))
            }
            let groups = optimizer.paramGroups.map(paramGroup)
            top["optimizer"] = .dict(PickleDict([(.string("state"), .dict(state)), (.string("param_groups"), .list(groups))]))
            top["optimizer_type"] = .string(optimizer.type)
        } else {
            top["optimizer"] = PickleValue.none
            top["optimizer_type"] = PickleValue.none
        }
        if manifest.schedulers.count == 1 { top["scheduler"] = schedulerState(manifest.schedulers[0].state) }
        top["schedulers"] = .list(
            manifest.schedulers.map { record in
                .dict(PickleDict([(.string("type"), .string(record.type)), (.string("state"), schedulerState(record.state))]))
            })
        top["step"] = .int(manifest.step)
        top["epoch"] = .int(manifest.epoch)
        top["rng"] = manifest.rng.map { rng in .list(rng.state.map(pythonInt)) } ?? PickleValue.none
        top["metadata"] = pickle(.object(manifest.metadata))
        return (.dict(top), builder.storages)
    }

    /// JSON as Python's values: arrays as lists, objects as dicts.
    static func pickle(_ value: JSONValue) -> PickleValue {
        switch value {
        case .null: .none
        case .bool(let bool): .bool(bool)
        case .int(let int): .int(int)
        case .double(let double): .float(double)
        case .string(let string): .string(string)
        case .array(let items): .list(items.map(pickle))
        case .object(let object): .dict(PickleDict(object.keys.map { (.string($0), pickle(object[$0]!)) }))
        }
    }

    /// A param group: its pairs as tuples, as the constructors make them.
    static func paramGroup(_ group: JSONValue) -> PickleValue {
        guard case .object(let object) = group else { return pickle(group) }
        let pairs: Set<String> = ["betas", "etas", "step_sizes", "eps"]
        return .dict(
            PickleDict(
                object.keys.map { key in
                    let value = object[key]!
                    if pairs.contains(key), case .array(let items) = value { return (.string(key), .tuple(items.map(pickle))) }
                    return (.string(key), pickle(value))
                }))
    }

    /// A scheduler's state, at any depth (SequentialLR's children):
    /// `milestones` as the `Counter` MultiStepLR keeps.
    static func schedulerState(_ state: JSONValue) -> PickleValue {
        switch state {
        case .object(let object):
            return .dict(
                PickleDict(
                    object.keys.map { key in
                        let value = object[key]!
                        if key == "milestones", case .object(let counts) = value,
                            counts.keys.allSatisfy({ Int($0) != nil })
                        {
                            return (.string(key), .counter(PickleDict(counts.keys.map { (.int(Int($0)!), pickle(counts[$0]!)) })))
                        }
                        return (.string(key), schedulerState(value))
                    }))
        case .array(let items): return .list(items.map(schedulerState))
        default: return pickle(state)
        }
    }

    /// An unsigned 64-bit word as a Python int (past `Int.max` a long).
    static func pythonInt(_ word: UInt64) -> PickleValue {
        if let int = Int(exactly: word) { return .int(int) }
        return .bigInt(PythonInt(twosComplement: (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) } + [0]))
    }
}

/// Tensors as contiguous float32 storages keyed "0", "1", ... in the
/// order the tree meets them (as torch.save numbers them).
private struct TreeBuilder {
    var storages = StorageBytes()
    var next = 0

    mutating func tensor(_ tensor: Tensor) -> PickleValue {
        let key = String(next)
        next += 1
        let scalars = tensor.scalars
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count * 4)
        for value in scalars {
            let bits = value.bitPattern
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
        }
        storages.bytes[key] = bytes
        var strides = [Int](repeating: 1, count: tensor.shape.count)
        var stride = 1
        for dimension in tensor.shape.indices.reversed() {
            strides[dimension] = stride
            stride *= max(tensor.shape[dimension], 1)
        }
        let storage = StorageReference(key: key, dtype: .float32, location: "cpu", count: scalars.count)
        return .tensor(TensorReference(storage: storage, storageOffset: 0, shape: tensor.shape, strides: strides))
    }
}
