#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import AnnealCheckpoint
import AnnealJSON
import AnnealPickle
import AnnealTensor

/// A Hugging Face Trainer checkpoint directory (`output_dir/checkpoint-500/`)
/// as an Anneal ``Checkpoint``: what `anneal train --resume checkpoint-500/`
/// restores.
///
/// Read: `trainer_state.json` (`global_step` is the step, `epoch` the epoch,
/// which must be whole: Anneal resumes at epoch boundaries; the whole file is
/// kept in the metadata as `trainer_state`), the model from
/// `model.safetensors` or `pytorch_model.bin`, `optimizer.pt` and
/// `scheduler.pt` (the Trainer's `LambdaLR`: its schedule comes from the
/// spec). Not read, and said so in ``Loaded/notes``: `rng_state.pth`
/// (Python's, NumPy's and PyTorch's generators, pickled with NumPy globals
/// that weights_only refuses; Anneal draws from its own generator) and
/// `training_args.bin` (a pickled `TrainingArguments` object, never loaded).
///
/// ```swift
/// let order = trainer.trainingState.namedParameters.map(\.name)   // the optimizer's index order
/// let loaded = try HuggingFaceCheckpoint.checkpoint(directory: "out/checkpoint-30", parameterNames: order)
/// try trainer.restore(from: loaded.checkpoint)
/// ```
public enum HuggingFaceCheckpoint {
    /// What ``checkpoint(directory:parameterNames:fallback:)`` read, and the
    /// files it left alone, one line each.
    public struct Loaded: Sendable {
        public var checkpoint: Checkpoint
        public var notes: [String]
    }

    /// Whether `path` is a directory with a `trainer_state.json`.
    public static func isCheckpointDirectory(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else { return false }
        return access(path + "/trainer_state.json", F_OK) == 0
    }

