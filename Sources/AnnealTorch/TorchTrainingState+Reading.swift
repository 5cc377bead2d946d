import Anneal
import AnnealCheckpoint
import AnnealJSON
import AnnealPickle
import AnnealTensor

/// Reads one torch.save'd training state into a ``Checkpoint``; every
/// error names the file and the entry (`model["fc1.weight"]`,
/// `optimizer["state"][3]["exp_avg"]`).
struct StateReader {
    let file: TorchFile
    /// The tree read: the file's, or a bare model state_dict wrapped as `{"model": ...}`.
    let root: PickleValue
    var fallback: TorchTrainingState.FallbackTypes?
    var stepWhenMissing: (Int) -> Int = { _ in 0 }

    init(file: TorchFile, root: PickleValue? = nil) {
        self.file = file
        self.root = root ?? file.root
    }

    private func fail(_ problem: String) -> TorchStateError { TorchStateError(file: file.file, problem: problem) }

    mutating func checkpoint(
        keys: TorchStateKeys, optimizerType: String?, schedulerTypes: [String]?
    ) throws(TorchStateError) -> Checkpoint {
        guard let top = Self.entries(root) else {
            throw fail("the file holds a \(root.pythonTypeName), not a dict of a training state (\"model\", \"optimizer\", ...)")
        }
        var used: Set<String> = []
        func part(_ names: [String]) -> (name: String, value: PickleValue)? {
            for name in names {
                if let value = top[.string(name)] {
                    used.insert(name)
                    return (name, value)
                }
            }
            return nil
        }
        // The model.
        // A bare model state_dict (Hugging Face's pytorch_model.bin) is a model alone.
        if part(keys.model) == nil, !top.isEmpty,
            top.entries.allSatisfy({ key, value in
                if case .string = key, case .tensor = value { return true }
                return false
            })
        {
            return try checkpoint(
                wrapping: file.root, keys: keys, optimizerType: optimizerType, schedulerTypes: schedulerTypes)
        }
        guard let (modelKey, modelValue) = part(keys.model) else {
            throw fail("no model state_dict: the dict has none of the keys \(quotedList(keys.model)) (its keys: \(describeKeys(top)))")
        }
        var tensors: [String: Tensor] = [:]
        var parameters: [CheckpointManifest.ParameterRecord] = []
        guard let model = Self.entries(modelValue) else {
            throw fail("\(modelKey) is a \(modelValue.pythonTypeName), not a state_dict")
        }
        for (key, value) in model.entries {
            guard case .string(let name) = key, !name.isEmpty else {
                throw fail("\(modelKey) has a key \(describe(key)); parameter names are non-empty strings")
            }
            let tensor = try float32Tensor(value, at: "\(modelKey)[\(quoted(name))]")
            parameters.append(.init(name: name, shape: tensor.shape))
            tensors[CheckpointManifest.modelTensorName(name)] = tensor
        }

        // The optimizer.
        var optimizer: CheckpointManifest.OptimizerRecord?
        // Anneal's layout names the optimizer's class (None without an optimizer).
        var savedType: String?
        if let saved = part(["optimizer_type"])?.value, saved != .none {
            guard case .string(let name) = saved else { throw fail("optimizer_type is a \(saved.pythonTypeName), not a str") }
            savedType = name
        }
        if let (optimizerKey, value) = part(keys.optimizer), value != .none {
            let type = optimizerType ?? savedType
            optimizer = try readOptimizer(value, at: optimizerKey, type: type, modelCount: parameters.count, into: &tensors)
        } else if optimizerType != nil || savedType != nil {
            throw fail("an optimizer type is given but the file has no optimizer state (none of \(quotedList(keys.optimizer)))")
        }

        // The schedulers: Anneal's list of {"type", "state"}, or states.
        var schedulers: [CheckpointManifest.SchedulerRecord] = []
        if let (key, value) = part(["schedulers"]), value != .none {
            guard case .list(let records) = value else { throw fail("schedulers is a \(value.pythonTypeName), not a list") }
            for (index, record) in records.enumerated() {
                let at = "schedulers[\(index)]"
                guard let entries = Self.entries(record), case .string(let type)? = entries[.string("type")],
                    let state = entries[.string("state")]
                else { throw fail("\(at) is not a dict with a str \"type\" and a \"state\"") }
                schedulers.append(.init(type: type, state: try json(state, at: "\(key)[\(index)][\"state\"]")))
            }
        }
        if let (key, value) = part(keys.scheduler), value != .none, !schedulers.isEmpty {
            // Anneal's layout repeats a single scheduler's state for the tutorials' code.
            guard schedulers.count == 1, try json(value, at: key) == schedulers[0].state else {
                throw fail("the file has both \"schedulers\" and \(quoted(key)), and they differ; keep one")
            }
        } else if let (key, value) = part(keys.scheduler), value != .none {
            let states: [(PickleValue, String)]
            if case .list(let list) = value {
                states = list.enumerated().map { ($1, "\(key)[\($0)]") }
            } else {
                states = [(value, key)]
            }
            for (index, (state, at)) in states.enumerated() {
                let object = try json(state, at: at)
                guard case .object(let stateObject) = object else {
                    throw fail("\(at) is a \(state.pythonTypeName), not a scheduler's state_dict")
                }
                schedulers.append(.init(type: try schedulerType(stateObject, index: index, of: states.count, given: schedulerTypes, at: at), state: object))
            }
        }
        if let schedulerTypes {
            guard schedulerTypes.count == schedulers.count else {
                throw fail("\(schedulerTypes.count) scheduler type\(schedulerTypes.count == 1 ? "" : "s") given, the file has \(schedulers.count) scheduler state\(schedulers.count == 1 ? "" : "s")")
            }
            for index in schedulers.indices { schedulers[index].type = schedulerTypes[index] }
        }
        let known = SchedulerRegistry.shared.names
        for (index, record) in schedulers.enumerated() where !known.contains(record.type) {
            throw fail("scheduler \(index) has the unknown type \(quoted(record.type)) (expected one of \(known.sorted().joined(separator: ", ")))")
        }

        // Counters, the generator, metadata.
        let epoch = try counter(part(keys.epoch))
        let stepPart = part(keys.step)
        let step = stepPart == nil || stepPart?.value == PickleValue.none ? max(0, stepWhenMissing(epoch)) : try counter(stepPart)
        var rng: CheckpointManifest.RNGRecord?
        if let (key, value) = part(["rng"]), value != .none { rng = try readRNG(value, at: key) }
        var metadata: JSONObject = [:]
        if let (key, value) = part(["metadata"]), value != .none {
            guard case .object(let object) = try json(value, at: key) else {
                throw fail("metadata is a \(value.pythonTypeName), not a dict")
            }
            metadata = object
        }
        // Whatever else the dict has is kept in the metadata.
        for (key, value) in top.entries {
            guard case .string(let name) = key else {
                throw fail("the top-level dict has a key \(describe(key)), which a checkpoint cannot keep")
            }
            guard !used.contains(name) else { continue }
            guard metadata[name] == nil else {
                throw fail("\(quoted(name)) is both a top-level entry and a key of metadata")
            }
            metadata[name] = try json(value, at: name)
        }
        let manifest = CheckpointManifest(
            step: step, epoch: epoch, parameters: parameters, optimizer: optimizer, schedulers: schedulers, rng: rng,
            metadata: metadata)
        return Checkpoint(manifest: manifest, tensors: tensors)
    }

