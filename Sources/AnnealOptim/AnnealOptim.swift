// AnnealOptim: SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam,
// RAdam, ASGD and Rprop over AnnealTensor parameters,
// bit-exact with PyTorch 2.13's `foreach=False` CPU implementation.
@_exported import Anneal
@_exported import AnnealTensor

/// One entry of the `params` list PyTorch's optimizers take: parameters and
/// that group's options (`{"params": [...], "lr": 0.01}`), by PyTorch name.
public struct ParameterGroup: Sendable {
    public var parameters: [Parameter]
    /// The group's overrides of the optimizer's options (`lr`, `momentum`, ...).
    public var options: JSONObject

    public init(parameters: [Parameter], options: JSONObject = [:]) {
        self.parameters = parameters
        self.options = options
    }
}

/// Builds `torch.optim.<kind>(groups, **options)`: ``SGD``, ``Adam``,
/// ``AdamW``, ``RMSprop``, ``Adagrad``, ``Adadelta``, ``Adamax``, ``NAdam``,
/// ``RAdam``, ``ASGD``, ``Rprop`` or ``Adafactor``. Invalid options raise PyTorch's exception.
///
/// The one factory of tensor optimizers: the trace runner and the training
/// loop build theirs here. A new optimizer (a ``TensorOptimizer`` subclass)
/// adds its case to ``OptimizerKind`` and its line below.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let optimizer = try makeOptimizer(.adamW, groups: [ParameterGroup(parameters: [w])], options: ["lr": 0.01])
/// ```
public func makeOptimizer(_ kind: OptimizerKind, groups: [ParameterGroup], options: JSONObject) throws -> Optimizer {
    switch kind {
    case .sgd: return try SGD(groups, options: options)
    case .adam: return try Adam(groups, options: options)
    case .adamW: return try AdamW(groups, options: options)
    case .rmsprop: return try RMSprop(groups, options: options)
    case .adagrad: return try Adagrad(groups, options: options)
    case .adadelta: return try Adadelta(groups, options: options)
    case .adamax: return try Adamax(groups, options: options)
    case .nAdam: return try NAdam(groups, options: options)
    case .rAdam: return try RAdam(groups, options: options)
    case .asgd: return try ASGD(groups, options: options)
    case .rprop: return try Rprop(groups, options: options)
    case .adafactor: return try Adafactor(groups, options: options)
    }
}