    /// The checkpoint in `directory`, its parameters named `parameterNames`
    /// in the optimizer's index order (PyTorch numbers them group after
    /// group; the Trainer's groups are the decaying parameters, then the
    /// rest). `fallback` gives the types the files do not (the Trainer's
    /// `LambdaLR` is any of transformers' schedules).
    ///
    /// - Throws: ``TorchStateError`` naming the file and the problem.
    public static func checkpoint(
        directory: String, parameterNames: [String], fallback: TorchTrainingState.FallbackTypes? = nil
    ) throws(TorchStateError) -> Loaded {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        func path(_ name: String) -> String { base + "/" + name }
        func fail(_ file: String, _ problem: String) -> TorchStateError { TorchStateError(file: path(file), problem: problem) }
        var notes: [String] = []

        // trainer_state.json: the counters.
        let trainerState: JSONValue
        do {
            trainerState = try JSONValue.load(contentsOf: path("trainer_state.json"))
        } catch {
            throw fail("trainer_state.json", "\(error)")
        }
        guard case .int(let step)? = trainerState["global_step"], step >= 0 else {
            throw fail("trainer_state.json", "\"global_step\" is missing or not a non-negative int")
        }
        let epoch: Int
        switch trainerState["epoch"] {
        case .int(let value)? where value >= 0: epoch = value
        case .double(let value)? where value >= 0:
            guard let whole = Int(exactly: value) else {
                throw fail("trainer_state.json", "\"epoch\" is \(value): Anneal resumes at the end of an epoch (save_strategy=\"epoch\")")
            }
            epoch = whole
        default: throw fail("trainer_state.json", "\"epoch\" is missing or not a non-negative number")
        }

        // The model, by name.
        let model: [String: Tensor]
        if access(path("model.safetensors"), F_OK) == 0 {
            model = try safetensorsTensors(path("model.safetensors"))
        } else if access(path("pytorch_model.bin"), F_OK) == 0 {
            let file = try torchFile(path("pytorch_model.bin"))
            guard case .dict(let dict) = file.root.plainDict else {
                throw fail("pytorch_model.bin", "holds a \(file.root.pythonTypeName), not a state_dict")
            }
            let reader = StateReader(file: file)
            var tensors: [String: Tensor] = [:]
            for (key, value) in dict.entries {
                guard case .string(let name) = key else { throw fail("pytorch_model.bin", "a key that is not a str") }
                tensors[name] = try reader.float32Tensor(value, at: "[\(quoted(name))]")
            }
            model = tensors
        } else if access(path("model.safetensors.index.json"), F_OK) == 0 {
            throw fail("model.safetensors.index.json", "a sharded model, which Anneal does not read")
        } else {
            throw fail("model.safetensors", "missing (and no pytorch_model.bin)")
        }
        let expected = Set(parameterNames)
        if let extra = model.keys.sorted().first(where: { !expected.contains($0) }) {
            throw fail(
                "model.safetensors", "the checkpoint has \(quoted(extra)), the model none of that name (the model's: \(parameterNames.joined(separator: ", ")))")
        }
        if let missing = parameterNames.first(where: { model[$0] == nil }) {
            throw fail("model.safetensors", "the model's parameter \(quoted(missing)) is not in the checkpoint")
        }
        var tensors: [String: Tensor] = [:]
        var parameters: [CheckpointManifest.ParameterRecord] = []
        for name in parameterNames {
            parameters.append(.init(name: name, shape: model[name]!.shape))
            tensors[CheckpointManifest.modelTensorName(name)] = model[name]!
        }

        // optimizer.pt and scheduler.pt.
        let optimizerFile = try torchFile(path("optimizer.pt"))
        var optimizerReader = StateReader(file: optimizerFile)
        optimizerReader.fallback = fallback
        let optimizer = try optimizerReader.readOptimizer(
            optimizerFile.root, at: "optimizer.pt", type: nil, modelCount: parameterNames.count, into: &tensors)
        var schedulers: [CheckpointManifest.SchedulerRecord] = []
        if access(path("scheduler.pt"), F_OK) == 0 {
            let file = try torchFile(path("scheduler.pt"))
            var reader = StateReader(file: file)
            reader.fallback = fallback
            let state = try reader.json(file.root, at: "scheduler.pt")
            guard case .object(let object) = state else { throw fail("scheduler.pt", "holds a \(file.root.pythonTypeName), not a state_dict") }
            schedulers.append(.init(type: try reader.schedulerType(object, index: 0, of: 1, given: nil, at: "scheduler.pt"), state: state))
        }
        if access(path("rng_state.pth"), F_OK) == 0 {
            notes.append("\(path("rng_state.pth")): not read (Python's, NumPy's and PyTorch's generators; Anneal draws from its own)")
        }
        if access(path("training_args.bin"), F_OK) == 0 {
            notes.append("\(path("training_args.bin")): not read (a pickled TrainingArguments object; the spec gives the setup)")
        }
        let manifest = CheckpointManifest(
            step: step, epoch: epoch, parameters: parameters, optimizer: optimizer, schedulers: schedulers,
            metadata: ["trainer_state": trainerState])
        var checkpoint = Checkpoint(manifest: manifest, tensors: tensors)
        checkpoint.source = base
        return Loaded(checkpoint: checkpoint, notes: notes)
    }

    private static func torchFile(_ path: String) throws(TorchStateError) -> TorchFile {
        do {
            return try TorchFile(contentsOf: path)
        } catch {
            throw TorchStateError(file: path, problem: "\(error.problem)")
        }
    }

    /// The float32 tensors of a plain safetensors file (Hugging Face's
    /// `model.safetensors`), the header validated as Anneal's own files are.
    static func safetensorsTensors(_ path: String) throws(TorchStateError) -> [String: Tensor] {
        let bytes = try readFile(path)
        let header: SafetensorsHeader
        do {
            header = try SafetensorsHeader.decode(bytes, file: path)
        } catch {
            throw TorchStateError(file: path, problem: "\(error.problem)")
        }
        var tensors: [String: Tensor] = [:]
        for entry in header.entries {
            guard entry.dtype == .f32 else {
                throw TorchStateError(file: path, problem: "tensor \(quoted(entry.name)) is \(entry.dtype.rawValue); Anneal checkpoints hold F32 tensors")
            }
            let start = header.dataStart + entry.dataOffsets.lowerBound
            let count = entry.dataOffsets.count / 4
            let values = bytes.withUnsafeBytes { raw in
                (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * $0, as: UInt32.self))) }
            }
            tensors[entry.name] = Tensor(shape: entry.shape, scalars: values)
        }
        return tensors
    }

    private static func readFile(_ path: String) throws(TorchStateError) -> [UInt8] {
        guard let handle = fopen(path, "rb") else {
            throw TorchStateError(file: path, problem: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
            if count < chunk.count {
                if ferror(handle) != 0 { throw TorchStateError(file: path, problem: "cannot read the file: \(String(cString: strerror(errno)))") }
                return bytes
            }
        }
    }
}