    /// A bare model state_dict as the training state `{"model": root}`.
    private mutating func checkpoint(
        wrapping root: PickleValue, keys: TorchStateKeys, optimizerType: String?, schedulerTypes: [String]?
    ) throws(TorchStateError) -> Checkpoint {
        guard optimizerType == nil, schedulerTypes == nil else {
            throw fail("the file is a model's state_dict alone; it has no optimizer or scheduler to give a type")
        }
        let name = keys.model.first ?? "model"
        var reader = StateReader(file: file, root: .dict(PickleDict([(.string(name), root)])))
        reader.fallback = fallback
        reader.stepWhenMissing = stepWhenMissing
        return try reader.checkpoint(keys: keys, optimizerType: nil, schedulerTypes: nil)
    }

    // MARK: Parts

    func readOptimizer(
        _ value: PickleValue, at key: String, type given: String?, modelCount: Int, into tensors: inout [String: Tensor]
    ) throws(TorchStateError) -> CheckpointManifest.OptimizerRecord {
        guard let dict = Self.entries(value), let stateValue = dict[.string("state")],
            let groupsValue = dict[.string("param_groups")]
        else {
            throw fail("\(key) is not an optimizer's state_dict (a dict with \"state\" and \"param_groups\")")
        }
        guard case .list(let groupValues) = groupsValue else {
            throw fail("\(key)[\"param_groups\"] is a \(groupsValue.pythonTypeName), not a list")
        }
        var groups: [JSONValue] = []
        var next = 0
        for (index, group) in groupValues.enumerated() {
            let at = "\(key)[\"param_groups\"][\(index)]"
            guard case .object(let object) = try json(group, at: at), let params = object["params"]?.arrayValue else {
                throw fail("\(at) is not a dict with a list \"params\"")
            }
            // PyTorch numbers the parameters group after group from 0.
            for (position, param) in params.enumerated() {
                guard case .int(let number) = param, number == next else {
                    throw fail("\(at)[\"params\"][\(position)] is \(param), expected \(next) (PyTorch numbers parameters group after group from 0)")
                }
                next += 1
            }
            groups.append(.object(object))
        }
        guard next == modelCount else {
            throw fail("the optimizer has \(next) parameter\(next == 1 ? "" : "s"), the model state_dict \(modelCount) entr\(modelCount == 1 ? "y" : "ies"); a checkpoint pairs them in order (buffers such as BatchNorm's cannot be told from parameters)")
        }
        let type: String
        if let given {
            type = given
        } else if let first = groups.first?.objectValue, let inferred = TorchTrainingState.inferOptimizerType(first) {
            type = inferred
        } else if let fallback = fallback?.optimizer {
            type = fallback
        } else {
            throw fail("cannot tell the optimizer's type from its param groups' keys; name it (--optimizer-type)")
        }
        guard let kind = OptimizerKind(rawValue: type) else {
            throw fail("unknown optimizer type \(quoted(type)) (expected one of \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let states = Self.entries(stateValue) else {
            throw fail("\(key)[\"state\"] is a \(stateValue.pythonTypeName), not a dict")
        }
        var records: [CheckpointManifest.OptimizerRecord.ParameterState] = []
        for (indexValue, entryValue) in states.entries {
            guard case .int(let index) = indexValue, index >= 0, index < next else {
                throw fail("\(key)[\"state\"] has the key \(describe(indexValue)), not a parameter index from 0 to \(next - 1)")
            }
            let at = "\(key)[\"state\"][\(index)]"
            guard let entry = Self.entries(entryValue) else {
                throw fail("\(at) is a \(entryValue.pythonTypeName), not a dict")
            }
            var record = CheckpointManifest.OptimizerRecord.ParameterState(index: index)
            for (stateKey, stateValue) in entry.entries {
                guard case .string(let name) = stateKey, !name.isEmpty else {
                    throw fail("\(at) has the key \(describe(stateKey)), not a str")
                }
                if case .tensor = stateValue {
                    let tensor = try float32Tensor(stateValue, at: "\(at)[\(quoted(name))]")
                    record.tensorShapes[name] = tensor.shape
                    tensors[CheckpointManifest.optimizerTensorName(index: index, key: name)] = tensor
                } else {
                    record.scalars[name] = try json(stateValue, at: "\(at)[\(quoted(name))]")
                }
            }
            records.append(record)
        }
        records.sort { $0.index < $1.index }
        for (earlier, later) in zip(records, records.dropFirst()) where earlier.index == later.index {
            throw fail("\(key)[\"state\"] has parameter \(later.index) twice")
        }
        return .init(type: kind.rawValue, paramGroups: groups, state: records)
    }

    func schedulerType(
        _ state: JSONObject, index: Int, of count: Int, given: [String]?, at: String
    ) throws(TorchStateError) -> String {
        if let given {
            // Checked against the count by the caller.
            return index < given.count ? given[index] : ""
        }
        guard let type = TorchTrainingState.inferSchedulerType(state) else {
            if let fallback = fallback?.schedulers {
                guard fallback.count == count else {
                    throw fail("the file has \(count) scheduler state\(count == 1 ? "" : "s"), the live schedulers are [\(fallback.joined(separator: ", "))]")
                }
                return fallback[index]
            }
            if state["lr_lambdas"] != nil {
                throw fail("\(at) is a LambdaLR's or a MultiplicativeLR's state (the same keys); name it (--scheduler-type)")
            }
            throw fail("cannot tell the scheduler's type from \(at)'s keys (\(state.keys.joined(separator: ", "))); name it (--scheduler-type)")
        }
        return type
    }

    private func counter(_ part: (name: String, value: PickleValue)?) throws(TorchStateError) -> Int {
        guard let (name, value) = part, value != .none else { return 0 }
        let number: Int?
        switch value {
        case .int(let int): number = int
        case .tensor(let tensor) where tensor.shape.isEmpty:
            switch try? file.elements(of: tensor, limit: 1).first {
            case .signed(let int)?: number = Int(exactly: int)
            case .unsigned(let int)?: number = Int(exactly: int)
            default: number = nil
            }
        default: number = nil
        }
        guard let number, number >= 0 else {
            throw fail("\(name) is \(describe(value)), not an int from 0 to 2**63 - 1")
        }
        return number
    }

    private func readRNG(_ value: PickleValue, at key: String) throws(TorchStateError) -> CheckpointManifest.RNGRecord {
        guard case .list(let items) = value, items.count == 4 else {
            throw fail("\(key) is not a list of 4 ints (Anneal's xoshiro256** state)")
        }
        var words: [UInt64] = []
        for item in items {
            switch item {
            case .int(let int) where int >= 0: words.append(UInt64(int))
            case .bigInt(let big) where !big.isNegative && big.twosComplement.count <= 9:
                var word: UInt64 = 0
                for (index, byte) in big.twosComplement.prefix(8).enumerated() { word |= UInt64(byte) << (8 * UInt64(index)) }
                words.append(word)
            default: throw fail("\(key) holds \(describe(item)), not an unsigned 64-bit int")
            }
        }
        guard words.contains(where: { $0 != 0 }) else { throw fail("\(key) is all zeros, which xoshiro256** cannot have") }
        return .init(state: words)
    }

    // MARK: Values

    /// A tensor as a checkpoint holds it: float32, row-major.
    func float32Tensor(_ value: PickleValue, at: String) throws(TorchStateError) -> Tensor {
        guard case .tensor(let tensor) = value else {
            throw fail("\(at) is a \(value.pythonTypeName), not a tensor")
        }
        guard tensor.dtype == .float32 else {
            throw fail("\(at) is a \(tensor.dtype.torchName) tensor; Anneal checkpoints hold float32 tensors")
        }
        guard let count = tensor.elementCount else { throw fail("\(at) has too many elements") }
        // A contiguous little-endian float32 tensor of a stored record is borrowed
        // from the mapped file, not copied (until written).
        if tensor.isContiguous, count > 0, !file.isBigEndian, 1.littleEndian == 1,
            let (bytes, owner) = file.borrowedStorageBytes(tensor.storage),
            let base = bytes.baseAddress, (Int(bitPattern: base) + tensor.storageOffset * 4) % 4 == 0
        {
            let start = (base + tensor.storageOffset * 4).assumingMemoryBound(to: Float.self)
            return Tensor(shape: tensor.shape, borrowing: BorrowedScalars(UnsafeBufferPointer(start: start, count: count), owner: owner))
        }
        let values: [Float]?
        if tensor.isContiguous {
            values = file.withStorageBytes(tensor.storage) { bytes in
                let start = tensor.storageOffset * 4
                return (0..<count).map { index in
                    let bits = bytes.loadUnaligned(fromByteOffset: start + 4 * index, as: UInt32.self)
                    return Float(bitPattern: file.isBigEndian ? bits.byteSwapped : UInt32(littleEndian: bits))
                }
            }
        } else {
            let indices = file.storageIndices(of: tensor, limit: count)
            values = file.withStorageBytes(tensor.storage) { bytes in
                indices.map { index in
                    let bits = bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)
                    return Float(bitPattern: file.isBigEndian ? bits.byteSwapped : UInt32(littleEndian: bits))
                }
            }
        }
        guard let values else { throw fail("\(at): the storage data/\(tensor.storage.key) is missing") }
        return Tensor(shape: tensor.shape, scalars: values)
    }

