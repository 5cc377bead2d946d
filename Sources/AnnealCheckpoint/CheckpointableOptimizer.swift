import Anneal
import AnnealJSON
import AnnealTensor

/// One tensor of an optimizer's per-parameter state: PyTorch's
/// `optimizer.state[param][key]` when it is a tensor, with the parameter's
/// index in PyTorch's numbering (group by group, in order).
public struct OptimizerStateTensor: Sendable, Equatable {
    /// The parameter's index, as `state_dict()["state"]` keys it.
    public var parameterIndex: Int
    /// The state's name: `"exp_avg"`, `"exp_avg_sq"`, `"max_exp_avg_sq"`,
    /// `"momentum_buffer"`, `"square_avg"`, `"grad_avg"`, or `"step"` when
    /// the optimizer keeps the step as a 0-dimensional tensor (as PyTorch does).
    public var key: String
    /// The value.
    public var tensor: Tensor

    /// A state tensor.
    public init(parameterIndex: Int, key: String, tensor: Tensor) {
        precondition(parameterIndex >= 0, "parameter index must be >= 0, got \(parameterIndex)")
        precondition(!key.isEmpty, "a state key must not be empty")
        self.parameterIndex = parameterIndex
        self.key = key
        self.tensor = tensor
    }
}

/// An optimizer whose per-parameter state a checkpoint can save and
/// restore, bit for bit: what ``TrainingState`` needs from SGD, Adam, AdamW
/// and RMSprop beyond ``Optimizer``'s param groups.
///
/// The state is split the way a safetensors file holds it: tensors (saved
/// as `optim.state.<index>.<key>`, float32) and everything else (saved as
/// JSON in the manifest). Which values go where is the optimizer's choice,
/// as long as ``restoreState(tensors:scalars:)`` accepts what the two
/// getters give; PyTorch's interop (`Scripts/torch_checkpoint.py`) maps a
/// tensor to a tensor and a Python number or `None` to a scalar.
///
/// ```swift
/// extension AdamW: CheckpointableOptimizer {
///     func stateTensors() -> [OptimizerStateTensor] { ... exp_avg, exp_avg_sq, step ... }
///     func scalarState() -> [Int: JSONObject] { [:] }
///     func restoreState(tensors: [OptimizerStateTensor], scalars: [Int: JSONObject]) throws { ... }
/// }
/// ```
public protocol CheckpointableOptimizer: Optimizer {
    /// The parameters the optimizer updates, in PyTorch's index order (the
    /// parameters of group 0, then group 1, ...). A checkpoint checks the
    /// model's parameters against them (the same objects, in the same order).
    var parameters: [Parameter] { get }

    /// Every tensor of the per-parameter state, for the parameters that
    /// have state (none before the first step). Copies: the checkpoint
    /// keeps them while training goes on.
    func stateTensors() -> [OptimizerStateTensor]

    /// The per-parameter values that are not tensors (a `step` count kept
    /// as a number, a `None` momentum buffer), by parameter index; a
    /// parameter without such values may be left out.
    func scalarState() -> [Int: JSONObject]

    /// Replaces the whole per-parameter state with a saved one (what the
    /// two getters returned, possibly in another process). Parameters
    /// absent from both have no state afterwards, as after construction.
    ///
    /// Must validate everything first (unknown keys, a shape that does not
    /// fit its parameter, a missing companion value, an index without a
    /// parameter) and throw without changing anything.
    func restoreState(tensors: [OptimizerStateTensor], scalars: [Int: JSONObject]) throws
}
