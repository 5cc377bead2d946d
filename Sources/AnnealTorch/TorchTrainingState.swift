import Anneal
import AnnealCheckpoint
import AnnealJSON
import AnnealPickle
import AnnealTensor

/// A training state saved by `torch.save` as an Anneal ``Checkpoint``, and
/// back: the bridge `anneal checkpoint convert` and `anneal train --resume
/// FILE.pt` cross.
///
/// The torch side is a dict, as PyTorch's tutorials save one:
///
/// ```python
/// torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
///             "scheduler": scheduler.state_dict()}, "ckpt.pt")
/// ```
///
/// ``TorchStateKeys`` says where each part is (by default the first of the
/// usual names present: `model` or `model_state_dict` or `state_dict`, ...).
/// Anneal's own layout (what ``torchTree(of:)`` writes and
/// `Scripts/torch_checkpoint.py import` gives) is read too: `optimizer_type`,
/// `schedulers` (a list of `{"type", "state"}`), `step`, `rng` (xoshiro256**
/// words) and `metadata`. Every other top-level entry goes into the
/// checkpoint's metadata when it has a JSON form (a 0-dimensional tensor is
/// its number): nothing is dropped, and what cannot be kept is an error.
///
/// ```swift
/// let file = try TorchFile(contentsOf: "ckpt.pt")
/// let checkpoint = try TorchTrainingState.checkpoint(from: file)
/// try checkpoint.write(to: "ckpt.safetensors")
/// ```
///
/// What a checkpoint can hold bounds what converts: float32 tensors (a
/// model with a BatchNorm's int64 `num_batches_tracked` is refused, naming
/// the entry), model entries that are the optimizer's parameters in order
/// (the counts must agree), ints within 64 bits. An optimizer's or
/// scheduler's type is read from the file when it says (`optimizer_type`,
/// `schedulers`), given by the caller, or recognized from the state's keys
/// (``inferOptimizerType(_:)``, ``inferSchedulerType(_:)``); `LambdaLR` and
/// `MultiplicativeLR` have the same keys and must be named.
public enum TorchTrainingState {
    /// An Anneal checkpoint of the training state in `file`.
    ///
    /// - Parameters:
    ///   - keys: where the parts are in the top-level dict.
    ///   - optimizerType: the optimizer's class name, overriding the file's
    ///     `optimizer_type` and the inference from its param groups' keys.
    ///   - schedulerTypes: the schedulers' class names, one per scheduler
    ///     state, overriding the file's and the inference.
    ///   - fallback: the types to use where the file does not say and the
    ///     keys do not tell (a resume gives the spec's, so that a LambdaLR
    ///     state needs no naming); a type the file does say or the keys do
    ///     tell is kept, so a mismatch with the spec shows when restoring.
    ///   - stepWhenMissing: the step counter of a file without one, from its
    ///     epoch (a resume computes epoch × steps per epoch); 0 by default.
    /// - Throws: ``TorchStateError`` naming the file and the entry.
    public static func checkpoint(
        from file: TorchFile, keys: TorchStateKeys = TorchStateKeys(), optimizerType: String? = nil,
        schedulerTypes: [String]? = nil, fallback: FallbackTypes? = nil,
        stepWhenMissing: @escaping (Int) -> Int = { _ in 0 }
    ) throws(TorchStateError) -> Checkpoint {
        var reader = StateReader(file: file)
        reader.fallback = fallback
        reader.stepWhenMissing = stepWhenMissing
        return try reader.checkpoint(keys: keys, optimizerType: optimizerType, schedulerTypes: schedulerTypes)
    }

    /// Types for the optimizer and the schedulers (in order) when a file
    /// does not name them and their keys do not tell.
    public struct FallbackTypes: Sendable {
        public var optimizer: String?
        public var schedulers: [String]

        public init(optimizer: String?, schedulers: [String]) {
            self.optimizer = optimizer
            self.schedulers = schedulers
        }
    }

    /// The optimizer class whose `state_dict()["param_groups"]` has these
    /// keys (PyTorch 2.13's), or `nil` when none or several fit. Adam and
    /// AdamW share their keys: `decoupled_weight_decay` true is AdamW.
    ///
    /// ```swift
    /// TorchTrainingState.inferOptimizerType(["lr": 0.1, "momentum": 0.9, "dampening": 0, "nesterov": false])  // "SGD"
    /// ```
    public static func inferOptimizerType(_ group: JSONObject) -> String? {
        let has = { (key: String) in group[key] != nil }
        let kind: OptimizerKind
        if has("beta2_decay") {
            kind = .adafactor
        } else if has("momentum_decay") {
            kind = .nAdam
        } else if has("lambd") || has("t0") {
            kind = .asgd
        } else if has("etas") || has("step_sizes") {
            kind = .rprop
        } else if has("rho") {
            kind = .adadelta
        } else if has("lr_decay") || has("initial_accumulator_value") {
            kind = .adagrad
        } else if has("centered") || has("alpha") {
            kind = .rmsprop
        } else if has("nesterov") || has("dampening") {
            kind = .sgd
        } else if has("amsgrad") {
            kind = group["decoupled_weight_decay"]?.boolValue == true ? .adamW : .adam
        } else if has("betas") {
            // RAdam has decoupled_weight_decay, Adamax not.
            kind = has("decoupled_weight_decay") ? .rAdam : .adamax
        } else {
            return nil
        }
        return kind.rawValue
    }

