/// Draws a ``Chart`` in a terminal with braille characters (U+2800…U+28FF),
/// each cell a 2 × 4 grid of dots, for a quick look over SSH.
///
/// Every curve also gets a symbol (`o`, `x`, `+`, …) placed at a few points
/// along it and in the legend, so curves stay apart without colour; with
/// ``colour`` on (a terminal), each curve's cells and symbol take an ANSI
/// colour close to its SVG colour. A cell shared by two curves shows the
/// one drawn last.
///
/// ```swift
/// let text = TerminalChart(columns: 80).render(chart, options: PlotOptions()).text
/// print(text)
/// ```
public struct TerminalChart: Sendable {
    /// The width of the output in characters, labels included.
    public var columns: Int
    /// Whether to emit ANSI colour escapes.
    public var colour: Bool
    /// The height of the learning-rate panel, in character rows.
    public var learningRateRows = 16
    /// The height of the momentum panel, in character rows.
    public var momentumRows = 8

    /// A renderer `columns` wide (at least 30), with or without colour.
    public init(columns: Int = 80, colour: Bool = false) {
        self.columns = max(30, columns)
        self.colour = colour
    }

    /// The symbols that tell curves apart.
    public static let symbols: [Character] = ["o", "x", "+", "*", "#", "@", "%", "&", "=", "$", "~", "^"]

    /// ANSI 256-colour codes nearest ``PlotStyle/palette`` (black is the
    /// terminal's own foreground, in bold).
    static let ansiColours = ["38;5;32", "38;5;166", "38;5;36", "38;5;178", "38;5;175", "38;5;74", "1"]

    /// Draws `chart`: the text (ending in a newline) and the renderer's notes.
    public func render(_ chart: Chart, options: PlotOptions) -> (text: String, notes: [String]) {
        let axes = ChartAxes(
            chart: chart, options: options, stepTicks: max(2, (columns - 12) / 12), learningRateTicks: 4,
            momentumTicks: 2)
        let notes = axes.notes
        var lines: [String] = []
        if let title = chart.title { lines.append(title) }
        lines.append(options.logScale ? "learning rate (log scale)" : "learning rate")
        lines += panel(chart, panel: .learningRate, xAxis: axes.step, yAxis: axes.learningRate, rows: learningRateRows)
        if let momentumAxis = axes.momentum {
            lines.append("momentum / betas[0]")
            lines += panel(chart, panel: .momentum, xAxis: axes.step, yAxis: momentumAxis, rows: momentumRows)
        }
        // Legend, packed into lines.
        var line = ""
        var lineWidth = 0
        for (index, entry) in chart.entries.enumerated() {
            let symbol = Self.symbols[index % Self.symbols.count]
            let text = "\(symbol) \(entry.curve.label)"
            let width = text.count + 3
            if lineWidth > 0 && lineWidth + width > columns {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            line += (lineWidth > 0 ? "   " : "") + paint(text, slot: entry.style.slot)
            lineWidth += lineWidth > 0 ? width : width - 3
        }
        if !line.isEmpty { lines.append(line) }
        return (lines.joined(separator: "\n") + "\n", notes)
    }

    // MARK: - Panels

    private func panel(_ chart: Chart, panel: PlotPanel, xAxis: Axis, yAxis: Axis, rows: Int) -> [String] {
        let labels = yAxis.ticks.filter(\.isMajor)
        let labelWidth = max(1, labels.map(\.label.count).max() ?? 1)
        let cells = max(10, columns - labelWidth - 2)
        var canvas = BrailleCanvas(columns: cells, rows: rows)

        for (index, entry) in chart.entries.enumerated() {
            let values = panel == .learningRate ? entry.curve.learningRates : entry.curve.momenta
            var previous: (Int, Int)?
            let spacing = max(8, cells / 4)
            let offset = (index * spacing) / max(1, chart.entries.count) + spacing / 2
            var marked = Set<Int>()
            for (record, value) in values.enumerated() {
                guard record < entry.curve.steps.count, let yFraction = yAxis.fraction(value),
                    let xFraction = xAxis.fraction(Double(entry.curve.steps[record]))
                else {
                    previous = nil
                    continue
                }
                let point = canvas.dot(x: xFraction, y: yFraction)
                if let previous {
                    canvas.line(from: previous, to: point, owner: index)
                } else {
                    canvas.set(point, owner: index)
                }
                previous = point
                let column = point.0 / 2
                if column % spacing == offset % spacing && !marked.contains(column) {
                    marked.insert(column)
                    canvas.mark(column: column, row: point.1 / 4, symbol: Self.symbols[index % Self.symbols.count], owner: index)
                }
            }
        }
        for mark in chart.marks where mark.divergence.panel == panel {
            if let expected = mark.divergence.expected, let yFraction = yAxis.fraction(expected),
                let xFraction = xAxis.fraction(Double(mark.divergence.step))
            {
                let point = canvas.dot(x: xFraction, y: yFraction)
                canvas.mark(column: point.0 / 2, row: point.1 / 4, symbol: "!", owner: -1)
            }
        }

        // Rows, with the y labels at the rows nearest their ticks.
        var rowLabels = [String?](repeating: nil, count: rows)
        for tick in labels {
            guard let fraction = yAxis.fraction(tick.value) else { continue }
            let row = canvas.dot(x: 0, y: fraction).1 / 4  // the row its dots fall in
            if (0..<rows).contains(row), rowLabels[row] == nil { rowLabels[row] = tick.label }
        }
        let entries = chart.entries
        var lines: [String] = []
        for row in 0..<rows {
            let label = rowLabels[row] ?? ""
            var line = String(repeating: " ", count: labelWidth - label.count) + label
            line += rowLabels[row] == nil ? " │" : " ┤"
            for column in 0..<cells {
                let (character, owner) = canvas.cell(column: column, row: row)
                if owner >= 0 && owner < entries.count {
                    line += paint(String(character), slot: entries[owner].style.slot)
                } else {
                    line += String(character)
                }
            }
            lines.append(line)
        }
        // The step axis: tick marks, then labels centred under them.
        var axisLine = Array(repeating: Character("─"), count: cells)
        var labelLine = Array(repeating: Character(" "), count: cells)
        var freeFrom = 0
        for (tick, fraction) in xAxis.placedMajorTicks {
            let column = clampedIndex(fraction * Double(cells - 1), count: cells)
            axisLine[column] = "┬"
            let text = Array(tick.label)
            let start = min(max(0, column - text.count / 2), cells - text.count)
            if start >= freeFrom {
                for (offset, character) in text.enumerated() { labelLine[start + offset] = character }
                freeFrom = start + text.count + 1
            }
        }
        lines.append(String(repeating: " ", count: labelWidth + 1) + "└" + String(axisLine))
        var stepLine = String(repeating: " ", count: labelWidth + 2) + String(labelLine)
        while stepLine.last == " " { stepLine.removeLast() }
        if stepLine.count + 6 <= columns { stepLine += "  step" }
        lines.append(stepLine)
        return lines
    }

    private func paint(_ text: String, slot: Int) -> String {
        guard colour else { return text }
        return "\u{1B}[\(Self.ansiColours[slot % Self.ansiColours.count])m\(text)\u{1B}[0m"
    }
}

/// A grid of braille cells, drawn dot by dot; each cell remembers the curve
/// that drew in it last, and may hold a symbol instead of dots.
struct BrailleCanvas {
    let columns: Int
    let rows: Int
    private var bits: [UInt8]
    private var owners: [Int]
    private var symbols: [Character?]

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        bits = Array(repeating: 0, count: columns * rows)
        owners = Array(repeating: -1, count: columns * rows)
        symbols = Array(repeating: nil, count: columns * rows)
    }

