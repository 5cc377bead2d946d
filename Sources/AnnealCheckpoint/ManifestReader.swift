import AnnealJSON

/// Reads a manifest's JSON into a ``CheckpointManifest``, naming the key
/// path of the first field that is missing, of the wrong type or out of
/// range (`optimizer.state[1].index`).
struct ManifestReader {
    typealias Problem = CheckpointError.Problem

    func read(_ json: JSONValue) throws(Problem) -> (CheckpointManifest, CheckpointManifest.DataRecord) {
        let root = try object(json, at: "the manifest")
        guard let version = root["version"] else { throw .manifestInvalid(path: "version", problem: "missing") }
        guard version == .int(CheckpointManifest.version) else { throw .unsupportedVersion(version.serialized()) }
        try onlyKeys(
            root, ["data", "epoch", "format", "metadata", "model", "optimizer", "rng", "schedulers", "step", "version"],
            at: "the manifest")
        guard try string(root, "format", at: "") == CheckpointManifest.format else {
            throw .manifestInvalid(path: "format", problem: "is not \(quoted(CheckpointManifest.format))")
        }
        let step = try count(root, "step", at: "")
        let epoch = try count(root, "epoch", at: "")

        let model = try object(try field(root, "model", at: ""), at: "model")
        try onlyKeys(model, ["parameters"], at: "model")
        var parameters: [CheckpointManifest.ParameterRecord] = []
        var names: Set<String> = []
        try forEachRecord(in: model, "parameters", at: "model", keys: ["name", "shape"]) { (path, record) throws(Problem) in
            let name = try nonEmptyString(record, "name", at: path)
            guard names.insert(name).inserted else {
                throw .manifestInvalid(path: path + ".name", problem: "\(quoted(name)) appears twice")
            }
            parameters.append(.init(name: name, shape: try shape(try field(record, "shape", at: path), at: path + ".shape")))
        }

        let optimizer = try readOptimizer(try field(root, "optimizer", at: ""))

        var schedulers: [CheckpointManifest.SchedulerRecord] = []
        try forEachRecord(in: root, "schedulers", at: "", keys: ["state", "type"]) { (path, record) throws(Problem) in
            let type = try nonEmptyString(record, "type", at: path)
            schedulers.append(.init(type: type, state: try field(record, "state", at: path)))
        }

        var rng: CheckpointManifest.RNGRecord?
        let rngValue = try field(root, "rng", at: "")
        if !rngValue.isNull {
            let record = try object(rngValue, at: "rng")
            try onlyKeys(record, ["algorithm", "state"], at: "rng")
            let algorithm = try string(record, "algorithm", at: "rng")
            guard algorithm == CheckpointManifest.rngAlgorithm else {
                throw .manifestInvalid(path: "rng.algorithm", problem: "unknown algorithm \(quoted(algorithm)) (expected \(quoted(CheckpointManifest.rngAlgorithm)))")
            }
            let words = try array(try field(record, "state", at: "rng"), at: "rng.state")
            var state: [UInt64] = []
            for (index, word) in words.enumerated() {
                guard case .string(let text) = word, text.utf8.count == 16, let value = UInt64(text, radix: 16),
                    text == hexWord(value)
                else { throw .manifestInvalid(path: "rng.state[\(index)]", problem: "is not 16 lowercase hex digits") }
                state.append(value)
            }
            guard state.count == 4, state.contains(where: { $0 != 0 }) else {
                throw .manifestInvalid(path: "rng.state", problem: "xoshiro256** needs 4 words, not all zero; got \(words.count)")
            }
            rng = .init(state: state)
        }

        let metadata = try object(try field(root, "metadata", at: ""), at: "metadata")

        let dataObject = try object(try field(root, "data", at: ""), at: "data")
        try onlyKeys(dataObject, ["bytes", DataChecksum.algorithm], at: "data")
        let bytes = try count(dataObject, "bytes", at: "data")
        var checksums: [String: String] = [:]
        let checksumPath = "data." + DataChecksum.algorithm
        for (name, digest) in try object(try field(dataObject, DataChecksum.algorithm, at: "data"), at: checksumPath) {
            guard case .string(let text) = digest, DataChecksum.isHexDigest(text) else {
                throw .manifestInvalid(path: checksumPath + ".\(name)", problem: "is not 32 lowercase hex digits")
            }
            checksums[name] = text
        }
        let manifest = CheckpointManifest(
            step: step, epoch: epoch, parameters: parameters, optimizer: optimizer, schedulers: schedulers, rng: rng,
            metadata: metadata)
        return (manifest, .init(bytes: bytes, checksums: checksums))
    }

