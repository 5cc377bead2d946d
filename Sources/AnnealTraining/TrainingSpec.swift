import Anneal
import AnnealSpec

/// What `anneal train` optimizes with: an optimizer and optional
/// schedulers, written exactly as a trace spec's `optimizer` and
/// `scheduler` (the `anneal-trace/1` format), so any trace spec works too.
///
/// ```json
/// {"optimizer": {"type": "AdamW", "options": {"lr": 0.001}},
///  "scheduler": {"type": "StepLR", "args": {"step_size": 5, "gamma": 0.1}}}
/// ```
///
/// `scheduler` may be a list (every scheduler steps once per epoch, in
/// order). The optimizer's `param_groups`, if given, must hold one group: the
/// model's parameters all go into it (its `params` values are ignored), and
/// its other keys override `options` as in PyTorch.
public struct TrainingSpec: Sendable {
    /// The optimizer's type, options and group overrides.
    public var optimizer: OptimizerSpec
    /// The schedulers, in the order they step; empty for a constant rate.
    public var schedulers: [SchedulerSpec]

    /// Reads a document with `optimizer` and optional `scheduler` keys, or a
    /// whole trace spec (whose `script` and results are then ignored).
    ///
    /// ```swift
    /// let spec = try TrainingSpec(json: ["optimizer": ["type": "SGD", "options": ["lr": 0.1]]])
    /// ```
    public init(json: JSONValue) throws(SpecError) {
        guard case .object(var object) = json else {
            throw SpecError(location: "", message: "a training spec is a JSON object with \"optimizer\" and optional \"scheduler\"")
        }
        if object["format"] == nil {
            let keys = Set(object.keys)
            for key in keys.subtracting(["optimizer", "scheduler", "name", "description"]).sorted() {
                throw SpecError(
                    location: key, message: "unknown key \"\(key)\" (a training spec has \"optimizer\" and \"scheduler\")")
            }
            guard object["optimizer"] != nil else {
                throw SpecError(location: "optimizer", message: "missing key \"optimizer\"")
            }
            object["format"] = "anneal-trace/1"
            object["name"] = object["name"] ?? "train"
            object["script"] = []
        }
        let trace = try TraceSpec(json: .object(object))
        guard trace.optimizer.groups.count == 1 else {
            throw SpecError(
                location: "optimizer.param_groups",
                message: "anneal train puts the model's parameters in one group; got \(trace.optimizer.groups.count) groups")
        }
        optimizer = trace.optimizer
        schedulers = trace.schedulers
    }

    /// Reads a spec file; errors name the file and the place.
    ///
    /// ```swift
    /// let spec = try TrainingSpec(contentsOf: "Examples/seed3-mlp/cosine.json")
    /// ```
    public init(contentsOf path: String) throws(SpecError) {
        let json: JSONValue
        do {
            json = try JSONValue.load(contentsOf: path)
        } catch {
            throw SpecError(error).inFile(path)
        }
        do {
            try self.init(json: json)
        } catch {
            throw error.inFile(path)
        }
    }
}
