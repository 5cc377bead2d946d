/// How a curve is drawn: a colour of the Okabe–Ito palette, which stays
/// distinguishable for readers with the common colour-vision deficiencies,
/// and a dash pattern once the colours run out.
///
/// Slot `k` takes colour `k % 7` and dash pattern `k / 7`: the first seven
/// curves are solid, the next seven dashed, and so on.
public struct PlotStyle: Sendable, Equatable {
    /// The Okabe–Ito colours, in the order curves take them.
    ///
    /// Okabe–Ito's eighth colour, yellow (`#F0E442`), is left out: a thin
    /// line in it has a contrast of about 1.3:1 against the white
    /// background, too faint to follow.
    public static let palette: [(name: String, hex: String)] = [
        ("blue", "#0072B2"), ("vermillion", "#D55E00"), ("bluish green", "#009E73"), ("orange", "#E69F00"),
        ("reddish purple", "#CC79A7"), ("sky blue", "#56B4E9"), ("black", "#000000"),
    ]

    /// SVG `stroke-dasharray` values: solid, then dashed, dotted, dash-dot.
    public static let dashPatterns: [String?] = [nil, "7 4", "2 3", "9 3 2 3"]

    /// The slot: the curve's position among the chart's schedules.
    public var slot: Int

    /// Creates the style of `slot`.
    public init(slot: Int) { self.slot = max(0, slot) }

    /// The colour, as `#RRGGBB`.
    public var colour: String { Self.palette[slot % Self.palette.count].hex }

    /// The colour's name, for the terminal legend.
    public var colourName: String { Self.palette[slot % Self.palette.count].name }

    /// The dash pattern, or `nil` for a solid line.
    public var dashPattern: String? {
        Self.dashPatterns[(slot / Self.palette.count) % Self.dashPatterns.count]
    }
}

/// What a chart shows: the curves of every run, each with its style, the
/// divergences to mark, and a title.
///
/// Each Anneal curve gets the next style slot; a golden's reference curve
/// shares the slot of Anneal's curve for the same group, so the two read as
/// a pair.
public struct Chart: Sendable {
    /// A curve and how to draw it.
    public struct Entry: Sendable {
        /// The data.
        public var curve: PlotCurve
        /// The colour and dash pattern.
        public var style: PlotStyle
    }

    /// A divergence to mark and the style of the curve it belongs to.
    public struct Mark: Sendable {
        /// Where the comparison first differs.
        public var divergence: PlotDivergence
        /// The style of Anneal's curve for the divergent group.
        public var style: PlotStyle
        /// The spec's name.
        public var name: String
    }

    /// The curves, in legend order.
    public var entries: [Entry]
    /// The divergences to mark.
    public var marks: [Mark]
    /// The title, if any.
    public var title: String?
    /// The runs' notes, in order.
    public var notes: [String]

    /// Gathers `runs` into a chart.
    public init(runs: [PlotRun], title: String? = nil) {
        var entries: [Entry] = []
        var marks: [Mark] = []
        var notes: [String] = []
        var nextSlot = 0
        for run in runs {
            var slotOfGroup: [Int: Int] = [:]
            for curve in run.curves {
                let slot: Int
                if curve.role == .reference, let shared = slotOfGroup[curve.group] {
                    slot = shared
                } else {
                    slot = nextSlot
                    nextSlot += 1
                    if curve.role == .schedule { slotOfGroup[curve.group] = slot }
                }
                entries.append(Entry(curve: curve, style: PlotStyle(slot: slot)))
            }
            if let divergence = run.divergence {
                let slot = slotOfGroup[divergence.group ?? 0] ?? slotOfGroup.values.min() ?? 0
                marks.append(Mark(divergence: divergence, style: PlotStyle(slot: slot), name: run.name))
            }
            notes += run.notes
        }
        self.entries = entries
        self.marks = marks
        self.title = title
        self.notes = notes
    }

    /// The last step of any curve (at least 1, so the step axis has an
    /// extent).
    public var lastStep: Int {
        max(1, entries.map(\.curve.lastStep).max() ?? 1)
    }
}

/// What to draw and how: the options of `anneal plot`.
public struct PlotOptions: Sendable, Equatable {
    /// A logarithmic learning-rate axis. Zero and negative learning rates
    /// are not drawn on it (the renderers say how many).
    public var logScale: Bool
    /// Add a momentum panel (momentum, or `betas[0]`, per group).
    public var momentum: Bool

    /// Creates options.
    public init(logScale: Bool = false, momentum: Bool = false) {
        self.logScale = logScale
        self.momentum = momentum
    }
}

/// The axes of a chart: a shared step axis, the learning-rate axis and,
/// when asked, the momentum axis, each containing every value drawn on it.
public struct ChartAxes: Sendable {
    /// The step axis, from 0 to the last step (see ``PlotCurve/steps``).
    public var step: Axis
    /// The learning-rate axis, linear from 0 (or below, for negative rates)
    /// or logarithmic.
    public var learningRate: Axis
    /// The momentum axis, when the options ask for it.
    public var momentum: Axis?
    /// The curves (by label) with finite learning rates ≤ 0, which a log
    /// axis leaves out, and how many each has.
    public var skippedNonPositive: [(label: String, count: Int)]
    /// What a reader should know about the axes: values a log axis leaves
    /// out, a momentum panel with nothing to draw.
    public var notes: [String]

    /// The axes for `chart`, with about `stepTicks`, `learningRateTicks`
    /// and `momentumTicks` ticks.
    public init(chart: Chart, options: PlotOptions, stepTicks: Int, learningRateTicks: Int, momentumTicks: Int) {
        step = Axis.linear(
            minimum: 0, maximum: Double(chart.lastStep), targetTickCount: stepTicks,
            roundOutward: false, integerTicks: true)
        let rates = chart.entries.flatMap { $0.curve.learningRates }.filter(\.isFinite)
        skippedNonPositive = []
        notes = []
        if options.logScale {
            let positive = rates.filter { $0 > 0 }
            learningRate = Axis.log(minimum: positive.min() ?? 1e-3, maximum: positive.max() ?? 1)
            for entry in chart.entries {
                let count = entry.curve.nonPositiveLearningRateCount
                if count > 0 { skippedNonPositive.append((entry.curve.label, count)) }
            }
            if !skippedNonPositive.isEmpty {
                let total = skippedNonPositive.reduce(0) { $0 + $1.count }
                let which = skippedNonPositive.map { "\($0.label): \($0.count)" }.joined(separator: ", ")
                notes.append(
                    "\(total) learning rate\(total == 1 ? "" : "s") ≤ 0 \(total == 1 ? "is" : "are") not drawn "
                        + "on the log scale (\(which))")
            }
        } else {
            learningRate = Axis.linear(
                minimum: min(0, rates.min() ?? 0), maximum: rates.max() ?? 1, targetTickCount: learningRateTicks,
                headroom: 0.02)
        }
        if options.momentum {
            let values = chart.entries.flatMap { $0.curve.momenta }.filter(\.isFinite)
            momentum = Axis.linear(
                minimum: values.min() ?? 0, maximum: values.max() ?? 1, targetTickCount: momentumTicks, headroom: 0.02)
            if values.isEmpty { notes.append("no curve has a momentum or betas[0] to draw") }
        }
    }
}
