import AnnealPython

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Deterministic number formatting for plots: fixed-point coordinates and
/// tick labels, with no locale and no platform `printf`.
///
/// ```swift
/// NumberFormat.fixed(12.3456, decimals: 2)   // "12.35"
/// NumberFormat.tick(0.004, step: 0.002)       // "0.004"
/// NumberFormat.tick(4e-7, step: 2e-7)         // "4e-7"
/// NumberFormat.decade(-3)                     // "1e-3"
/// NumberFormat.decade(-2)                     // "0.01"
/// ```
public enum NumberFormat {
    /// `value` rounded to `decimals` places (half away from zero), without
    /// trailing zeros or a trailing point: `fixed(2.50, decimals: 2)` is
    /// `"2.5"`, `fixed(-0.001, decimals: 2)` is `"0"`.
    ///
    /// Non-finite values give `"0"`: they have no place in SVG coordinates.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        let scaled = (value * power10(decimals)).rounded(.toNearestOrAwayFromZero)
        guard abs(scaled) < 9e15 else {
            // Past 9e15 units the whole number is the label (or, past Int64, Python's repr).
            let whole = value.rounded()
            return abs(whole) < 9e18 ? String(Int64(whole)) : PyFloat.repr(whole)
        }
        return digits(Int64(scaled), decimals: decimals)
    }

    /// A coordinate: ``fixed(_:decimals:)`` with 2 decimals (0.01 px).
    @inlinable
    public static func coordinate(_ value: Double) -> String { fixed(value, decimals: 2) }

    /// The label of a linear-axis tick at `value`, where ticks are `step`
    /// apart (a nice step: 1, 2 or 5 times a power of ten).
    ///
    /// Fixed-point with as many decimals as the step needs (`0.05`, `200`,
    /// `0.0125`), or scientific with the mantissa the step needs (`2.5e-4`,
    /// `1e-6`) when `scientific` is true; see ``prefersScientific(maximum:)``.
    /// Zero is always `"0"`.
    public static func tick(_ value: Double, step: Double, scientific: Bool = false) -> String {
        guard value.isFinite, step.isFinite, step > 0 else { return "0" }
        // The last digit the step needs: 0.0025 needs 4 decimals, not 3.
        var stepExponent = decimalExponent(step)
        for _ in 0..<3 {
            let quotient = step / power10(stepExponent)
            if abs(quotient - quotient.rounded()) < 1e-6 { break }
            stepExponent -= 1
        }
        let units = (value / power10(stepExponent)).rounded(.toNearestOrAwayFromZero)
        if units == 0 { return "0" }
        // A step among the subnormals (10^e is 0 there), or units past Int64.
        guard units.isFinite, abs(units) < 9e18 else { return PyFloat.repr(value) }
        if !scientific {
            let decimals = max(0, -stepExponent)
            return fixed(value, decimals: decimals)
        }
        // value = units × 10^stepExponent; write units as d.ddd × 10^k.
        let negative = units < 0
        let text = String(Int64(abs(units)))
        let exponent = stepExponent + text.count - 1
        var mantissa = String(text.first!)
        let rest = text.dropFirst().reversed().drop(while: { $0 == "0" }).reversed()
        if !rest.isEmpty { mantissa += "." + String(rest) }
        return (negative ? "-" : "") + mantissa + "e" + String(exponent)
    }

    /// Whether ticks whose largest magnitude is `maximum` read better in
    /// scientific notation: below 1e-3 or from 1e5 up.
    public static func prefersScientific(maximum: Double) -> Bool {
        maximum > 0 && (maximum < 1e-3 || maximum >= 1e5)
    }

    /// The label of the decade 10^`exponent` on a log axis: `0.01`, `0.1`,
    /// `1`, `10`, `1000` for exponents from -2 to 4 unless `scientific`,
    /// else `1e-3`, `1e5` (and `1e0` for 1).
    public static func decade(_ exponent: Int, scientific: Bool = false) -> String {
        if !scientific && (-2...4).contains(exponent) { return fixed(power10(exponent), decimals: max(0, -exponent)) }
        return "1e" + String(exponent)
    }

    /// 10^`exponent`, exact for 0...22 and the correctly rounded reciprocal
    /// of an exact power below zero (so `power10(-3)` is the double nearest 0.001).
    public static func power10(_ exponent: Int) -> Double {
        if exponent < 0 { return 1 / power10(-exponent) }
        var result = 1.0
        for _ in 0..<min(exponent, 400) { result *= 10 }
        return result
    }

    /// ⌊log10 |x|⌋, corrected so that `power10(e) <= |x| < power10(e + 1)`.
    public static func decimalExponent(_ x: Double) -> Int {
        let magnitude = abs(x)
        guard magnitude > 0, magnitude.isFinite else { return 0 }
        var exponent = Int(log10(magnitude).rounded(.down))
        if power10(exponent) > magnitude { exponent -= 1 }
        if power10(exponent + 1) <= magnitude { exponent += 1 }
        return exponent
    }

    /// `units` / 10^`decimals` as decimal text, trailing zeros dropped.
    private static func digits(_ units: Int64, decimals: Int) -> String {
        if units == 0 { return "0" }
        let negative = units < 0
        var text = String(units.magnitude)
        if decimals > 0 {
            if text.count <= decimals { text = String(repeating: "0", count: decimals - text.count + 1) + text }
            let split = text.index(text.endIndex, offsetBy: -decimals)
            let whole = text[..<split]
            let fraction = text[split...].reversed().drop(while: { $0 == "0" }).reversed()
            text = fraction.isEmpty ? String(whole) : whole + "." + String(fraction)
        }
        return negative ? "-" + text : text
    }
}
