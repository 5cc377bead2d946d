/// A scheduler argument PyTorch takes either once for all param groups or
/// as a list with one value per group (`base_lr`, `max_lr`, `min_lr`,
/// `swa_lr`, `base_momentum`, `max_momentum`).
public enum GroupValues: Sendable, Hashable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral
{
    /// One value for every group.
    case all(Double)
    /// One Python `int` for every group (PyTorch's default `min_lr=0` is
    /// one, and state dicts write it as `0`, not `0.0`).
    case integer(Int)
    /// One value per group, in group order.
    case each([Double])

    public init(floatLiteral value: Double) { self = .all(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(arrayLiteral elements: Double...) { self = .each(elements) }

    /// PyTorch's `_format_param(name, optimizer, param)`.
    public func resolve(_ name: String, groupCount: Int) throws(PythonError) -> [Double] {
        switch self {
        case .all(let value):
            return Array(repeating: value, count: groupCount)
        case .integer(let value):
            return Array(repeating: Double(value), count: groupCount)
        case .each(let values):
            guard values.count == groupCount else {
                throw .valueError(
                    "\(name) must have the same length as optimizer.param_groups. \(name) has \(values.count) values, param_groups has \(groupCount)."
                )
            }
            return values
        }
    }
}
