import Anneal
import AnnealSpec
import AnnealPlot
import Testing

#if canImport(Glibc)
import Glibc
#endif

// Renders known specs and reads the SVG back: one path per curve, axes that
// contain the data, the legend, determinism, size, log ticks, comparisons.

/// The fixtures under Fixtures/plot/ and what they hold.
let twoGroups = repositoryFile("Fixtures/plot/steplr-two-groups.json")
let cosine = repositoryFile("Fixtures/plot/cosine.json")
let cyclic = repositoryFile("Fixtures/plot/cyclic.json")
let oneCycleError = repositoryFile("Fixtures/plot/onecycle-error.json")
let toZero = repositoryFile("Fixtures/plot/linear-to-zero.json")
/// A small PyTorch golden with momentum cycling.
let oneCycleGolden = repositoryFile("Golden/OneCycleLR/max_lr=0.1,total_steps=20,three_phase=true.json")

@Suite("SVG charts")
struct SVGChartTests {
    @Test(
        "One path per spec and group, one legend entry each, named by the spec",
        arguments: [
            ([twoGroups], ["StepLR/two groups, group 0", "StepLR/two groups, group 1"]),
            (seedFigureSpecs, seedFigureNames),
            ([cosine, toZero, twoGroups], [
                "CosineAnnealingLR/T_max=10000", "PolynomialLR/power=1 to zero", "StepLR/two groups, group 0",
                "StepLR/two groups, group 1",
            ]),
        ])
    func pathsAndLegend(specs: [String], labels: [String]) throws {
        let (_, rendered) = try render(specs)
        let paths = elements("path", in: rendered.text)
        #expect(paths.count == labels.count)
        #expect(paths.map { $0["data-label"] ?? "" }.sorted() == labels.sorted())
        #expect(paths.allSatisfy { $0["class"] == "curve" })
        let legend = elements("g", in: rendered.text).filter { $0["class"] == "legend-entry" }
        #expect(legend.map { $0["data-label"] ?? "" } == labels, "legend entries in the specs' order")
        // Every legend entry's text is shown (the labels here fit on one line).
        for label in labels { #expect(rendered.text.contains(">\(escaped(label))</text>")) }
    }

    @Test("The momentum panel adds a path per curve that has a momentum")
    func momentumPanel() throws {
        let (chart, rendered) = try render(seedFigureSpecs, options: PlotOptions(momentum: true))
        let paths = elements("path", in: rendered.text)
        #expect(paths.count == 20, "ten learning-rate paths and ten momentum paths (Adam's betas[0])")
        #expect(rendered.paths.filter { $0.panel == .momentum }.count == 10)
        #expect(rendered.text.contains("id=\"momentum-panel\""))
        let momentum = try #require(rendered.axes.momentum)
        let values = chart.entries.flatMap(\.curve.momenta).filter(\.isFinite)
        #expect(momentum.range.contains(values.min()!) && momentum.range.contains(values.max()!))
        #expect(values.min()! == 0.85 && values.max()! == 0.95, "OneCycleLR cycles betas[0] from 0.95 down to 0.85")
        #expect(!tickLabels("y-tick-labels", panel: "momentum-panel", in: rendered.text).isEmpty)
    }

    @Test(
        "Axis ranges contain the data and every point lies in its panel",
        arguments: [false, true])
    func ranges(logScale: Bool) throws {
        let (chart, rendered) = try render(
            seedFigureSpecs + [twoGroups], options: PlotOptions(logScale: logScale, momentum: true))
        let rates = chart.entries.flatMap(\.curve.learningRates).filter { $0.isFinite && (!logScale || $0 > 0) }
        let panels = elements("g", in: rendered.text).filter { $0["class"] == "panel" }
        #expect(panels.count == 2)
        let lr = try #require(panels.first { $0["id"] == "lr-panel" })
        let yRange = try #require(lr["data-y-range"]).split(separator: " ").compactMap { Double($0) }
        #expect(yRange.count == 2 && yRange[0] <= rates.min()! && yRange[1] >= rates.max()!, "\(yRange)")
        let xRange = try #require(lr["data-x-range"]).split(separator: " ").compactMap { Double($0) }
        #expect(xRange == [0, 200])
        #expect(lr["data-y-scale"] == (logScale ? "log" : "linear"))

        // Pixel space: every point of every path inside its panel's frame.
        let frames = elements("rect", in: rendered.text).filter { $0["class"] == "frame" }
        #expect(frames.count == 2)
        let boxes = frames.map { frame -> (Double, Double, Double, Double) in
            let x = Double(frame["x"]!)!, y = Double(frame["y"]!)!
            return (x, y, x + Double(frame["width"]!)!, y + Double(frame["height"]!)!)
        }
        let paths = elements("path", in: rendered.text)
        for (index, path) in paths.enumerated() {
            let box = rendered.paths[index].panel == .learningRate ? boxes[0] : boxes[1]
            for (x, y) in points(ofPath: path["d"] ?? "") {
                #expect(x >= box.0 - 0.01 && x <= box.2 + 0.01 && y >= box.1 - 0.01 && y <= box.3 + 0.01)
            }
        }
    }

    @Test("The same input gives the same bytes")
    func deterministic() throws {
        let options = PlotOptions(logScale: true, momentum: true)
        let first = try render(seedFigureSpecs + [oneCycleError], options: options, compare: [oneCycleGolden]).rendered
        let second = try render(seedFigureSpecs + [oneCycleError], options: options, compare: [oneCycleGolden]).rendered
        #expect(first.text == second.text)
        #expect(first.text.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(first.text.hasSuffix("</svg>\n"))
    }

    @Test("A 10,000-step schedule is simplified, not drawn point by point", arguments: [cosine, cyclic])
    func small(spec: String) throws {
        let (chart, rendered) = try render([spec], steps: 10_000, options: PlotOptions(momentum: true))
        #expect(chart.entries[0].curve.learningRates.count == 10_001)
        #expect(rendered.text.utf8.count < 12_000, "\(rendered.text.utf8.count) bytes")
        for path in rendered.paths { #expect(path.points <= 80, "\(path.label) in \(path.panel): \(path.points) points") }
        let declared = elements("path", in: rendered.text).map { points(ofPath: $0["d"] ?? "").count }
        #expect(declared == rendered.paths.map(\.points))
    }

    @Test("Log-y: decade ticks, and learning rates ≤ 0 are left out and named")
    func logTicks() throws {
        let (_, rendered) = try render(seedFigureSpecs + [toZero], options: PlotOptions(logScale: true))
        let labels = tickLabels("y-tick-labels", panel: "lr-panel", in: rendered.text)
        #expect(labels == ["1e-9", "1e-8", "1e-7", "1e-6", "1e-5", "1e-4", "1e-3", "1e-2"])
        #expect(rendered.axes.skippedNonPositive.map(\.label) == ["PolynomialLR", "PolynomialLR/power=1 to zero"])
        #expect(rendered.axes.skippedNonPositive.map(\.count) == [1, 11])
        #expect(rendered.notes.contains { $0.contains("12 learning rates ≤ 0 are not drawn on the log scale") })
        #expect(rendered.text.contains("are not drawn on the log scale"), "the note is in the picture too")
        // The curve that reaches 0 breaks there instead of diving to the frame.
        let path = try #require(elements("path", in: rendered.text).first { $0["data-label"] == "PolynomialLR/power=1 to zero" })
        #expect(path["d"]!.occurrences(of: "M") == 1)
    }

    @Test("Linear y-ticks are evenly spaced labels from 0")
    func linearTicks() throws {
        let (_, rendered) = try render(seedFigureSpecs)
        let labels = tickLabels("y-tick-labels", panel: "lr-panel", in: rendered.text)
        #expect(labels.first == "0" && labels.contains("0.01"), "\(labels)")
        #expect(tickLabels("x-tick-labels", panel: "lr-panel", in: rendered.text) == [
            "0", "20", "40", "60", "80", "100", "120", "140", "160", "180", "200",
        ])
    }