extension PickleValue {
    /// A dict or OrderedDict as a plain dict (a state_dict is an OrderedDict).
    var plainDict: PickleValue {
        if case .orderedDict(let dict, _) = self { return .dict(dict) }
        return self
    }
}

// MARK: - Writing

extension HuggingFaceCheckpoint {
    /// Writes `checkpoint` as a Trainer checkpoint directory that
    /// `Trainer.train(resume_from_checkpoint=directory)` continues from:
    /// `model.safetensors` (float32, `format` `pt`), `optimizer.pt` (the
    /// optimizer's `state_dict()`), `scheduler.pt` (the one scheduler's) and
    /// `trainer_state.json` (the resumed run's, kept in the metadata as
    /// `trainer_state`, with `global_step` and `epoch` brought up to date).
    /// No `rng_state.pth` (the Trainer then seeds as it was told) and no
    /// `training_args.bin`. Each file is written crash-safely.
    ///
    /// - Throws: ``TorchStateError`` for a checkpoint without an optimizer,
    ///   with other than one scheduler or without a trainer state, or a file
    ///   that cannot be written.
    public static func write(_ checkpoint: Checkpoint, to directory: String) throws(TorchStateError) {
        let manifest = checkpoint.manifest
        func fail(_ problem: String) -> TorchStateError { TorchStateError(file: directory, problem: problem) }
        guard manifest.optimizer != nil else { throw fail("a Hugging Face checkpoint needs the optimizer's state") }
        guard manifest.schedulers.count == 1 else {
            throw fail("a Hugging Face checkpoint holds one scheduler, this run has \(manifest.schedulers.count)")
        }
        guard case .object(var trainerState)? = manifest.metadata["trainer_state"] else {
            throw fail("no trainer_state to write (only a run resumed from a Hugging Face checkpoint has one)")
        }
        do {
            try CheckpointStore.makeDirectories(directory)
        } catch {
            throw fail("\(error.problem)")
        }
        // model.safetensors
        let names = manifest.parameters.map(\.name)
        let header = SafetensorsHeader(
            tensors: names.map { (name: $0, dtype: .f32, shape: checkpoint.tensors[CheckpointManifest.modelTensorName($0)]!.shape) },
            metadata: ["format": "pt"])
        var bytes = header.encoded()
        for entry in header.entries {
            for value in checkpoint.tensors[CheckpointManifest.modelTensorName(entry.name)]!.scalars {
                let bits = value.bitPattern
                for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
            }
        }
        try writeAtomically(bytes, to: directory + "/model.safetensors")
        // optimizer.pt, scheduler.pt
        let (root, storages) = TorchTrainingState.torchTree(of: checkpoint)
        for (key, file) in [("optimizer", "optimizer.pt"), ("scheduler", "scheduler.pt")] {
            do {
                try TorchFileWriter.write(root[key]!, storages: storages, to: directory + "/" + file, archiveName: String(file.dropLast(3)))
            } catch {
                throw TorchStateError(file: error.file, problem: "\(error.problem)")
            }
        }
        // trainer_state.json
        trainerState["global_step"] = .int(manifest.step)
        trainerState["epoch"] = .double(Double(manifest.epoch))
        do {
            try JSONValue.object(trainerState).write(toFile: directory + "/trainer_state.json", indent: 2)
        } catch {
            throw TorchStateError(file: directory + "/trainer_state.json", problem: "\(error)")
        }
    }

    private static func writeAtomically(_ bytes: [UInt8], to path: String) throws(TorchStateError) {
        var writer: AtomicFileWriter
        do {
            writer = try AtomicFileWriter(path: path)
        } catch {
            throw TorchStateError(file: path, problem: "\(error.problem)")
        }
        do throws(CheckpointError) {
            let result: Result<Void, CheckpointError> = bytes.withUnsafeBytes { buffer in
                Result { () throws(CheckpointError) in try writer.write(buffer) }
            }
            try result.get()
            try writer.commit()
        } catch {
            writer.abandon()
            throw TorchStateError(file: path, problem: "\(error.problem)")
        }
    }
}