    var dotWidth: Int { columns * 2 }
    var dotHeight: Int { rows * 4 }

    /// The dot of a point given as fractions of the axes (y from the bottom).
    func dot(x: Double, y: Double) -> (Int, Int) {
        let dx = clampedIndex(min(1, max(0, x)) * Double(dotWidth - 1), count: dotWidth)
        let dy = clampedIndex((1 - min(1, max(0, y))) * Double(dotHeight - 1), count: dotHeight)
        return (dx, dy)
    }

    /// Sets one dot.
    mutating func set(_ point: (Int, Int), owner: Int) {
        let (x, y) = point
        guard (0..<dotWidth).contains(x), (0..<dotHeight).contains(y) else { return }
        let index = (y / 4) * columns + x / 2
        // Dot numbering of the braille block: left column 1, 2, 3, 7; right 4, 5, 6, 8.
        let masks: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        bits[index] |= masks[x % 2][y % 4]
        owners[index] = owner
    }

    /// Draws a line of dots (Bresenham).
    mutating func line(from start: (Int, Int), to end: (Int, Int), owner: Int) {
        var (x, y) = start
        let dx = abs(end.0 - x), dy = -abs(end.1 - y)
        let sx = x < end.0 ? 1 : -1, sy = y < end.1 ? 1 : -1
        var error = dx + dy
        while true {
            set((x, y), owner: owner)
            if x == end.0 && y == end.1 { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }

    /// Puts a symbol in a cell.
    mutating func mark(column: Int, row: Int, symbol: Character, owner: Int) {
        guard (0..<columns).contains(column), (0..<rows).contains(row) else { return }
        symbols[row * columns + column] = symbol
        owners[row * columns + column] = owner
    }

    /// What a cell shows, and the curve that drew it (-1 for none).
    func cell(column: Int, row: Int) -> (Character, Int) {
        let index = row * columns + column
        if let symbol = symbols[index] { return (symbol, owners[index]) }
        if bits[index] == 0 { return (" ", -1) }
        return (Character(Unicode.Scalar(0x2800 + UInt32(bits[index]))!), owners[index])
    }
}

/// `x` rounded to an index in `0..<count` (NaN: 0): chart positions come
/// from data, which may be anything.
func clampedIndex(_ x: Double, count: Int) -> Int {
    guard x > 0 else { return 0 }
    let top = Double(max(0, count - 1))
    return x >= top ? max(0, count - 1) : Int(x.rounded())
}
