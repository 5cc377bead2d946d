/// What every learning-rate scheduler offers, `ReduceLROnPlateau` included.
public protocol Scheduler: AnyObject {
    /// The optimizer whose param groups the scheduler drives.
    var optimizer: Optimizer { get }
    /// `get_last_lr()`: the learning rates the scheduler last set, per group.
    var lastLR: [Double] { get }
    /// Where the scheduler puts the warnings PyTorch would emit.
    var warnings: WarningSink { get }
    /// PyTorch's class name, e.g. `"StepLR"`.
    var typeName: String { get }
    /// `state_dict()`: PyTorch's keys and values under the trace format's
    /// JSON mapping (functions as `null`, `Counter`s as objects).
    func stateDict() -> JSONValue
    /// `load_state_dict(state)`: restores a state written by `stateDict()`
    /// (or by PyTorch). Unlike PyTorch, a state with missing keys, unknown
    /// keys or values of the wrong type is rejected, before anything changes.
    func loadStateDict(_ state: JSONValue) throws(PythonError)
    /// `step(...)`: one step with `input`; an input the scheduler's Python
    /// `step` does not take raises Python's `TypeError`.
    func step(_ input: StepInput) throws(PythonError)
    /// The parameters of the Python `step`, for binding positional arguments
    /// (``StepInput/init(positional:signature:type:)``).
    var stepSignature: StepSignature { get }
    /// PyTorch's `last_epoch` attribute, or `nil` where the object has none
    /// (`ChainedScheduler`).
    var lastEpochAttribute: Epoch? { get }
    /// Whether the Python object has `get_last_lr()` (timm's schedulers
    /// have not: their trace records leave out `last_lr`). Default true.
    var hasGetLastLR: Bool { get }
}

extension Scheduler {
    public var hasGetLastLR: Bool { true }
}
