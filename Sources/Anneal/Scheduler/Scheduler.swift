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
}
