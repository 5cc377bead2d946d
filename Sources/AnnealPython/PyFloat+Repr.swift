extension PyFloat {
    /// How ``appendRepr(_:to:nonFinite:)`` spells infinities and NaN.
    public enum NonFiniteSpelling: Sendable {
        /// `repr`: `inf`, `-inf`, `nan`.
        case python
        /// `json.dumps`: `Infinity`, `-Infinity`, `NaN`.
        case json
    }

    /// Python's `repr(x)` of a float: the shortest string that round-trips,
    /// in fixed notation for 1e-4 ≤ |x| < 1e16 (always with a `.`, as in
    /// `100.0`) and scientific notation otherwise (`1e-05`, `1.5e+16`), plus
    /// `inf`, `-inf` and `nan` (Python prints every NaN as `nan`).
    ///
    /// ```swift
    /// PyFloat.repr(0.1)     // "0.1"
    /// PyFloat.repr(1e16)    // "1e+16"
    /// PyFloat.repr(-.nan)   // "nan"
    /// ```
    public static func repr(_ x: Double) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        appendRepr(x, to: &out, nonFinite: .python)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `repr(x)` to `out` as UTF-8 (the JSON writer's path, which
    /// avoids an intermediate `String` per number).
    ///
    /// The digits are Swift's shortest round-trip digits, the same CPython's
    /// `repr` chooses; the layout follows CPython's `format_float_short`:
    /// positional when the decimal exponent `e` (in `d.ddd × 10^e`) satisfies
    /// `-4 <= e < 16`, else scientific with a signed exponent of at least two
    /// digits; the sign of zero is kept. (Swift's `description` switches to
    /// scientific notation at 2^53, not 10^16, so the digits are re-laid-out.)
    public static func appendRepr(_ x: Double, to out: inout [UInt8], nonFinite: NonFiniteSpelling) {
        if x.isNaN {
            out.append(contentsOf: (nonFinite == .json ? "NaN" : "nan").utf8)
            return
        }
        if x.isInfinite {
            switch (nonFinite, x < 0) {
            case (.json, true): out.append(contentsOf: "-Infinity".utf8)
            case (.json, false): out.append(contentsOf: "Infinity".utf8)
            case (.python, true): out.append(contentsOf: "-inf".utf8)
            case (.python, false): out.append(contentsOf: "inf".utf8)
            }
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
            let magnitude = Swift.abs(scientificExponent)
            if magnitude < 10 { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: String(magnitude).utf8)
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
}
