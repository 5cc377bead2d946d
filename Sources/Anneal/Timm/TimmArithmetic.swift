/// Python's `+ - * /` on ``PyValue`` as operators, for timm's formulas,
/// which are Python arithmetic on whatever numbers the caller passed (an
/// `int` `t_initial` keeps `t // t_initial` an `int`; a `float` makes it a
/// `float`). `**` is ``PyValue/power(_:_:)``, `//` ``PyValue/floorDivide(_:_:)``.
///
/// ```swift
/// try PyValue.int(1) - .int(3) / .int(2)   // .float(-0.5), as Python's 1 - 3 / 2
/// ```
extension PyValue {
    @inlinable
    static func + (a: PyValue, b: PyValue) throws(PythonError) -> PyValue { try add(a, b) }
    @inlinable
    static func - (a: PyValue, b: PyValue) throws(PythonError) -> PyValue { try subtract(a, b) }
    @inlinable
    static func * (a: PyValue, b: PyValue) throws(PythonError) -> PyValue { try multiply(a, b) }
    @inlinable
    static func / (a: PyValue, b: PyValue) throws(PythonError) -> PyValue { try trueDivide(a, b) }

    /// The number a JSON value holds (`true` is Python's `True`), or `nil`.
    init?(number json: JSONValue) {
        switch json {
        case .int(let i): self = .int(i)
        case .double(let d): self = .float(d)
        case .bool(let b): self = .bool(b)
        default: return nil
        }
    }

    /// The value as JSON with its Python type.
    var json: JSONValue {
        switch self {
        case .int(let i): return .int(i)
        case .float(let d): return .double(d)
        case .bool(let b): return .bool(b)
        }
    }
}
