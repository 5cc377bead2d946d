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
/// The digits come from Swift's `Double.description`, which produces the
/// same shortest round-trip digits as CPython; only the layout differs
/// (Swift switches to scientific notation above 2^53, Python at 10^16), so
/// the digits are re-laid-out here.
///
/// Note that Python's own `repr` spells non-finite values `nan`, `inf` and
/// `-inf`; this function follows `json.dumps` instead, because it serves the
/// JSON writer. (`AnnealPython` has `PyFloat.repr` for the `repr` spelling.)
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

/// Appends `pythonFloatRepr(x)` to `out` as UTF-8 (the serializer's path,
/// which avoids one intermediate `String` per number).
@usableFromInline
internal func appendPythonFloatRepr(_ x: Double, to out: inout [UInt8]) {
    if x.isNaN {
        out.append(contentsOf: "NaN".utf8)
        return
    }
    if x.isInfinite {
        out.append(contentsOf: x < 0 ? "-Infinity".utf8 : "Infinity".utf8)
        return
    }
    if x == 0 {
        out.append(contentsOf: x.sign == .minus ? "-0.0".utf8 : "0.0".utf8)
        return
    }

    // Decompose Swift's shortest round-trip text into sign, digits (no
    // leading or trailing zeros) and `decimalPoint`, so that
    // |x| = 0.DIGITS × 10^decimalPoint.
    var negative = false
    var mantissa: UInt64 = 0  // at most 17 significant digits: fits
    var digitCount = 0
    var decimalPoint = 0
    var seenPoint = false
    var exponent = 0
    var exponentNegative = false
    var inExponent = false
    for byte in x.description.utf8 {
        switch byte {
        case UInt8(ascii: "-"):
            if inExponent { exponentNegative = true } else { negative = true }
        case UInt8(ascii: "+"):
            break
        case UInt8(ascii: "."):
            seenPoint = true
        case UInt8(ascii: "e"), UInt8(ascii: "E"):
            inExponent = true
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            let digit = UInt64(byte &- UInt8(ascii: "0"))
            if inExponent {
                exponent = exponent * 10 + Int(digit)
            } else if mantissa == 0 && digit == 0 {
                // A leading zero: before the point it is nothing; after it,
                // it moves the point one place left.
                if seenPoint { decimalPoint -= 1 }
            } else {
                mantissa = mantissa * 10 + digit
                digitCount += 1
                if !seenPoint { decimalPoint += 1 }
            }
        default:
            preconditionFailure("unexpected character in Double.description")
        }
    }
    decimalPoint += exponentNegative ? -exponent : exponent
    while mantissa % 10 == 0 {
        mantissa /= 10
        digitCount -= 1
    }

    // The digits as ASCII, most significant first.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
        var m = mantissa
        for i in stride(from: digitCount - 1, through: 0, by: -1) {
            digits[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m % 10)
            m /= 10
        }
        let digitBytes = UnsafeBufferPointer(rebasing: digits[0..<digitCount])

        if negative { out.append(UInt8(ascii: "-")) }
        let scientificExponent = decimalPoint - 1
        if scientificExponent < -4 || scientificExponent >= 16 {
            out.append(digitBytes[0])
            if digitCount > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digitBytes[1...])
            }
            out.append(UInt8(ascii: "e"))
            out.append(scientificExponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let magnitude = abs(scientificExponent)
            if magnitude < 10 { out.append(UInt8(ascii: "0")) }
            appendDecimal(magnitude, to: &out)
        } else if decimalPoint <= 0 {
            out.append(contentsOf: "0.".utf8)
            for _ in 0 ..< -decimalPoint { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: digitBytes)
        } else if decimalPoint >= digitCount {
            out.append(contentsOf: digitBytes)
            for _ in 0 ..< decimalPoint - digitCount { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: ".0".utf8)
        } else {
            out.append(contentsOf: digitBytes[0 ..< decimalPoint])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digitBytes[decimalPoint...])
        }
    }
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
