import AnnealJSON

/// What a checkpoint holds besides its tensors' values: the `anneal`
/// manifest in the safetensors header's `__metadata__`.
///
/// Written as JSON with every object's keys sorted (so equal manifests give
/// equal bytes), version 1:
///
/// ```text
/// {"data": {"bytes": 1048, "xxh3_128": {"<tensor name>": "<32 hex digits: XXH3-128 of its bytes>", ...}},
///  "epoch": 3,
///  "format": "anneal-checkpoint",
///  "metadata": {...user JSON...},
///  "model": {"parameters": [{"name": "0.weight", "shape": [32, 1]}, ...]},
///  "optimizer": {"param_groups": [...optimizer.stateDict()["param_groups"]...],
///                "state": [{"index": 0, "scalars": {"step": 3}, "tensors": {"exp_avg": [32, 1]}}, ...],
///                "type": "AdamW"},                                   (or null)
///  "rng": {"algorithm": "xoshiro256**", "state": ["<16 hex digits>", x4]},   (or null)
///  "schedulers": [{"state": {...stateDict()...}, "type": "StepLR"}, ...],
///  "step": 42,
///  "version": 1}
/// ```
///
/// The tensors it implies (``tensorTable``) are `model.<name>` for each
/// parameter and `optim.state.<index>.<key>` for each optimizer state
/// tensor; a reader requires exactly those, with those shapes, in `F32`.
public struct CheckpointManifest: Sendable, Equatable {
    /// The `format` field.
    public static let format = "anneal-checkpoint"
    /// The manifest version this library writes and reads.
    public static let version = 1
    /// The only RNG algorithm a manifest records (``RNGRecord``).
    public static let rngAlgorithm = "xoshiro256**"

    /// Optimizer steps taken (the user's counter).
    public var step: Int
    /// Epochs completed (the user's counter).
    public var epoch: Int
    /// The model's parameters, in the model's (and the optimizer's) order.
    public var parameters: [ParameterRecord]
    /// The optimizer, or `nil` for a checkpoint of parameters only.
    public var optimizer: OptimizerRecord?
    /// Every scheduler's type and `stateDict()`, in stepping order.
    public var schedulers: [SchedulerRecord]
    /// The random generator's state, or `nil`.
    public var rng: RNGRecord?
    /// Anything the user wants to keep (free-form JSON).
    public var metadata: JSONObject

    /// A manifest; parameter names must be unique and non-empty.
    public init(
        step: Int, epoch: Int = 0, parameters: [ParameterRecord], optimizer: OptimizerRecord? = nil,
        schedulers: [SchedulerRecord] = [], rng: RNGRecord? = nil, metadata: JSONObject = [:]
    ) {
        precondition(step >= 0, "step must be >= 0, got \(step)")
        precondition(epoch >= 0, "epoch must be >= 0, got \(epoch)")
        var seen: Set<String> = []
        for parameter in parameters {
            precondition(!parameter.name.isEmpty, "a parameter needs a name")
            precondition(seen.insert(parameter.name).inserted, "duplicate parameter name '\(parameter.name)'")
        }
        self.step = step
        self.epoch = epoch
        self.parameters = parameters
        self.optimizer = optimizer
        self.schedulers = schedulers
        self.rng = rng
        self.metadata = metadata
    }

    /// One model parameter: its name (as `named_parameters()` gives it) and shape.
    public struct ParameterRecord: Sendable, Equatable {
        /// The name, e.g. `"0.weight"`; its tensor is `model.<name>`.
        public var name: String
        /// The shape.
        public var shape: [Int]
        /// A record.
        public init(name: String, shape: [Int]) {
            self.name = name
            self.shape = shape
        }
    }

    /// The optimizer: PyTorch's class name, `state_dict()["param_groups"]`,
    /// and the per-parameter state (scalars here, tensors in the file).
    public struct OptimizerRecord: Sendable, Equatable {
        /// `"SGD"`, `"Adam"`, `"AdamW"`, `"RMSprop"`.
        public var type: String
        /// `optimizer.stateDict()["param_groups"]`: one object per group,
        /// `params` numbering the parameters 0, 1, 2, ... in order.
        public var paramGroups: [JSONValue]
        /// The state of each parameter that has one, by increasing index.
        public var state: [ParameterState]

        /// A record.
        public init(type: String, paramGroups: [JSONValue], state: [ParameterState] = []) {
            self.type = type
            self.paramGroups = paramGroups
            self.state = state
        }

        /// The number of parameters over all groups.
        public var parameterCount: Int { paramGroups.reduce(0) { $0 + ($1["params"]?.arrayValue?.count ?? 0) } }

        /// `state[index]`: its non-tensor values, and its tensors' shapes by key.
        public struct ParameterState: Sendable, Equatable {
            /// The parameter's index (PyTorch's state key).
            public var index: Int
            /// Values that are not tensors (numbers, booleans, `null`), by key.
            public var scalars: JSONObject
            /// The shape of each state tensor, by key; the tensor is `optim.state.<index>.<key>`.
            public var tensorShapes: [String: [Int]]
            /// A record.
            public init(index: Int, scalars: JSONObject = [:], tensorShapes: [String: [Int]] = [:]) {
                self.index = index
                self.scalars = scalars
                self.tensorShapes = tensorShapes
            }
        }
    }