    @Test("--compare overlays the golden's curve and marks the first divergence of a perturbed golden")
    func comparePerturbed() throws {
        let golden = try JSONValue.load(contentsOf: oneCycleGolden)
        let perturbed = try #require(perturb(golden, record: 7, group: 0, factor: 1.25))
        let run = try PlotInputs.comparison(golden: perturbed, file: "perturbed.json")
        let divergence = try #require(run.divergence)
        #expect(divergence.recordIndex == 7 && divergence.path == "lr[0]" && divergence.panel == .learningRate)
        #expect(divergence.expected != nil && divergence.got != nil && divergence.expected! > divergence.got!)
        #expect(run.notes.contains { $0.hasPrefix("perturbed.json: first divergence at record 7, lr[0]") })

        let rendered = SVGChart().render(Chart(runs: [run]), options: PlotOptions(momentum: true))
        let marks = elements("g", in: rendered.text).filter { $0["class"] == "divergence" }
        #expect(marks.count == 1)
        #expect(marks.first?["data-record"] == "7" && marks.first?["data-path"] == "lr[0]")
        #expect(elements("circle", in: rendered.text).map { $0["class"] ?? "" } == ["expected", "got"])
        // Anneal's curve and the golden's, in both panels.
        let paths = elements("path", in: rendered.text)
        #expect(paths.filter { $0["class"] == "curve reference" }.count == 2)
        #expect(paths.filter { $0["class"] == "curve" }.count == 2)
        let legend = elements("g", in: rendered.text).filter { $0["class"] == "legend-entry" }.map { $0["data-label"] ?? "" }
        #expect(legend.count == 2)
        #expect(legend[0].hasSuffix("(Anneal)") && legend[1].hasSuffix("(PyTorch 2.13.0)"))
        // The mark sits at step 7 of 20 on the step axis (the golden's script
        // has a state_dict op after step 10, a record that does not step).
        #expect(marks.first?["data-step"] == "7")
        #expect(rendered.axes.step.range == 0...20)
        let line = try #require(elements("line", in: rendered.text).first { $0["stroke-dasharray"] == "4 3" })
        let frame = try #require(elements("rect", in: rendered.text).first { $0["class"] == "frame" })
        let left = Double(frame["x"]!)!, width = Double(frame["width"]!)!
        #expect(abs(Double(line["x1"]!)! - (left + width * 7 / 20)) < 0.01)
    }