    private func readOptimizer(_ value: JSONValue) throws(Problem) -> CheckpointManifest.OptimizerRecord? {
        if value.isNull { return nil }
        let record = try object(value, at: "optimizer")
        try onlyKeys(record, ["param_groups", "state", "type"], at: "optimizer")
        let type = try string(record, "type", at: "optimizer")
        guard !type.isEmpty else { throw .manifestInvalid(path: "optimizer.type", problem: "is empty") }
        let groups = try array(try field(record, "param_groups", at: "optimizer"), at: "optimizer.param_groups")
        var next = 0
        for (index, group) in groups.enumerated() {
            let path = "optimizer.param_groups[\(index)]"
            let object = try object(group, at: path)
            let params = try array(try field(object, "params", at: path), at: path + ".params")
            for (position, param) in params.enumerated() {
                guard param == .int(next) else {
                    throw .manifestInvalid(
                        path: path + ".params[\(position)]",
                        problem: "is \(param.serialized()), expected \(next) (params number the parameters 0, 1, 2, ... in order)")
                }
                next += 1
            }
            guard object["lr"]?.doubleValue != nil else {
                throw .manifestInvalid(path: path + ".lr", problem: "missing or not a number")
            }
        }
        var state: [CheckpointManifest.OptimizerRecord.ParameterState] = []
        for (position, item) in try array(try field(record, "state", at: "optimizer"), at: "optimizer.state").enumerated() {
            let path = "optimizer.state[\(position)]"
            let entry = try object(item, at: path)
            try onlyKeys(entry, ["index", "scalars", "tensors"], at: path)
            let index = try count(entry, "index", at: path)
            guard index < next else {
                throw .manifestInvalid(path: path + ".index", problem: "\(index) is not a parameter of param_groups (\(next) parameters)")
            }
            if let previous = state.last, previous.index >= index {
                throw .manifestInvalid(path: path + ".index", problem: "\(index) does not follow \(previous.index) (indices increase)")
            }
            let scalars = try object(try field(entry, "scalars", at: path), at: path + ".scalars")
            var shapes: [String: [Int]] = [:]
            for (key, shapeValue) in try object(try field(entry, "tensors", at: path), at: path + ".tensors") {
                guard !key.isEmpty else { throw .manifestInvalid(path: path + ".tensors", problem: "has an empty key") }
                guard scalars[key] == nil else {
                    throw .manifestInvalid(path: path + ".tensors.\(key)", problem: "is also a scalar")
                }
                shapes[key] = try shape(shapeValue, at: path + ".tensors.\(key)")
            }
            state.append(.init(index: index, scalars: scalars, tensorShapes: shapes))
        }
        return .init(type: type, paramGroups: groups, state: state)
    }

    // MARK: Field readers

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    private func field(_ object: JSONObject, _ key: String, at path: String) throws(Problem) -> JSONValue {
        guard let value = object[key] else { throw .manifestInvalid(path: join(path, key), problem: "missing") }
        return value
    }

    private func object(_ value: JSONValue, at path: String) throws(Problem) -> JSONObject {
        guard case .object(let object) = value else {
            throw .manifestInvalid(path: path, problem: "is \(article(value.kindName)), not an object")
        }
        return object
    }

    private func array(_ value: JSONValue, at path: String) throws(Problem) -> [JSONValue] {
        guard case .array(let items) = value else {
            throw .manifestInvalid(path: path, problem: "is \(article(value.kindName)), not an array")
        }
        return items
    }

    /// Calls `body` with each element of the array under `key`, in order,
    /// once it is checked to be an object with only `keys`, and its path
    /// (`model.parameters[2]`).
    private func forEachRecord(
        in object: JSONObject, _ key: String, at path: String, keys: [String],
        _ body: (_ path: String, _ record: JSONObject) throws(Problem) -> Void
    ) throws(Problem) {
        let arrayPath = join(path, key)
        for (index, item) in try array(try field(object, key, at: path), at: arrayPath).enumerated() {
            let itemPath = "\(arrayPath)[\(index)]"
            let record = try self.object(item, at: itemPath)
            try onlyKeys(record, keys, at: itemPath)
            try body(itemPath, record)
        }
    }

    private func nonEmptyString(_ object: JSONObject, _ key: String, at path: String) throws(Problem) -> String {
        let value = try string(object, key, at: path)
        guard !value.isEmpty else { throw .manifestInvalid(path: path + "." + key, problem: "is empty") }
        return value
    }

    private func string(_ object: JSONObject, _ key: String, at path: String) throws(Problem) -> String {
        let value = try field(object, key, at: path)
        guard case .string(let text) = value else {
            throw .manifestInvalid(path: join(path, key), problem: "is \(article(value.kindName)), not a string")
        }
        return text
    }

    /// A non-negative integer.
    private func count(_ object: JSONObject, _ key: String, at path: String) throws(Problem) -> Int {
        let value = try field(object, key, at: path)
        guard case .int(let number) = value, number >= 0 else {
            throw .manifestInvalid(path: join(path, key), problem: "is \(value.serialized()), not a non-negative integer")
        }
        return number
    }

    private func shape(_ value: JSONValue, at path: String) throws(Problem) -> [Int] {
        var result: [Int] = []
        for dimension in try array(value, at: path) {
            guard case .int(let extent) = dimension, extent >= 0 else {
                throw .manifestInvalid(path: path, problem: "\(value.serialized()) is not a list of non-negative integers")
            }
            result.append(extent)
        }
        var elements = 1
        for extent in result {
            let (product, overflow) = elements.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= Int.max / 8 else {
                throw .manifestInvalid(path: path, problem: "\(value.serialized()) has too many elements")
            }
            elements = product
        }
        return result
    }

    private func onlyKeys(_ object: JSONObject, _ allowed: [String], at path: String) throws(Problem) {
        for key in object.keys where !allowed.contains(key) {
            throw .manifestInvalid(path: path == "the manifest" ? key : join(path, key), problem: "unknown key")
        }
    }
}
