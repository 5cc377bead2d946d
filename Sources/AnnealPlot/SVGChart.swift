import Anneal

/// A chart drawn as SVG, with what a caller may want to check about it.
public struct RenderedChart: Sendable {
    /// The SVG document (UTF-8 text ending in a newline).
    public var text: String
    /// The axes the curves were drawn on.
    public var axes: ChartAxes
    /// For each `<path>` of the document, in document order: its panel, the
    /// curve's label, and the number of points after simplification.
    public var paths: [(panel: PlotPanel, label: String, points: Int)]
    /// What the renderer itself has to say (values a log axis cannot show,
    /// a momentum panel with nothing in it).
    public var notes: [String]
}

/// Draws a ``Chart`` as a self-contained SVG: a learning-rate panel, an
/// optional momentum panel below it on the same step axis, a legend to the
/// right naming every curve, and the notes underneath.
///
/// The output is deterministic: coordinates are rounded to 0.01 px with a
/// fixed formatter, nothing depends on the clock, the locale or hashing.
/// Every curve is one `<path>` per panel (class `curve`, or `curve
/// reference` for a golden's curve under Anneal's), simplified in screen
/// space by ``PolylineSimplifier`` so a 10,000-step schedule stays small.
/// Panels carry their ranges as `data-x-range` and `data-y-range`.
///
/// ```swift
/// let run = try PlotInputs.schedule(specAt: "cosine.json", steps: 200)
/// let svg = SVGChart().render(Chart(runs: [run]), options: PlotOptions()).text
/// ```
public struct SVGChart: Sendable {
    /// The width of the whole picture, in pixels.
    public var width: Double = 960
    /// The height of the learning-rate plot area.
    public var learningRateHeight: Double = 380
    /// The height of the momentum plot area.
    public var momentumHeight: Double = 160
    /// How far (in pixels) simplification may move a curve.
    public var tolerance: Double = PolylineSimplifier.defaultTolerance

    /// A renderer with the default size (960 px wide).
    public init() {}

    // Text metrics for the 12 px sans-serif the labels use (DejaVu Sans is
    // the widest of the usual fallbacks, so the estimate errs wide).
    static let characterWidth = 7.2
    static let noteCharacterWidth = 6.4
    static let font = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
    static let legendLineLength = 34

    /// Draws `chart`.
    public func render(_ chart: Chart, options: PlotOptions) -> RenderedChart {
        let axes = ChartAxes(
            chart: chart, options: options, stepTicks: 10, learningRateTicks: 7,
            momentumTicks: momentumHeight >= 150 ? 4 : 3)
        let notes = axes.notes
        let allNotes = chart.notes + notes

        // Layout.
        // Legend entries, long labels broken over lines.
        let labels = chart.entries.map { Self.legendLines($0.curve.label, limit: Self.legendLineLength) }
        let legendTextWidth = Double(labels.flatMap { $0 }.map(\.count).max() ?? 0) * Self.characterWidth
        let legendWidth = 36 + legendTextWidth + 14
        let yLabelWidth = Double(
            ([axes.learningRate] + (axes.momentum.map { [$0] } ?? [])).flatMap(\.majorLabels).map(\.count).max() ?? 1)
            * Self.characterWidth
        let left = (14 + 16 + 10 + yLabelWidth + 6).rounded()
        let right = (width - legendWidth - 32).rounded()
        let top: Double = chart.title == nil ? 16 : 46
        let lrBox = Box(left: left, top: top, right: right, bottom: top + learningRateHeight)
        var momentumBox: Box?
        var plotBottom = lrBox.bottom
        if axes.momentum != nil {
            momentumBox = Box(left: left, top: lrBox.bottom + 24, right: right, bottom: lrBox.bottom + 24 + momentumHeight)
            plotBottom = momentumBox!.bottom
        }
        let legendLineCount = labels.reduce(0) { $0 + $1.count }
        let legendHeight = Double(labels.count) * 6 + Double(legendLineCount) * 14 + 16
        let noteLines = allNotes.flatMap { Self.wrapped($0, width: Int((width - 28) / Self.noteCharacterWidth)) }
        let notesTop = max(plotBottom + 50, top + legendHeight + 10)
        let height = (notesTop + Double(noteLines.count) * 15 + (noteLines.isEmpty ? 0 : 10)).rounded(.up)

        var svg = SVGText()
        let title = chart.title ?? "Learning-rate schedules"
        svg.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(c(width))\" height=\"\(c(height))\" "
                + "viewBox=\"0 0 \(c(width)) \(c(height))\" font-family=\"\(Self.font)\" font-size=\"12\">\n")
        svg.append("<title>\(escape(title))</title>\n")
        svg.append("<rect width=\"\(c(width))\" height=\"\(c(height))\" fill=\"#ffffff\"/>\n")
        if let chartTitle = chart.title {
            svg.append(
                "<text class=\"title\" x=\"\(c((lrBox.left + lrBox.right) / 2))\" y=\"30\" text-anchor=\"middle\" "
                    + "font-size=\"16\" font-weight=\"bold\">\(escape(chartTitle))</text>\n")
        }
        svg.append("<defs>\n")
        svg.append(clip("clip-lr", lrBox))
        if let momentumBox { svg.append(clip("clip-momentum", momentumBox)) }
        svg.append("</defs>\n")

