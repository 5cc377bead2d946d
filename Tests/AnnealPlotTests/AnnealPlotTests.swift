@testable import AnnealPlot
import Testing

// The pieces under the renderers: number formatting, axes and ticks, curve
// simplification, styles.

@Suite("Number formatting")
struct NumberFormatTests {
    @Test(
        "Linear tick labels",
        arguments: [
            (0.0, 0.002, false, "0"), (0.004, 0.002, false, "0.004"), (0.006000000000000001, 0.002, false, "0.006"),
            (200.0, 20.0, false, "200"), (0.05, 0.01, false, "0.05"), (0.0125, 0.0025, false, "0.0125"), (7.5e-5, 2.5e-5, true, "7.5e-5"),
            (-0.5, 0.5, false, "-0.5"), (1e-3, 1e-3, false, "0.001"), (4e-7, 2e-7, true, "4e-7"),
            (1.2000000000000002e-6, 2e-7, true, "1.2e-6"), (1e-6, 2e-7, true, "1e-6"), (2.5e-4, 5e-5, true, "2.5e-4"),
            (300000.0, 100000.0, true, "3e5"),
        ])
    func linearTicks(value: Double, step: Double, scientific: Bool, expected: String) {
        #expect(NumberFormat.tick(value, step: step, scientific: scientific) == expected)
    }

    @Test(
        "Decade labels",
        arguments: [(-3, false, "1e-3"), (-2, false, "0.01"), (0, false, "1"), (3, false, "1000"), (5, false, "1e5"),
            (-2, true, "1e-2"), (0, true, "1e0")])
    func decades(exponent: Int, scientific: Bool, expected: String) {
        #expect(NumberFormat.decade(exponent, scientific: scientific) == expected)
    }

    @Test(
        "Coordinates to 0.01 px",
        arguments: [(12.3456, "12.35"), (2.5, "2.5"), (100.0, "100"), (-0.001, "0"), (-3.14159, "-3.14"),
            (0.005, "0.01"), (Double.nan, "0")])
    func coordinates(value: Double, expected: String) {
        #expect(NumberFormat.coordinate(value) == expected)
    }

    @Test("Decimal exponents at and around powers of ten", arguments: [(1e-3, -3), (9.99e-4, -4), (1000.0, 3), (0.1, -1)])
    func exponents(value: Double, expected: Int) {
        #expect(NumberFormat.decimalExponent(value) == expected)
    }
}

@Suite("Axes")
struct AxisTests {
    @Test(
        "A linear axis contains the data and its ticks are nice",
        arguments: [(0.0, 0.001), (0.0, 0.01), (0.85, 0.95), (1e-9, 1e-6), (-0.2, 0.7), (0.9, 0.9), (0.0, 0.0)])
    func linear(minimum: Double, maximum: Double) {
        let axis = Axis.linear(minimum: minimum, maximum: maximum, targetTickCount: 6, headroom: 0.02)
        #expect(axis.range.lowerBound <= minimum && axis.range.upperBound >= maximum)
        #expect(axis.range.upperBound > axis.range.lowerBound)
        #expect((3...12).contains(axis.ticks.count), "\(axis.majorLabels)")
        for tick in axis.ticks {
            #expect(axis.range.contains(tick.value) || abs(tick.value - axis.range.upperBound) < 1e-12)
        }
        #expect(Set(axis.majorLabels).count == axis.majorLabels.count, "labels are distinct: \(axis.majorLabels)")
    }

    @Test("The step axis ends at the last record and ticks whole steps")
    func stepAxis() {
        let axis = Axis.linear(minimum: 0, maximum: 7, targetTickCount: 10, roundOutward: false, integerTicks: true)
        #expect(axis.range == 0...7)
        #expect(axis.majorLabels == ["0", "1", "2", "3", "4", "5", "6", "7"])
        let long = Axis.linear(minimum: 0, maximum: 10_000, targetTickCount: 10, roundOutward: false, integerTicks: true)
        #expect(long.majorLabels.first == "0" && long.majorLabels.last == "10000")
    }