    /// The scheduler class whose `state_dict()` has these keys (PyTorch
    /// 2.13's and SWALR's), or `nil` when none or several fit (`LambdaLR`
    /// and `MultiplicativeLR`: both keep only `lr_lambdas`).
    ///
    /// ```swift
    /// TorchTrainingState.inferSchedulerType(["step_size": 3, "gamma": 0.5, "last_epoch": 4])   // "StepLR"
    /// ```
    public static func inferSchedulerType(_ state: JSONObject) -> String? {
        let has = { (key: String) in state[key] != nil }
        if has("_schedulers") { return has("_milestones") ? "SequentialLR" : "ChainedScheduler" }
        if has("lr_lambdas") { return nil }
        let rules: [(key: String, type: String)] = [
            ("T_0", "CosineAnnealingWarmRestarts"), ("T_max", "CosineAnnealingLR"), ("_schedule_phases", "OneCycleLR"),
            ("max_lrs", "CyclicLR"), ("patience", "ReduceLROnPlateau"), ("milestones", "MultiStepLR"),
            ("step_size", "StepLR"), ("start_factor", "LinearLR"), ("power", "PolynomialLR"),
            ("anneal_epochs", "SWALR"), ("factor", "ConstantLR"), ("gamma", "ExponentialLR"),
        ]
        return rules.first { has($0.key) }?.type
    }
}

/// Where a torch.save'd training state keeps its parts: each is the first
/// of its names that the top-level dict has.
///
/// ```swift
/// TorchStateKeys(model: ["net"])   // ckpt["net"] is the model's state_dict
/// ```
public struct TorchStateKeys: Sendable, Equatable {
    /// The model's `state_dict()`: required.
    public var model: [String]
    /// The optimizer's `state_dict()`: optional.
    public var optimizer: [String]
    /// One scheduler's `state_dict()`, or a list of them: optional.
    public var scheduler: [String]
    /// The epoch counter (an int): optional, 0 when missing.
    public var epoch: [String]
    /// The step counter (an int): optional, 0 when missing.
    public var step: [String]

    public init(
        model: [String] = ["model", "model_state_dict", "state_dict"],
        optimizer: [String] = ["optimizer", "optimizer_state_dict"],
        scheduler: [String] = ["scheduler", "lr_scheduler", "scheduler_state_dict"],
        epoch: [String] = ["epoch"], step: [String] = ["step", "global_step"]
    ) {
        self.model = model
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.epoch = epoch
        self.step = step
    }
}

/// Why a torch.save file's training state cannot become a checkpoint (or
/// a checkpoint a torch.save file): the file and the problem.
public struct TorchStateError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}

extension TorchTrainingState {
    /// A training state saved part by part, as some scripts do:
    ///
    /// ```python
    /// torch.save(model.state_dict(), "model.pt")
    /// torch.save(optimizer.state_dict(), "optimizer.pt")
    /// torch.save(scheduler.state_dict(), "scheduler.pt")
    /// ```
    ///
    /// `model` is a bare `state_dict` (or a training state dict, read as
    /// ``checkpoint(from:keys:optimizerType:schedulerTypes:fallback:stepWhenMissing:)``
    /// reads it, whose optimizer and schedulers the other files then must not
    /// repeat); `optimizer` an optimizer's `state_dict()`; `schedulers` one
    /// scheduler's `state_dict()` each, in stepping order. `epoch` counts the
    /// epochs completed (none of the files records it); the step is
    /// `stepWhenMissing(epoch)`.
    ///
    /// - Throws: ``TorchStateError`` naming the file and the entry.
    public static func checkpoint(
        model: TorchFile, optimizer: TorchFile?, schedulers: [TorchFile], epoch: Int,
        fallback: FallbackTypes? = nil, stepWhenMissing: @escaping (Int) -> Int = { _ in 0 }
    ) throws(TorchStateError) -> Checkpoint {
        precondition(epoch >= 0, "epoch must be >= 0, got \(epoch)")
        let base = try checkpoint(from: model, fallback: fallback)
        var manifest = base.manifest
        var tensors = base.tensors
        if let optimizer {
            guard manifest.optimizer == nil else {
                throw TorchStateError(file: model.file, problem: "has an optimizer state of its own, and another file is given")
            }
            var reader = StateReader(file: optimizer)
            reader.fallback = fallback
            manifest.optimizer = try reader.readOptimizer(
                optimizer.root, at: "the optimizer's state_dict", type: nil, modelCount: manifest.parameters.count,
                into: &tensors)
        }
        if !schedulers.isEmpty {
            guard manifest.schedulers.isEmpty else {
                throw TorchStateError(file: model.file, problem: "has scheduler states of its own, and other files are given")
            }
            for (index, file) in schedulers.enumerated() {
                var reader = StateReader(file: file)
                reader.fallback = fallback
                let state = try reader.json(file.root, at: "the scheduler's state_dict")
                guard case .object(let object) = state else {
                    throw TorchStateError(file: file.file, problem: "holds a \(file.root.pythonTypeName), not a scheduler's state_dict")
                }
                let type = try reader.schedulerType(object, index: index, of: schedulers.count, given: nil, at: "the scheduler's state_dict")
                manifest.schedulers.append(.init(type: type, state: state))
            }
        }
        manifest.epoch = epoch
        manifest.step = max(0, stepWhenMissing(epoch))
        var result = Checkpoint(manifest: manifest, tensors: tensors)
        result.source = model.file
        return result
    }
}
