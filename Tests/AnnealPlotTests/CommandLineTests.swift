import Anneal
import AnnealPlot
import Testing

#if canImport(Glibc)
import Glibc
#endif

// The SVGs open in a real renderer, the committed seed figure is what the
// renderer draws today, and `anneal plot` keeps the command line's exit
// statuses.

/// The titles of the committed seed figures (Examples/seed-figure/README.md
/// gives the commands).
let seedFigureTitle = "The first seed document's ten schedules (Adam, 200 steps)"
let seedFigureLogTitle = "The same ten schedules, log scale, with Adam's betas[0]"

/// The pictures the rsvg test converts.
enum Picture: String, CaseIterable, CustomTestStringConvertible {
    case seedLinear, seedLogMomentum, comparison, tenThousandSteps, escapedTitle, errorsAndGroups

    var testDescription: String { rawValue }

    func svg() throws -> String {
        switch self {
        case .seedLinear: return try render(seedFigureSpecs, title: seedFigureTitle).rendered.text
        case .seedLogMomentum:
            return try render(seedFigureSpecs, options: PlotOptions(logScale: true, momentum: true), title: seedFigureLogTitle)
                .rendered.text
        case .comparison:
            let golden = try JSONValue.load(contentsOf: oneCycleGolden)
            let run = try PlotInputs.comparison(golden: perturb(golden, record: 7, group: 0, factor: 1.25)!, file: "g.json")
            return SVGChart().render(Chart(runs: [run]), options: PlotOptions(momentum: true)).text
        case .tenThousandSteps:
            return try render([cosine, cyclic], steps: 10_000, options: PlotOptions(logScale: true, momentum: true))
                .rendered.text
        case .escapedTitle: return try render([twoGroups], title: "<b>&amp; \"quoted\" 'single'").rendered.text
        case .errorsAndGroups:
            return try render([oneCycleError, twoGroups, toZero], options: PlotOptions(logScale: true, momentum: true))
                .rendered.text
        }
    }
}

@Suite("Rendering with rsvg-convert")
struct RSVGTests {
    @Test("rsvg-convert converts the SVG without a complaint", arguments: Picture.allCases)
    func converts(picture: Picture) throws {
        guard let rsvg = executableOnPath("rsvg-convert") else {
            Issue.record("rsvg-convert is not on PATH: `make test` installs it (Debian's librsvg2-bin, target deps-plot)")
            return
        }
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let svgPath = directory + "/\(picture.rawValue).svg", pngPath = directory + "/\(picture.rawValue).png"
        try TextFile.write(try picture.svg(), to: svgPath)
        let result = runProcess(rsvg, ["-o", pngPath, svgPath])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty, "\(result.standardError)")
        let png = try #require(readBytes(pngPath))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && png.count > 10_000)
    }
}

@Suite("The seed figure")
struct SeedFigureTests {
    @Test(
        "Examples/seed-figure holds what the renderer draws today",
        arguments: [("figure.svg", false), ("figure-log.svg", true)])
    func upToDate(file: String, log: Bool) throws {
        let committed = try #require(readText(repositoryFile("Examples/seed-figure/" + file)), "missing \(file)")
        let options = PlotOptions(logScale: log, momentum: log)
        let drawn = try render(seedFigureSpecs, options: options, title: log ? seedFigureLogTitle : seedFigureTitle)
        #expect(
            committed == drawn.rendered.text,
            "regenerate with the commands in Examples/seed-figure/README.md")
    }

    @Test("The specs follow the document's cell: 200 steps from Adam, and its plateau loss")
    func specs() throws {
        for path in seedFigureSpecs {
            let run = try PlotInputs.schedule(specAt: path)
            #expect(run.curves.count == 1 && run.curves[0].learningRates.count == 201, "\(path)")
            #expect(run.notes.isEmpty, "\(run.notes)")
        }
        let plateau = try JSONValue.load(contentsOf: seedFigureSpecs[3])
        let metrics = plateau["script"]?[0]?["metrics"]?.arrayValue ?? []
        let losses = metrics.compactMap { $0.doubleValue }
        #expect(losses.count == 200)
        for (t, loss) in losses.enumerated() {
            // The document: val_loss = 1 + np.sin(t / 15) * 0.1 + (t / steps) * 0.3
            #expect(loss == 1 + sin(Double(t) / 15) * 0.1 + (Double(t) / 200) * 0.3, "t = \(t)")
        }
        // Where the figure's schedules end up after 200 steps.
        let last = try seedFigureSpecs.map { try PlotInputs.schedule(specAt: $0).curves[0].learningRates.last! }
        #expect(last[0] == 1e-3 * 0.5 * 0.5 * 0.5 * 0.5 * 0.5)  // StepLR halves at 40, 80, ..., 200
        #expect(last[5] == 0)  // PolynomialLR reaches 0 at total_iters
        #expect(abs(last[8] - 1e-6) < 1e-18)  // LinearLR warms up to the base lr
        #expect(abs(last[9] - 1e-3 / 201.0.squareRoot()) < 1e-15)  // inverse square root
    }
}

