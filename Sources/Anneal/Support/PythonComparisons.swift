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