    @Test("A log axis ticks decades and leaves out what it cannot show")
    func log() {
        let axis = Axis.log(minimum: 1e-9, maximum: 0.01)
        #expect(axis.scale == .log)
        #expect(axis.range.lowerBound < 1e-9 && axis.range.upperBound > 0.01)
        #expect(axis.majorLabels == ["1e-9", "1e-8", "1e-7", "1e-6", "1e-5", "1e-4", "1e-3", "1e-2"])
        #expect(axis.fraction(0) == nil && axis.fraction(-1) == nil && axis.fraction(.nan) == nil)
        let narrow = Axis.log(minimum: 0.02, maximum: 0.5)
        #expect(narrow.majorLabels == ["0.01", "0.1", "1"], "fixed labels when every decade reads well so")
        #expect(narrow.ticks.contains { !$0.isMajor && abs($0.value - 0.05) < 1e-12 }, "minor ticks over few decades")
        let mixed = Axis.log(minimum: 0.002, maximum: 0.05)
        #expect(mixed.majorLabels == ["1e-3", "1e-2", "1e-1"], "one style for the whole axis")
        let wide = Axis.log(minimum: 1e-30, maximum: 1)
        #expect(wide.majorLabels.count <= 8)
    }
}

@Suite("Curve simplification")
struct SimplifierTests {
    @Test("A straight line keeps its ends")
    func straight() {
        let line = (0...10_000).map { ScreenPoint(x: Double($0) * 0.07, y: 3 + Double($0) * 0.01) }
        #expect(PolylineSimplifier.simplify(line) == [line.first!, line.last!])
    }

    @Test("A step drop stays a sharp edge")
    func step() {
        // StepLR's shape: flat, one step down, flat.
        let points = (0...200).map { ScreenPoint(x: Double($0) * 3.5, y: $0 < 40 ? 10 : 200) }
        let kept = PolylineSimplifier.simplify(points)
        #expect(kept.count == 4)
        #expect(kept.contains(ScreenPoint(x: 39 * 3.5, y: 10)) && kept.contains(ScreenPoint(x: 40 * 3.5, y: 200)))
    }

    @Test("No dropped point is farther than the tolerance from the kept line", arguments: [0.1, 0.25, 1.0])
    func tolerance(tolerance: Double) {
        // 10,000 samples of a cosine over 700 × 380 px.
        let points = (0...10_000).map { index -> ScreenPoint in
            let t = Double(index) / 10_000
            return ScreenPoint(x: 70 + 700 * t, y: 20 + 190 * (1 - cos(Double.pi * t)))
        }
        let kept = PolylineSimplifier.simplify(points, tolerance: tolerance)
        #expect(kept.count < 100)
        var segment = 0
        for point in points {
            while segment < kept.count - 2 && kept[segment + 1].x < point.x { segment += 1 }
            let a = kept[segment], b = kept[segment + 1]
            let t = (point.x - a.x) / (b.x - a.x)
            let y = a.y + t * (b.y - a.y)
            #expect(abs(y - point.y) <= tolerance * 1.5)
        }
    }
}

@Suite("Styles")
struct StyleTests {
    @Test("Seven Okabe–Ito colours, then dash patterns")
    func slots() {
        let styles = (0..<16).map(PlotStyle.init(slot:))
        #expect(Set(styles.prefix(7).map(\.colour)).count == 7)
        #expect(styles.prefix(7).allSatisfy { $0.dashPattern == nil })
        #expect(styles[7].colour == styles[0].colour && styles[7].dashPattern != nil)
        #expect(styles[14].dashPattern != styles[7].dashPattern)
        #expect(!PlotStyle.palette.contains { $0.hex == "#F0E442" }, "yellow is too faint on white")
    }
}

#if canImport(Glibc)
import Glibc
#endif
