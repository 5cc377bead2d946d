import AnnealPlot
import Testing

@Suite("Terminal charts")
struct TerminalChartTests {
    @Test("Braille curves, a labelled y axis, a step axis and a legend, within the width", arguments: [40, 80, 132])
    func layout(columns: Int) throws {
        let runs = try seedFigureSpecs.map { try PlotInputs.schedule(specAt: $0) }
        let (text, notes) = TerminalChart(columns: columns).render(Chart(runs: runs), options: PlotOptions(momentum: true))
        #expect(notes.isEmpty)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        for line in lines { #expect(line.count <= columns, "\(line.count) > \(columns): \(line)") }
        #expect(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "braille dots")
        #expect(lines.first == "learning rate")
        #expect(lines.contains("momentum / betas[0]"))
        #expect(lines.filter { $0.contains("└") }.count == 2, "a step axis under each panel")
        #expect(lines.contains { $0.hasSuffix("0.01 ┤") || $0.contains("0.01 ┤") })
        for (index, name) in seedFigureNames.enumerated() {
            #expect(text.contains("\(TerminalChart.symbols[index % TerminalChart.symbols.count]) \(name)"))
        }
        #expect(!text.contains("\u{1B}["), "no colour unless asked")
    }

    @Test("Colour on a terminal")
    func colour() throws {
        let run = try PlotInputs.schedule(specAt: twoGroups)
        let text = TerminalChart(columns: 60, colour: true).render(Chart(runs: [run]), options: PlotOptions()).text
        #expect(text.contains("\u{1B}[38;5;32m") && text.contains("\u{1B}[0m"))
    }

    @Test("Log scale in the terminal: decade labels and the skipped values noted")
    func logScale() throws {
        let run = try PlotInputs.schedule(specAt: toZero)
        let (text, notes) = TerminalChart(columns: 60).render(Chart(runs: [run]), options: PlotOptions(logScale: true))
        #expect(text.hasPrefix("learning rate (log scale)\n"))
        #expect(text.contains("0.001 ┤") || text.contains("1e-3 ┤"))
        #expect(notes.count == 1 && notes[0].contains("not drawn on the log scale"))
    }

    @Test("Deterministic")
    func deterministic() throws {
        let runs = try seedFigureSpecs.map { try PlotInputs.schedule(specAt: $0) }
        let chart = Chart(runs: runs, title: "Ten schedules")
        #expect(TerminalChart().render(chart, options: PlotOptions()).text == TerminalChart().render(chart, options: PlotOptions()).text)
    }
}