    /// A scheduler: PyTorch's class name and its `stateDict()`.
    public struct SchedulerRecord: Sendable, Equatable {
        /// E.g. `"StepLR"`.
        public var type: String
        /// `scheduler.stateDict()`.
        public var state: JSONValue
        /// A record.
        public init(type: String, state: JSONValue) {
            self.type = type
            self.state = state
        }
    }

    /// The random generator's state: xoshiro256**'s four words.
    public struct RNGRecord: Sendable, Equatable {
        /// Always ``CheckpointManifest/rngAlgorithm``.
        public var algorithm: String
        /// The four state words (not all zero).
        public var state: [UInt64]
        /// A record of xoshiro256** `state`.
        public init(state: [UInt64]) {
            precondition(state.count == 4 && state.contains { $0 != 0 }, "xoshiro256** state must be 4 words, not all zero, got \(state)")
            self.algorithm = CheckpointManifest.rngAlgorithm
            self.state = state
        }
    }

    /// The name of a model parameter's tensor: `model.<name>`.
    public static func modelTensorName(_ name: String) -> String { "model." + name }

    /// The name of an optimizer state tensor: `optim.state.<index>.<key>`.
    public static func optimizerTensorName(index: Int, key: String) -> String { "optim.state.\(index).\(key)" }

    /// Every tensor the file must hold, with its shape, in name order.
    public var tensorTable: [(name: String, shape: [Int])] {
        var table = parameters.map { (name: Self.modelTensorName($0.name), shape: $0.shape) }
        for entry in optimizer?.state ?? [] {
            for (key, shape) in entry.tensorShapes {
                table.append((Self.optimizerTensorName(index: entry.index, key: key), shape))
            }
        }
        return table.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }
}

// MARK: - JSON

extension CheckpointManifest {
    /// The data section's size and its tensors' XXH3-128 checksums, which the manifest records.
    public struct DataRecord: Sendable, Equatable {
        /// The data section's size in bytes.
        public var bytes: Int
        /// Each tensor's XXH3-128 (of its bytes in the data section), 32
        /// lowercase hex digits (canonical, big-endian), by tensor name.
        public var checksums: [String: String]
    }

    /// The manifest as JSON, every object's keys sorted, with `data`.
    public func json(data: DataRecord) -> JSONValue {
        var root: JSONObject = [:]
        var checksums: JSONObject = [:]
        for (name, digest) in data.checksums { checksums[name] = .string(digest) }
        root["data"] = ["bytes": .int(data.bytes), DataChecksum.algorithm: .object(checksums)]
        root["epoch"] = .int(epoch)
        root["format"] = .string(Self.format)
        root["metadata"] = .object(metadata)
        root["model"] = [
            "parameters": .array(parameters.map { ["name": .string($0.name), "shape": shapeJSON($0.shape)] })
        ]
        if let optimizer {
            root["optimizer"] = [
                "param_groups": .array(optimizer.paramGroups),
                "state": .array(
                    optimizer.state.map { entry in
                        var shapes: JSONObject = [:]
                        for (key, shape) in entry.tensorShapes { shapes[key] = shapeJSON(shape) }
                        return ["index": .int(entry.index), "scalars": .object(entry.scalars), "tensors": .object(shapes)]
                    }),
                "type": .string(optimizer.type),
            ]
        } else {
            root["optimizer"] = .null
        }
        if let rng {
            root["rng"] = [
                "algorithm": .string(rng.algorithm),
                "state": .array(rng.state.map { .string(hexWord($0)) }),
            ]
        } else {
            root["rng"] = .null
        }
        root["schedulers"] = .array(schedulers.map { ["state": $0.state, "type": .string($0.type)] })
        root["step"] = .int(step)
        root["version"] = .int(Self.version)
        return canonicalJSON(.object(root))
    }

    /// Reads a manifest written by ``json(data:)``, checking every field.
    ///
    /// - Throws: ``CheckpointError/Problem/unsupportedVersion(_:)`` for a
    ///   version other than ``version``, and
    ///   ``CheckpointError/Problem/manifestInvalid(path:problem:)`` with the
    ///   key path for anything else.
    public static func parse(_ json: JSONValue) throws(CheckpointError.Problem) -> (CheckpointManifest, DataRecord) {
        try ManifestReader().read(json)
    }
}

/// `[2, 3]` as JSON.
func shapeJSON(_ shape: [Int]) -> JSONValue { .array(shape.map(JSONValue.int)) }

/// `word` as 16 lowercase hexadecimal digits.
func hexWord(_ word: UInt64) -> String {
    let digits = String(word, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}

/// `value` with every object's keys sorted by their UTF-8 bytes, at every
/// depth: the manifest's layout does not depend on insertion order.
public func canonicalJSON(_ value: JSONValue) -> JSONValue {
    switch value {
    case .array(let items): return .array(items.map(canonicalJSON))
    case .object(let object):
        let pairs = object.map { ($0.key, canonicalJSON($0.value)) }
            .sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
        return .object(JSONObject(pairs))
    default: return value
    }
}
