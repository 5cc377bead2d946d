extension PyFloat {
    /// Python's `repr(x)` of a float: the shortest string that round-trips,
    /// in fixed notation for 1e-4 ≤ |x| < 1e16 (always with a `.`, as in
    /// `100.0`) and scientific notation otherwise (`1e-05`, `1.5e+16`), plus
    /// `inf`, `-inf` and `nan` (Python prints every NaN as `nan`).
    ///
    /// The digits are Swift's shortest round-trip digits (the same as
    /// CPython's `repr` chooses); the layout follows CPython's
    /// `format_float_short`, which differs from Swift's `description` for
    /// 2^53 ≤ |x| < 1e16 (Swift writes `9.007199254740994e+15`, Python
    /// `9007199254740994.0`). Tests compare against real Python.
    ///
    /// ```swift
    /// PyFloat.repr(0.1)     // "0.1"
    /// PyFloat.repr(1e16)    // "1e+16"
    /// PyFloat.repr(-.nan)   // "nan"
    /// ```
    public static func repr(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == 0 { return x.sign == .minus ? "-0.0" : "0.0" }
        let (digits, decimalPoint) = shortestDigits(Swift.abs(x))
        let sign = x < 0 ? "-" : ""
        let count = digits.count
        if decimalPoint > -4 && decimalPoint <= 16 {
            if decimalPoint <= 0 {
                return sign + "0." + String(repeating: "0", count: -decimalPoint) + digits
            }
            if decimalPoint >= count {
                return sign + digits + String(repeating: "0", count: decimalPoint - count) + ".0"
            }
            let split = digits.index(digits.startIndex, offsetBy: decimalPoint)
            return sign + digits[..<split] + "." + digits[split...]
        }
        var mantissa = String(digits.first!)
        if count > 1 { mantissa += "." + digits.dropFirst() }
        let exponent = decimalPoint - 1
        let magnitude = String(Swift.abs(exponent))
        return sign + mantissa + (exponent < 0 ? "e-" : "e+")
            + (magnitude.count < 2 ? "0" : "") + magnitude
    }

    /// The shortest round-trip decimal digits of a finite positive `x` and
    /// the position of the decimal point: `x = 0.DIGITS × 10^decimalPoint`.
    static func shortestDigits(_ x: Double) -> (digits: String, decimalPoint: Int) {
        // Swift's description has the shortest round-trip digits, either as
        // "123.45" or as "1.2345e+20".
        let text = x.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...])!
        }
        var integerPart = mantissa
        var fractionPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fractionPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = Array(integerPart + fractionPart)
        var decimalPoint = integerPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            decimalPoint -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (String(digits), decimalPoint)
    }
}
