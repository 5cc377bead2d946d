#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One axis of a chart: its scale, its range and its ticks.
///
/// A linear axis has "nice" ticks (1, 2 or 5 times a power of ten apart); a
/// log axis has a tick per decade (every few decades over a wide range) and,
/// over a few decades, unlabelled minor ticks at 2…9 times each decade.
///
/// ```swift
/// let y = Axis.linear(minimum: 0, maximum: 0.001, targetTickCount: 6)
/// y.range                   // 0...0.001
/// y.ticks.map(\.label)      // ["0", "0.0002", "0.0004", "0.0006", "0.0008", "0.001"]
/// y.fraction(0.0005)        // 0.5
/// ```
public struct Axis: Sendable, Equatable {
    /// How values map onto the axis.
    public enum Scale: String, Sendable, Equatable {
        /// Evenly spaced values.
        case linear
        /// Evenly spaced decades; zero and negative values are not drawn.
        case log
    }

    /// A tick mark on an axis.
    public struct Tick: Sendable, Equatable {
        /// Where the tick is, in data units.
        public var value: Double
        /// Its label; empty for a minor tick.
        public var label: String
        /// Whether it is a major tick (labelled, with a grid line).
        public var isMajor: Bool

        /// Creates a tick.
        public init(value: Double, label: String, isMajor: Bool = true) {
            self.value = value
            self.label = label
            self.isMajor = isMajor
        }
    }

    /// The scale.
    public var scale: Scale
    /// The values at the two ends of the axis, lower first.
    public var range: ClosedRange<Double>
    /// The ticks, in increasing order of value.
    public var ticks: [Tick]

    /// Creates an axis from its parts.
    public init(scale: Scale, range: ClosedRange<Double>, ticks: [Tick]) {
        self.scale = scale
        self.range = range
        self.ticks = ticks
    }

    /// Where `value` falls along the axis: 0 at the lower end, 1 at the
    /// upper; `nil` for a value the axis cannot show (not finite, or not
    /// positive on a log axis). Values outside the range give fractions
    /// outside 0...1.
    public func fraction(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        switch scale {
        case .linear:
            let span = range.upperBound - range.lowerBound
            return span > 0 ? (value - range.lowerBound) / span : 0.5
        case .log:
            guard value > 0 else { return nil }
            let lower = log10(range.lowerBound), upper = log10(range.upperBound)
            return upper > lower ? (log10(value) - lower) / (upper - lower) : 0.5
        }
    }

    /// The major ticks the axis can place, each with its ``fraction(_:)``:
    /// what grids, tick marks and labels are drawn at.
    public var placedMajorTicks: [(tick: Tick, fraction: Double)] {
        ticks.compactMap { tick in
            guard tick.isMajor, let fraction = fraction(tick.value) else { return nil }
            return (tick, fraction)
        }
    }

    /// The labels of the major ticks.
    public var majorLabels: [String] { ticks.filter(\.isMajor).map(\.label) }

