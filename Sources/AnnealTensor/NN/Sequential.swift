/// Modules applied in order: PyTorch's `nn.Sequential`, or a model class
/// whose `forward` calls its layers one after another.
///
/// Children are named (`"0"`, `"1"`, ... by default, or given names such as
/// `"fc1"`), and parameters are named `child.parameter`, e.g.
/// `fc1.weight`. Building the container also writes those full names into
/// each ``Parameter/name`` (for checkpoints and messages), prefixing the
/// names a nested container already gave.
///
/// ```swift
/// var rng = Xoshiro256StarStar(seed: 0)
/// let model = Sequential([
///     Linear(inFeatures: 10, outFeatures: 32, using: &rng), ReLU(),
///     Linear(inFeatures: 32, outFeatures: 1, using: &rng),
/// ])
/// model.parameters().map { $0.name! }   // ["0.weight", "0.bias", "2.weight", "2.bias"]
/// ```
public final class Sequential: Module {
    /// The children with their names, in order.
    public let children: [(name: String, module: any Module)]

    /// Children named by their position, as `nn.Sequential(a, b, c)`.
    public convenience init(_ modules: [any Module]) {
        self.init(named: modules.enumerated().map { (String($0.offset), $0.element) })
    }

    /// Children with the given names, as `nn.Sequential(OrderedDict(...))`
    /// or a module's attributes (`fc1`, `fc2`, ...). Names must be unique
    /// and contain no `.`.
    ///
    /// ```swift
    /// let model = Sequential(named: [("fc1", fc1), ("relu1", ReLU()), ("fc2", fc2)])
    /// ```
    public init(named children: [(String, any Module)]) {
        var seen = Set<String>()
        for (name, _) in children {
            precondition(!name.isEmpty && !name.contains("."), "invalid child name \"\(name)\"")
            precondition(seen.insert(name).inserted, "duplicate child name \"\(name)\"")
        }
        self.children = children.map { (name: $0.0, module: $0.1) }
        for (name, module) in self.children {
            for (parameterName, parameter) in module.namedParameters() {
                parameter.name = "\(name).\(parameterName)"
            }
        }
    }

    /// Each child's forward pass on the previous one's output.
    public func forward(_ input: Tensor) -> Tensor {
        var x = input
        for (_, module) in children { x = module.forward(x) }
        return x
    }

    /// Each child's backward pass, last to first.
    @discardableResult
    public func backward(_ outputGradient: Tensor) -> Tensor {
        var gradient = outputGradient
        for (_, module) in children.reversed() { gradient = module.backward(gradient) }
        return gradient
    }

    /// Every child's parameters in child order, prefixed with the child's name.
    public func namedParameters() -> [(name: String, parameter: Parameter)] {
        children.flatMap { child in
            child.module.namedParameters().map { (name: "\(child.name).\($0.name)", parameter: $0.parameter) }
        }
    }
}
