import AnnealPython

/// The text Python's `json.dumps` writes for a float: `repr(x)` for a finite
/// `x`, and the bare tokens `NaN`, `Infinity` and `-Infinity` otherwise.
///
/// Goldens are written by Python, and a candidate must be written the same
/// way for the two files to be compared textually (and for round-trips to be
/// bit-exact). Python's `repr` uses the shortest digit string that reads
/// back as the same double, laid out as follows:
///
/// - positional notation when the decimal exponent `e` (in `d.ddd × 10^e`)
///   satisfies `-4 <= e < 16`, always with a `.`: `0.0001`, `1.5`, `100.0`,
///   `1234567890123456.0`;
/// - scientific notation otherwise, with the exponent signed and at least
///   two digits: `1e-05`, `1.5e-05`, `1e+16`, `1.2345678901234568e+17`,
///   `5e-324`, `1.7976931348623157e+308`;
/// - the sign of zero is kept: `-0.0`.
///
/// It is `PyFloat.repr` (AnnealPython) except for non-finite values, which
/// Python's own `repr` spells `nan`, `inf` and `-inf`; this follows
/// `json.dumps`, because it serves the JSON writer.
///
/// ```swift
/// pythonFloatRepr(1e16)        // "1e+16"
/// pythonFloatRepr(0.00001)     // "1e-05"
/// pythonFloatRepr(100)         // "100.0"
/// pythonFloatRepr(.infinity)   // "Infinity"
/// ```
public func pythonFloatRepr(_ x: Double) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(24)
    appendPythonFloatRepr(x, to: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Appends `pythonFloatRepr(x)` to `out` as UTF-8 (the serializer's path).
@usableFromInline
internal func appendPythonFloatRepr(_ x: Double, to out: inout [UInt8]) {
    PyFloat.appendRepr(x, to: &out, nonFinite: .json)
}

/// Appends the decimal digits of `value` (with a `-` when negative).
@usableFromInline
internal func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    if value == 0 {
        out.append(UInt8(ascii: "0"))
        return
    }
    // Work with the magnitude as UInt so that Int.min is handled.
    var magnitude = value.magnitude
    if value < 0 { out.append(UInt8(ascii: "-")) }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
        var i = 20
        while magnitude > 0 {
            i -= 1
            buffer[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i..<20]))
    }
}