    /// A linear axis for data between `minimum` and `maximum`, with about
    /// `targetTickCount` ticks.
    ///
    /// - Parameters:
    ///   - roundOutward: extend the range to the ticks just outside the data
    ///     (a value axis), rather than ending exactly at the data (the step
    ///     axis).
    ///   - integerTicks: ticks at whole numbers only (record indices).
    ///   - headroom: with `roundOutward`, a data maximum closer than this
    ///     fraction of the range to the top gets one more step above it, and
    ///     a minimum other than 0 as close to the bottom one more below, so
    ///     a curve does not run along the frame.
    ///
    /// When the data has no extent (`minimum == maximum`), the axis spans a
    /// margin around the value (or 0...1 around zero).
    public static func linear(
        minimum: Double, maximum: Double, targetTickCount: Int, roundOutward: Bool = true, integerTicks: Bool = false,
        headroom: Double = 0
    ) -> Axis {
        var lower = minimum.isFinite ? minimum : 0
        var upper = maximum.isFinite ? maximum : 1
        if lower > upper { swap(&lower, &upper) }
        if upper == lower {
            let margin = lower == 0 ? 1 : abs(lower) * 0.05
            if lower == 0 { upper = 1 } else { lower -= margin; upper += margin }
            if minimum == 0 { lower = 0 }
        }
        let count = max(1, targetTickCount)
        // Past half of Double's range the span itself overflows; halves do not.
        var step = (upper - lower).isFinite
            ? niceStep(span: upper - lower, targetCount: count)
            : 2 * niceStep(span: upper / 2 - lower / 2, targetCount: count)
        if integerTicks { step = max(step, 1) }
        // A span of a few subnormals has no step a tick could use.
        guard step > 0, step.isFinite else { return Axis(scale: .linear, range: lower...upper, ticks: []) }
        // Quotients within a billionth of a whole number count as whole:
        // 0.001 / 0.0002 is 5.000000000000001.
        let slack = 1e-9
        if roundOutward {
            // The data stays inside even where k × step rounds below it.
            // Near Double's limits a rounded-out end may overflow: keep the data's end then.
            let outerLower = (lower / step + slack).rounded(.down) * step
            let outerUpper = (upper / step - slack).rounded(.up) * step
            if outerLower.isFinite { lower = min(outerLower, lower) }
            if outerUpper.isFinite { upper = max(outerUpper, upper) }
            let span = upper / 2 - lower / 2
            if upper - maximum < 2 * headroom * span, (upper + step).isFinite { upper += step }
            if minimum != 0 && minimum - lower < 2 * headroom * span, (lower - step).isFinite { lower -= step }
        }
        // Tick indices as integers: none when they are past Int's range or
        // would be too many to draw (a range far from zero for its width).
        guard let first = Int(exactly: (lower / step - slack).rounded(.up)),
            let last = Int(exactly: (upper / step + slack).rounded(.down)),
            first > last || last.subtractingReportingOverflow(first).partialValue <= 10_000
        else {
            return Axis(scale: .linear, range: lower...upper, ticks: [])
        }
        let largest = max(abs(lower), abs(upper))
        let scientific = NumberFormat.prefersScientific(maximum: largest)
        var ticks: [Tick] = []
        if first <= last {
            for index in first...last {
                let value = Double(index) * step
                ticks.append(Tick(value: value, label: NumberFormat.tick(value, step: step, scientific: scientific)))
            }
        }
        return Axis(scale: .linear, range: lower...upper, ticks: ticks)
    }

    /// A log axis from the decade at or below `minimum` to the decade at or
    /// above `maximum` (both positive), and a little beyond, with at most
    /// `maximumLabelCount` labelled decades and minor ticks over at most
    /// four decades.
    public static func log(minimum: Double, maximum: Double, maximumLabelCount: Int = 8) -> Axis {
        var low = 0, high = 1
        if minimum > 0, maximum > 0, minimum.isFinite, maximum.isFinite {
            low = NumberFormat.decimalExponent(min(minimum, maximum))
            high = NumberFormat.decimalExponent(max(minimum, maximum))
            if NumberFormat.power10(high) < max(minimum, maximum) { high += 1 }
            if high == low { high += 1 }
        }
        let decades = high - low
        // One style for the whole axis: "1e-3" next to "0.01" reads badly.
        let scientific = low < -2 || high > 4
        let every = max(1, (decades + maximumLabelCount - 1) / max(1, maximumLabelCount))
        var ticks: [Tick] = []
        for exponent in low...high {
            let decade = NumberFormat.power10(exponent)
            if (exponent - low) % every == 0 {
                ticks.append(Tick(value: decade, label: NumberFormat.decade(exponent, scientific: scientific)))
            } else {
                ticks.append(Tick(value: decade, label: "", isMajor: false))
            }
            if decades <= 4, exponent < high {
                for multiple in 2...9 {
                    ticks.append(Tick(value: Double(multiple) * decade, label: "", isMajor: false))
                }
            }
        }
        // A margin of 3% of the span beyond the outer decades, so a curve at
        // a decade's value does not run along the frame.
        let margin = pow(10, 0.03 * Double(decades))
        return Axis(
            scale: .log, range: (NumberFormat.power10(low) / margin)...(NumberFormat.power10(high) * margin), ticks: ticks)
    }

    /// A step that gives about `targetCount` intervals over `span`: 1, 2 or
    /// 5 times a power of ten.
    public static func niceStep(span: Double, targetCount: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(1, targetCount))
        let exponent = NumberFormat.decimalExponent(raw)
        let base = NumberFormat.power10(exponent)
        // Below 1e-308 a power of ten is not a double (it rounds to 0).
        guard base > 0, base.isFinite else { return raw > 0 ? raw : span }
        let fraction = raw / base
        let multiple: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return multiple * base
    }
}