        var paths: [(panel: PlotPanel, label: String, points: Int)] = []
        drawPanel(
            into: &svg, paths: &paths, chart: chart, panel: .learningRate, box: lrBox, xAxis: axes.step,
            yAxis: axes.learningRate, yTitle: options.logScale ? "learning rate (log scale)" : "learning rate",
            stepLabels: momentumBox == nil)
        if let momentumBox, let momentumAxis = axes.momentum {
            drawPanel(
                into: &svg, paths: &paths, chart: chart, panel: .momentum, box: momentumBox, xAxis: axes.step,
                yAxis: momentumAxis, yTitle: "momentum / betas[0]", stepLabels: true)
        }
        svg.append(
            "<text class=\"axis-title\" x=\"\(c((lrBox.left + lrBox.right) / 2))\" y=\"\(c(plotBottom + 40))\" "
                + "text-anchor=\"middle\" font-size=\"13\">step</text>\n")

        for mark in chart.marks {
            drawMark(into: &svg, mark: mark, axes: axes, lrBox: lrBox, momentumBox: momentumBox)
        }

        // Legend, to the right of the plots: it never covers a curve.
        let legendLeft = right + 20
        if !chart.entries.isEmpty {
            svg.append(
                "<g class=\"legend\">\n<rect x=\"\(c(legendLeft))\" y=\"\(c(top))\" width=\"\(c(legendWidth))\" "
                    + "height=\"\(c(legendHeight))\" fill=\"#ffffff\" stroke=\"#cccccc\"/>\n")
            var y = top + 18
            for (index, entry) in chart.entries.enumerated() {
                let x0 = legendLeft + 10
                svg.append("<g class=\"legend-entry\" data-label=\"\(escape(entry.curve.label))\">")
                svg.append(
                    "<line x1=\"\(c(x0))\" y1=\"\(c(y - 4))\" x2=\"\(c(x0 + 26))\" y2=\"\(c(y - 4))\""
                        + strokeAttributes(entry) + "/>")
                svg.append("<text x=\"\(c(x0 + 34))\" y=\"\(c(y))\">")
                for (line, text) in labels[index].enumerated() {
                    svg.append(
                        line == 0
                            ? escape(text) : "<tspan x=\"\(c(x0 + 34))\" dy=\"14\">\(escape(text))</tspan>")
                }
                svg.append("</text></g>\n")
                y += 6 + 14 * Double(labels[index].count)
            }
            svg.append("</g>\n")
        }