    /// A state_dict value in the trace format's JSON, as Anneal's
    /// `stateDict()` writes one: tuples and lists as arrays, dicts (and
    /// Counters) as objects with their int keys as strings, 0-dimensional
    /// tensors as their number.
    func json(_ value: PickleValue, at: String, depth: Int = 0) throws(TorchStateError) -> JSONValue {
        guard depth < 64 else { throw fail("\(at) is nested more than 64 deep") }
        switch value {
        case .none: return .null
        case .bool(let bool): return .bool(bool)
        case .int(let int): return .int(int)
        case .float(let double): return .double(double)
        case .string(let string): return .string(string)
        case .bigInt(let big): throw fail("\(at) is the int \(big), beyond 64 bits")
        case .list(let items), .tuple(let items):
            var array: [JSONValue] = []
            array.reserveCapacity(items.count)
            for (index, item) in items.enumerated() { array.append(try json(item, at: "\(at)[\(index)]", depth: depth + 1)) }
            return .array(array)
        case .dict(let dict), .orderedDict(let dict, _), .counter(let dict):
            var object: JSONObject = [:]
            for (key, item) in dict.entries {
                let name: String
                switch key {
                case .string(let string): name = string
                case .int(let int): name = String(int)
                default: throw fail("\(at) has a key \(describe(key)), which JSON cannot keep")
                }
                guard object[name] == nil else { throw fail("\(at) has the key \(quoted(name)) twice (as an int and a str)") }
                object[name] = try json(item, at: "\(at)[\(quoted(name))]", depth: depth + 1)
            }
            return .object(object)
        case .tensor(let tensor) where tensor.shape.isEmpty:
            let element: TensorElement?
            do { element = try file.elements(of: tensor, limit: 1).first } catch { throw fail("\(at): \(error.problem)") }
            switch element {
            case .float(let double)?:
                return tensor.dtype == .float32 ? .double(Double(Float(double))) : .double(double)
            case .signed(let int)?: return .int(Int(int))
            case .unsigned(let int)?:
                guard let exact = Int(exactly: int) else { throw fail("\(at) is \(int), beyond Int64") }
                return .int(exact)
            case .bool(let bool)?: return .bool(bool)
            default: throw fail("\(at) is a \(tensor.dtype.torchName) scalar tensor, which JSON cannot keep")
            }
        default:
            throw fail("\(at) is a \(value.pythonTypeName), which a checkpoint cannot keep")
        }
    }

    // MARK: Helpers

    static func entries(_ value: PickleValue) -> PickleDict? {
        switch value {
        case .dict(let dict), .orderedDict(let dict, _): dict
        default: nil
        }
    }

    private func describe(_ value: PickleValue) -> String {
        switch value {
        case .string(let string): quoted(string)
        case .int(let int): String(int)
        case .bigInt(let big): big.description
        case .bool(let bool): bool ? "True" : "False"
        case .float(let double): "\(double)"
        case .none: "None"
        default: "a \(value.pythonTypeName)"
        }
    }

    private func describeKeys(_ dict: PickleDict) -> String {
        let shown = dict.keys.prefix(10).map(describe).joined(separator: ", ")
        return dict.count > 10 ? shown + ", ..." : (shown.isEmpty ? "none" : shown)
    }
}

func quoted(_ text: String) -> String { "\"\(text)\"" }

func quotedList(_ names: [String]) -> String { names.map(quoted).joined(separator: ", ") }