@Suite("anneal plot")
struct PlotCommandTests {
    /// Runs `anneal plot ARGUMENTS`, or records an issue when the binary is not built.
    func plot(_ arguments: [String], environment: [String]? = nil) -> ProcessResult? {
        guard let anneal = annealExecutable() else {
            Issue.record("the anneal executable is not beside the test bundle: build it (swift build; make test does)")
            return nil
        }
        return runProcess(anneal, ["plot"] + arguments, environment: environment)
    }

    @Test("Writes the SVG and exits 0")
    func success() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let output = directory + "/out.svg"
        guard let result = plot(["Fixtures/plot/steplr-two-groups.json", "-o", output, "--momentum"]) else { return }
        #expect(result.status == 0, "\(result.standardError)")
        let svg = try #require(readText(output))
        let expected = try render([twoGroups], options: PlotOptions(momentum: true)).rendered.text
        #expect(svg == expected)
    }

    @Test("A missing file: exit 65, naming the file")
    func missingFile() {
        guard let result = plot(["Fixtures/plot/no-such-spec.json", "-o", "/tmp/anneal-plot-tests-never/x.svg"]) else {
            return
        }
        #expect(result.status == 65)
        #expect(result.standardError.hasPrefix("anneal plot: Fixtures/plot/no-such-spec.json: "), "\(result.standardError)")
    }

    @Test("An invalid spec: exit 65, naming the file and the place")
    func invalidSpec() {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let output = directory + "/x.svg"
        guard let result = plot(["Fixtures/malformed/unknown-op.json", "-o", output]) else { return }
        #expect(result.status == 65)
        #expect(result.standardError.contains("Fixtures/malformed/unknown-op.json: script["), "\(result.standardError)")
        #expect(readBytes(output) == nil, "nothing is written")
    }

    @Test("--compare without a trace: exit 65")
    func compareNeedsGolden() {
        guard let result = plot(["--compare", "Fixtures/plot/cosine.json", "-o", "/tmp/anneal-plot-tests-never/x.svg"])
        else { return }
        #expect(result.status == 65)
        #expect(result.standardError.contains("Fixtures/plot/cosine.json"), "\(result.standardError)")
        #expect(result.standardError.contains("\"trace\""), "\(result.standardError)")
    }

    @Test(
        "Bad arguments: exit 64 with the token in quotes",
        arguments: [
            (["Fixtures/plot/cosine.json", "--steps", "0", "-o", "/tmp/anneal-plot-tests-never/x.svg"], "\"--steps\" must be at least 1, got 0."),
            (["Fixtures/plot/cosine.json", "--steps=-3", "-o", "/tmp/anneal-plot-tests-never/x.svg"], "\"--steps\" must be at least 1, got -3."),
            (["Fixtures/plot/cosine.json", "--steps", "many", "-o", "/tmp/anneal-plot-tests-never/x.svg"], "many"),
            (["Fixtures/plot/cosine.json"], "Give \"-o FILE.svg\" or \"--ascii\"."),
            (["-o", "/tmp/anneal-plot-tests-never/x.svg"], "Give at least one spec or \"--compare GOLDEN\"."),
            (["Fixtures/plot/cosine.json", "--ascii", "--colour"], "--colour"),
        ])
    func badArguments(arguments: [String], message: String) {
        guard let result = plot(arguments) else { return }
        #expect(result.status == 64)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test("An output that cannot be written: exit 1")
    func unwritable() {
        guard let result = plot(["Fixtures/plot/cosine.json", "-o", "/nonexistent-directory/x.svg"]) else { return }
        #expect(result.status == 1)
        #expect(result.standardError.contains("cannot write \"/nonexistent-directory/x.svg\""), "\(result.standardError)")
    }

    @Test("--ascii draws braille in COLUMNS characters, notes on standard error")
    func ascii() {
        guard
            let result = plot(
                ["Fixtures/plot/linear-to-zero.json", "--ascii", "--log-y"], environment: ["COLUMNS=64", "PATH=/usr/bin:/bin"])
        else { return }
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 64 })
        #expect(lines.contains { $0.count == 64 }, "the full width is used")
        #expect(result.standardOutput.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
        #expect(!result.standardOutput.contains("\u{1B}["), "no colour when standard output is not a terminal")
        #expect(result.standardError.contains("not drawn on the log scale"))
    }

    @Test("--compare reports the first divergence of a perturbed golden")
    func compare() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let golden = try JSONValue.load(contentsOf: oneCycleGolden)
        try #require(perturb(golden, record: 7, group: 0, factor: 1.25)).write(toFile: directory + "/perturbed.json")
        guard
            let result = plot([
                "--compare", directory + "/perturbed.json", "Fixtures/plot/cyclic.json", "-o", directory + "/compare.svg",
            ])
        else { return }
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("perturbed.json: first divergence at record 7, lr[0]"))
        let svg = try #require(readText(directory + "/compare.svg"))
        let marks = elements("g", in: svg).filter { $0["class"] == "divergence" }
        #expect(marks.count == 1 && marks[0]["data-record"] == "7" && marks[0]["data-path"] == "lr[0]")
    }
}
