#if canImport(Glibc)
import Glibc
#endif

/// `math.cos(x)` that remembers its last argument and value.
///
/// Where PyTorch computes the same cosine twice (CosineAnnealingLR's
/// recursive form takes at epoch e the cosine it took at e − 1; OneCycleLR
/// anneals every group, and momentum beside the rate, with one `pct`), the
/// argument is the same to the bit, so reusing the value is exact.
@usableFromInline
struct LastCosine {
    @usableFromInline var argument = Double.nan
    @usableFromInline var value = Double.nan

    @usableFromInline init() {}

    @inlinable
    mutating func cos(_ x: Double) throws(PythonError) -> Double {
        if x.bitPattern == argument.bitPattern { return value }
        let result = try PyFloat.cos(x)
        argument = x
        value = result
        return result
    }
}