        if !noteLines.isEmpty {
            svg.append("<g class=\"notes\" font-size=\"11\" fill=\"#444444\">\n")
            for (index, line) in noteLines.enumerated() {
                // SVG collapses leading spaces: indent continuation lines by position.
                let indented = line.hasPrefix("  ")
                svg.append(
                    "<text x=\"\(indented ? 26 : 14)\" y=\"\(c(notesTop + 12 + Double(index) * 15))\">"
                        + "\(escape(indented ? String(line.dropFirst(2)) : line))</text>\n")
            }
            svg.append("</g>\n")
        }
        svg.append("</svg>\n")
        return RenderedChart(text: svg.text, axes: axes, paths: paths, notes: notes)
    }

    // MARK: - Panels

    private func drawPanel(
        into svg: inout SVGText, paths: inout [(panel: PlotPanel, label: String, points: Int)], chart: Chart,
        panel: PlotPanel, box: Box, xAxis: Axis, yAxis: Axis, yTitle: String, stepLabels: Bool
    ) {
        let xRange = "\(r(xAxis.range.lowerBound)) \(r(xAxis.range.upperBound))"
        let yRange = "\(r(yAxis.range.lowerBound)) \(r(yAxis.range.upperBound))"
        svg.append(
            "<g class=\"panel\" id=\"\(panel == .learningRate ? "lr-panel" : "momentum-panel")\" "
                + "data-x-range=\"\(xRange)\" data-y-range=\"\(yRange)\" data-y-scale=\"\(yAxis.scale.rawValue)\">\n")
        // Grid.
        svg.append("<g class=\"grid\" stroke=\"#e6e6e6\" stroke-width=\"1\">\n")
        for (tick, fraction) in yAxis.placedMajorTicks {
            let y = box.y(fraction)
            svg.append("<line x1=\"\(c(box.left))\" y1=\"\(c(y))\" x2=\"\(c(box.right))\" y2=\"\(c(y))\"/>\n")
        }
        for (tick, fraction) in xAxis.placedMajorTicks {
            let x = box.x(fraction)
            svg.append("<line x1=\"\(c(x))\" y1=\"\(c(box.top))\" x2=\"\(c(x))\" y2=\"\(c(box.bottom))\"/>\n")
        }
        svg.append("</g>\n")
        // Ticks and their labels.
        svg.append("<g class=\"y-ticks\" stroke=\"#333333\">\n")
        for tick in yAxis.ticks {
            guard let fraction = yAxis.fraction(tick.value), (-1e-9...1.000000001).contains(fraction) else { continue }
            let y = box.y(fraction)
            let length = tick.isMajor ? 5.0 : 3.0
            svg.append("<line x1=\"\(c(box.left - length))\" y1=\"\(c(y))\" x2=\"\(c(box.left))\" y2=\"\(c(y))\"/>\n")
        }
        svg.append("</g>\n<g class=\"y-tick-labels\" text-anchor=\"end\">\n")
        for (tick, fraction) in yAxis.placedMajorTicks {
            svg.append(
                "<text x=\"\(c(box.left - 8))\" y=\"\(c(box.y(fraction) + 4))\" "
                    + "data-value=\"\(r(tick.value))\">\(escape(tick.label))</text>\n")
        }
        svg.append("</g>\n<g class=\"x-ticks\" stroke=\"#333333\">\n")
        for (tick, fraction) in xAxis.placedMajorTicks {
            let x = box.x(fraction)
            svg.append("<line x1=\"\(c(x))\" y1=\"\(c(box.bottom))\" x2=\"\(c(x))\" y2=\"\(c(box.bottom + 5))\"/>\n")
        }
        svg.append("</g>\n")
        if stepLabels {
            svg.append("<g class=\"x-tick-labels\" text-anchor=\"middle\">\n")
            for (tick, fraction) in xAxis.placedMajorTicks {
                svg.append(
                    "<text x=\"\(c(box.x(fraction)))\" y=\"\(c(box.bottom + 19))\" "
                        + "data-value=\"\(r(tick.value))\">\(escape(tick.label))</text>\n")
            }
            svg.append("</g>\n")
        }
        let middle = (box.top + box.bottom) / 2
        svg.append(
            "<text class=\"axis-title\" transform=\"translate(22 \(c(middle))) rotate(-90)\" text-anchor=\"middle\" "
                + "font-size=\"13\">\(escape(yTitle))</text>\n")

        // Curves: the golden's wide, pale lines first, Anneal's on top.
        svg.append(
            "<g class=\"curves\" clip-path=\"url(#\(panel == .learningRate ? "clip-lr" : "clip-momentum"))\" fill=\"none\" "
                + "stroke-linejoin=\"round\" stroke-linecap=\"round\">\n")
        let ordered =
            chart.entries.filter { $0.curve.role == .reference } + chart.entries.filter { $0.curve.role == .schedule }
        for entry in ordered {
            let values = panel == .learningRate ? entry.curve.learningRates : entry.curve.momenta
            if panel == .momentum && !entry.curve.hasMomentum { continue }
            let (d, count) = pathData(values: values, steps: entry.curve.steps, xAxis: xAxis, yAxis: yAxis, box: box)
            let kind = entry.curve.role == .reference ? "curve reference" : "curve"
            svg.append(
                "<path class=\"\(kind)\" data-label=\"\(escape(entry.curve.label))\" data-points=\"\(count)\""
                    + strokeAttributes(entry) + " d=\"\(d)\"/>\n")
            paths.append((panel, entry.curve.label, count))
        }
        svg.append("</g>\n")
        svg.append(
            "<rect class=\"frame\" x=\"\(c(box.left))\" y=\"\(c(box.top))\" width=\"\(c(box.width))\" "
                + "height=\"\(c(box.height))\" fill=\"none\" stroke=\"#333333\"/>\n")
        svg.append("</g>\n")
    }

    /// The `d` of a curve and its number of points: one subpath per run of
    /// drawable values, each simplified.
    func pathData(values: [Double], steps: [Int], xAxis: Axis, yAxis: Axis, box: Box) -> (String, Int) {
        var runs: [[ScreenPoint]] = []
        var current: [ScreenPoint] = []
        for (index, value) in values.enumerated() {
            guard index < steps.count, let yFraction = yAxis.fraction(value),
                let xFraction = xAxis.fraction(Double(steps[index]))
            else {
                if !current.isEmpty { runs.append(current) }
                current = []
                continue
            }
            current.append(ScreenPoint(x: box.x(xFraction), y: box.y(yFraction)))
        }
        if !current.isEmpty { runs.append(current) }
        var d = ""
        var count = 0
        for run in runs {
            let kept = PolylineSimplifier.simplify(run, tolerance: tolerance)
            var previous = ""
            var first = true
            for point in kept {
                let text = c(point.x) + "," + c(point.y)
                if text == previous { continue }
                d += first ? "M" + text : " " + text
                previous = text
                first = false
                count += 1
            }
            if kept.count == 1 { d += "h0" }
        }
        return (d, count)
    }

    private func strokeAttributes(_ entry: Chart.Entry) -> String {
        var attributes = " stroke=\"\(entry.style.colour)\""
        if entry.curve.role == .reference {
            attributes += " stroke-width=\"7\" stroke-opacity=\"0.3\""
        } else {
            attributes += " stroke-width=\"2\""
            if let dash = entry.style.dashPattern { attributes += " stroke-dasharray=\"\(dash)\"" }
        }
        return attributes
    }

    // MARK: - Divergence marks

    private func drawMark(into svg: inout SVGText, mark: Chart.Mark, axes: ChartAxes, lrBox: Box, momentumBox: Box?) {
        let divergence = mark.divergence
        guard let xFraction = axes.step.fraction(Double(divergence.step)) else { return }
        let x = lrBox.x(min(1, max(0, xFraction)))
        let bottom = momentumBox?.bottom ?? lrBox.bottom
        svg.append(
            "<g class=\"divergence\" data-record=\"\(divergence.recordIndex)\" data-step=\"\(divergence.step)\" "
                + "data-path=\"\(escape(divergence.path))\" data-label=\"\(escape(mark.name))\">\n")
        svg.append(
            "<line x1=\"\(c(x))\" y1=\"\(c(lrBox.top))\" x2=\"\(c(x))\" y2=\"\(c(bottom))\" stroke=\"#000000\" "
                + "stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>\n")
        var box: Box?
        var axis: Axis?
        switch divergence.panel {
        case .learningRate?: (box, axis) = (lrBox, axes.learningRate)
        case .momentum?: (box, axis) = (momentumBox, axes.momentum)
        case nil: break
        }
        if let box, let axis {
            if let expected = divergence.expected, let fraction = axis.fraction(expected) {
                svg.append(
                    "<circle class=\"expected\" cx=\"\(c(x))\" cy=\"\(c(box.y(fraction)))\" r=\"6\" fill=\"none\" "
                        + "stroke=\"\(mark.style.colour)\" stroke-width=\"2\"/>\n")
            }
            if let got = divergence.got, let fraction = axis.fraction(got) {
                svg.append(
                    "<circle class=\"got\" cx=\"\(c(x))\" cy=\"\(c(box.y(fraction)))\" r=\"3\" fill=\"#000000\"/>\n")
            }
        }
        let onRight = xFraction > 0.6
        let label = "first divergence: record \(divergence.recordIndex), \(divergence.path)"
        svg.append(
            "<text x=\"\(c(x + (onRight ? -6 : 6)))\" y=\"\(c(lrBox.top + 16))\" text-anchor=\"\(onRight ? "end" : "start")\" "
                + "font-size=\"11\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">\(escape(label))</text>\n")
        svg.append("</g>\n")
    }

    // MARK: - Helpers

    private func clip(_ id: String, _ box: Box) -> String {
        // A little room around the plot area so a line along an edge keeps its width.
        "<clipPath id=\"\(id)\"><rect x=\"\(c(box.left - 3))\" y=\"\(c(box.top - 3))\" width=\"\(c(box.width + 6))\" "
            + "height=\"\(c(box.height + 6))\"/></clipPath>\n"
    }

    /// `text` broken at spaces into lines of at most `width` characters
    /// (a longer word gets a line of its own); continuation lines are
    /// indented by two spaces.
    static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = "  " + word
            } else {
                line += line.isEmpty ? String(word) : " " + word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// `label` broken into lines of at most `limit` characters, after a
    /// space, comma or slash where possible (a spec name like
    /// `OneCycleLR/long,three_phase,steps=10000` has few spaces).
    static func legendLines(_ label: String, limit: Int) -> [String] {
        // Pieces that each end at a break opportunity.
        var pieces: [String] = []
        var piece = ""
        for character in label {
            piece.append(character)
            if character == " " || character == "," || character == "/" {
                pieces.append(piece)
                piece = ""
            }
        }
        if !piece.isEmpty { pieces.append(piece) }
        var lines: [String] = []
        var line = ""
        for var piece in pieces {
            while piece.count > limit {  // no break opportunity: cut
                if !line.isEmpty { lines.append(line); line = "" }
                lines.append(String(piece.prefix(limit)))
                piece = String(piece.dropFirst(limit))
            }
            if line.count + piece.trimmingTrailingSpace.count > limit && !line.isEmpty {
                lines.append(line)
                line = ""
            }
            line += piece
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map(\.trimmingTrailingSpace)
    }
}

extension String {
    /// The string without trailing spaces.
    fileprivate var trimmingTrailingSpace: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}

/// A plot area, in pixels.
struct Box: Sendable {
    var left, top, right, bottom: Double
    var width: Double { right - left }
    var height: Double { bottom - top }
    /// The x of a fraction of the step axis.
    func x(_ fraction: Double) -> Double { left + fraction * width }
    /// The y of a fraction of a value axis (0 at the bottom).
    func y(_ fraction: Double) -> Double { bottom - fraction * height }
}

/// A growing SVG document.
struct SVGText {
    var text = ""
    init() { text.reserveCapacity(16_384) }
    mutating func append(_ piece: String) { text += piece }
}

/// A coordinate, to 0.01 px.
@inline(__always) func c(_ value: Double) -> String { NumberFormat.coordinate(value) }

/// A data value, shortest round-trip text.
func r(_ value: Double) -> String { pythonFloatRepr(value) }

/// Text for XML content and attributes.
func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default:
            // Control characters are not allowed in XML 1.0.
            if character.value < 0x20 && character != "\t" && character != "\n" { out += " " } else {
                out.unicodeScalars.append(character)
            }
        }
    }
    return out
}