    @Test("--compare of a matching golden marks nothing and says it matches")
    func compareMatching() throws {
        let run = try PlotInputs.comparison(goldenAt: oneCycleGolden)
        #expect(run.divergence == nil)
        #expect(run.notes.count == 1 && run.notes[0].contains("matches the golden (22 records, largest distance 0 ULP)"))
        #expect(run.curves.map(\.role) == [.schedule, .reference])
        // 10 steps, a state_dict record, 10 more steps.
        #expect(run.curves[0].steps == Array(0...10) + Array(10...20))
        #expect(run.curves[0].learningRates == run.curves[1].learningRates)
        let rendered = SVGChart().render(Chart(runs: [run]), options: PlotOptions())
        #expect(!rendered.text.contains("class=\"divergence\""))
    }

    @Test("A spec without a script gets --steps plain steps")
    func defaultSteps() throws {
        for steps in [1, 37, 100] {
            let run = try PlotInputs.schedule(specAt: cosine, steps: steps)
            #expect(run.curves.count == 1 && run.curves[0].learningRates.count == steps + 1)
        }
        // A spec with a script keeps it.
        #expect(try PlotInputs.schedule(specAt: twoGroups, steps: 5).curves[0].learningRates.count == 51)
    }

    @Test("A trace that ends in an exception is drawn up to it, and says so")
    func exceptionEndsCurve() throws {
        let run = try PlotInputs.schedule(specAt: oneCycleError)
        #expect(run.curves[0].learningRates.count == 31)
        #expect(run.notes.count == 1)
        #expect(run.notes[0].contains("trace ends at record 31 with ValueError"))
        #expect(run.notes[0].hasPrefix(oneCycleError + ": "))
        let rendered = SVGChart().render(Chart(runs: [run]), options: PlotOptions())
        #expect(rendered.text.contains("trace ends at record 31 with ValueError"))
    }

    @Test("A construction error draws nothing for that spec and says why")
    func constructionError() throws {
        let spec: JSONValue = [
            "format": "anneal-trace/1", "name": "StepLR/bad", "optimizer": ["type": "SGD", "options": ["lr": 0.1]],
            "scheduler": ["type": "StepLR", "args": ["step_size": 2, "no_such_argument": 1]],
        ]
        let run = try PlotInputs.schedule(json: spec, file: "bad.json", steps: 10)
        #expect(run.curves.isEmpty)
        #expect(run.notes.count == 1 && run.notes[0].hasPrefix("bad.json: construction raised TypeError"))
    }

    @Test("Titles and labels are escaped")
    func escaping() throws {
        let (_, rendered) = try render([twoGroups], title: "Warmup <5> & \"cosine\"")
        #expect(rendered.text.contains("Warmup &lt;5&gt; &amp; &quot;cosine&quot;"))
        #expect(!rendered.text.contains("<5>"))
    }

    @Test("Long legend labels break over lines instead of being cut")
    func longLabels() throws {
        let run = try PlotInputs.comparison(goldenAt: oneCycleGolden)
        let rendered = SVGChart().render(Chart(runs: [run]), options: PlotOptions())
        #expect(rendered.text.contains("<tspan"))
        #expect(!rendered.text.contains("…"))
    }
}

/// `label` as it appears in SVG text.
func escaped(_ label: String) -> String {
    label.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;")
        .replacingAll("\"", with: "&quot;")
}

/// `golden` with `trace[record].lr[group]` multiplied by `factor`.
func perturb(_ golden: JSONValue, record: Int, group: Int, factor: Double) -> JSONValue? {
    guard case .object(var top) = golden, case .array(var trace)? = top["trace"],
        case .object(var entry) = trace[record], case .array(var rates)? = entry["lr"],
        let value = rates[group].doubleValue
    else { return nil }
    rates[group] = .double(value * factor)
    entry["lr"] = .array(rates)
    trace[record] = .object(entry)
    top["trace"] = .array(trace)
    return .object(top)
}
