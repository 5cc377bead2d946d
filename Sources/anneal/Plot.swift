import AnnealConformance
import AnnealSpec
import AnnealPlot
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

extension AnnealCommand {
    /// `anneal plot SPEC.json... (-o FILE.svg | --ascii) [--steps N] [--log-y] [--momentum] [--title T] [--compare GOLDEN]`.
    struct Plot: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw learning-rate (and momentum) curves as an SVG, or in the terminal.",
            discussion: """
                Runs each spec (the anneal-trace/1 format; a golden is read as its spec) and draws one \
                curve per spec and param group against the step (ops that do not step, such as \
                "set_lr", keep the step of the record before), with a legend naming each curve by the \
                spec's "name". A spec without a "script" gets "--steps" plain steps. "--compare GOLDEN" draws Anneal's run of the golden's spec over the golden's own \
                curve and marks the first divergence. A trace that ends in an exception is drawn up to \
                it; notes like that go to standard error. Exit status: 0 when the plot was drawn, 1 when \
                the output cannot be written, 64 for bad arguments, 65 when an input is unreadable or \
                invalid (with the file and the place).
                """
        )

        @Argument(help: "Trace specs or goldens to draw.")
        var specs: [String] = []

        @Option(
            name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Write the SVG here.", valueName: "file.svg"))
        var output: String?

        @Option(help: ArgumentHelp("Plain steps for a spec without a \"script\".", valueName: "n"))
        var steps: Int = PlotInputs.defaultSteps

        @Flag(name: .customLong("log-y"), help: "Use a logarithmic learning-rate axis.")
        var logY = false

        @Flag(help: "Add a panel with each group's momentum (betas[0] for Adam and AdamW).")
        var momentum = false

        @Option(help: "A title above the plot.")
        var title: String?

        @Option(
            name: .customLong("compare"),
            help: ArgumentHelp(
                "Overlay a golden's recorded curve on Anneal's run of its spec and mark the first divergence (repeatable).",
                valueName: "golden"))
        var goldens: [String] = []

        @Flag(help: "Draw in the terminal with braille characters (width from COLUMNS, else 80).")
        var ascii = false

        func validate() throws {
            if steps < 1 { throw ValidationError("\"--steps\" must be at least 1, got \(steps).") }
            if specs.isEmpty && goldens.isEmpty { throw ValidationError("Give at least one spec or \"--compare GOLDEN\".") }
            if output == nil && !ascii { throw ValidationError("Give \"-o FILE.svg\" or \"--ascii\".") }
        }

        func run() throws {
            var runs: [PlotRun] = []
            var invalid = false
            for spec in specs {
                do {
                    runs.append(try PlotInputs.schedule(specAt: spec, steps: steps))
                } catch {
                    printError("anneal plot: \(error)")
                    invalid = true
                }
            }
            for golden in goldens {
                do {
                    runs.append(try PlotInputs.comparison(goldenAt: golden))
                } catch {
                    printError("anneal plot: \(error)")
                    invalid = true
                }
            }
            if invalid { throw ExitCode.dataError }

            let chart = Chart(runs: runs, title: title)
            let options = PlotOptions(logScale: logY, momentum: momentum)
            var notes = chart.notes
            if let output {
                let rendered = SVGChart().render(chart, options: options)
                notes += rendered.notes
                do {
                    try TextFile.write(rendered.text, to: output)
                } catch {
                    printError("anneal plot: \(error)")
                    throw ExitCode.failure
                }
            }
            if ascii {
                let columns = Int(getenv("COLUMNS").map { String(cString: $0) } ?? "") ?? 80
                let rendered = TerminalChart(columns: columns, colour: isatty(1) != 0).render(chart, options: options)
                if output == nil { notes += rendered.notes }
                print(rendered.text, terminator: "")
            }
            for note in notes { printError("anneal plot: \(note)") }
        }
    }
}
