/// Python's `max(a, b)`: keeps `a` unless `b > a` (so NaN handling and the
/// choice between equal values follow Python, unlike `Swift.max`).
@inlinable
func pyMax(_ a: Double, _ b: Double) -> Double { b > a ? b : a }

/// Python's `min(a, b)`: keeps `a` unless `b < a`.
@inlinable
func pyMin(_ a: Double, _ b: Double) -> Double { b < a ? b : a }

/// `bisect.bisect_right(sorted, x)`.
@inlinable
func bisectRight(_ sorted: [Double], _ x: Double) -> Int {
    var low = 0
    var high = sorted.count
    while low < high {
        let mid = (low + high) / 2
        if x < sorted[mid] { high = mid } else { low = mid + 1 }
    }
    return low
}

/// `a % b == 0` with Python's semantics: integer arithmetic when both are
/// Python ints (the same answer as `%`, without the cost of `fmod`), else
/// Python's float `%` (which raises `ZeroDivisionError` for a zero `b`).
@inlinable
func isMultiple(_ a: Double, of b: Double, integers: Bool) throws(PythonError) -> Bool {
    if integers && b != 0 && Swift.abs(a) < 9.0e15 && Swift.abs(b) < 9.0e15 {
        return Int(a) % Int(b) == 0
    }
    return try PyFloat.mod(a, b) == 0
}
