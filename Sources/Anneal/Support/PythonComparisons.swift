/// Python's `max(a, b)`: keeps `a` unless `b > a` (so NaN handling and the
/// choice between equal values follow Python, unlike `Swift.max`).
@inlinable
func pyMax(_ a: Double, _ b: Double) -> Double { b > a ? b : a }

/// Python's `min(a, b)`: keeps `a` unless `b < a`.
@inlinable
func pyMin(_ a: Double, _ b: Double) -> Double { b < a ? b : a }

/// `bisect.bisect_right(sorted, x)`.
@inlinable @inline(__always)
func bisectRight<Element: Comparable>(_ sorted: [Element], _ x: Element) -> Int {
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

/// `a % b == 0` over epochs with Python's semantics: exact for two ints
/// (whatever their size), else Python's float `%` (which raises
/// `ZeroDivisionError` for a zero `b`).
@inlinable @inline(__always)
func isMultiple(_ a: Epoch, of b: Epoch) throws(PythonError) -> Bool {
    if !a.isFloat && !b.isFloat && b.integer != 0 {
        // Only `Int.min % -1` overflows, and its remainder is 0.
        let (remainder, overflow) = a.integer.remainderReportingOverflow(dividingBy: b.integer)
        return overflow || remainder == 0
    }
    return try PyFloat.mod(a.value, b.value) == 0
}

/// `a // b` as the float Python's `x ** (a // b)` uses: exact floor division
/// for two ints, rounded to the nearest double; Python's float `//` otherwise.
@inlinable @inline(__always)
func floorQuotient(_ a: Epoch, _ b: Epoch) throws(PythonError) -> Double {
    if !a.isFloat && !b.isFloat && b.integer != 0 {
        let (quotient, overflow) = a.integer.dividedReportingOverflow(by: b.integer)
        if overflow { return 9_223_372_036_854_775_808.0 }  // Int.min // -1 == 2**63
        let floors = (a.integer % b.integer != 0) && ((a.integer < 0) != (b.integer < 0))
        return Double(floors ? quotient - 1 : quotient)
    }
    return try PyFloat.floorDivide(a.value, b.value)
}

/// `a + b` for int epoch arithmetic PyTorch does in Python ints, or
/// ``PythonError/beyondAnneal(_:)`` past 64 bits.
@inlinable @inline(__always)
func checkedSum(_ a: Int, _ b: Int) throws(PythonError) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    if overflow { throw beyond64Bits(a, "+", b) }
    return sum
}

/// `a - b` likewise.
@inlinable @inline(__always)
func checkedDifference(_ a: Int, _ b: Int) throws(PythonError) -> Int {
    let (difference, overflow) = a.subtractingReportingOverflow(b)
    if overflow { throw beyond64Bits(a, "-", b) }
    return difference
}

/// `a * b` likewise.
@inlinable @inline(__always)
func checkedProduct(_ a: Int, _ b: Int) throws(PythonError) -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    if overflow { throw beyond64Bits(a, "*", b) }
    return product
}

/// The error of the checked operations, out of line: steps pass there.
@usableFromInline @inline(never)
func beyond64Bits(_ a: Int, _ operation: String, _ b: Int) -> PythonError {
    .beyondAnneal("\(a) \(operation) \(b) is beyond the range of a 64-bit integer")
}

/// PyTorch's range check of a multiplicative factor,
/// `if factor > 1.0 or factor < 0: raise ValueError(message)` (`<= 0` when
/// zero is not allowed). Written with Python's comparisons, so a NaN passes,
/// as it does in PyTorch.
func checkFactor(_ factor: Double, zeroAllowed: Bool = true, _ message: String) throws(PythonError) {
    if factor > 1.0 || (zeroAllowed ? factor < 0 : factor <= 0) { throw .valueError(message) }
}
