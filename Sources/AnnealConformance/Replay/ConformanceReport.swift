import AnnealSpec
import Anneal

/// The summary `anneal conformance` prints: one row per scheduler type,
/// totals, and the failures.
public struct ConformanceReport: Sendable {
    public struct Row: Sendable {
        public var schedulerType: String
        public var traces = 0
        public var records = 0
        public var passed = 0
        public var maxULP: UInt64 = 0
        /// Largest `|a − b|` among the document goldens (they have `abs` tolerances).
        public var maxAbsolute = 0.0

        mutating func add(_ outcome: GoldenOutcome) {
            traces += 1
            records += outcome.recordCount
            if outcome.passed { passed += 1 }
            guard let comparison = outcome.comparison else { return }
            if outcome.sourceKind == "document" {
                maxAbsolute = max(maxAbsolute, comparison.maxAbsoluteDifference)
            } else {
                maxULP = max(maxULP, comparison.maxULPDistance)
            }
        }
    }

    public var rows: [Row]
    public var total: Row
    public var failures: [GoldenOutcome]
    public var seconds: Double?

    public init(_ outcomes: [GoldenOutcome], seconds: Double? = nil) {
        var byType: [String: Row] = [:]
        var total = Row(schedulerType: "total")
        for outcome in outcomes {
            byType[outcome.schedulerType, default: Row(schedulerType: outcome.schedulerType)].add(outcome)
            total.add(outcome)
        }
        self.rows = byType.values.sorted { $0.schedulerType < $1.schedulerType }
        self.total = total
        self.failures = outcomes.filter { !$0.passed }
        self.seconds = seconds
    }

    public var allPassed: Bool { failures.isEmpty && total.traces > 0 }

    /// The table for people.
    public func rendered() -> String {
        func ulp(_ value: UInt64) -> String { value == ULP.unbounded ? "unbounded" : String(value) }
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + padding : padding + text
        }
        var lines = [
            pad("scheduler", 28, left: true) + pad("traces", 8) + pad("records", 10) + pad("passed", 8)
                + pad("max ULP", 9)
        ]
        for row in rows + [total] {
            if row.schedulerType == "total" { lines.append(String(repeating: "-", count: 63)) }
            lines.append(
                pad(row.schedulerType, 28, left: true) + pad(String(row.traces), 8) + pad(String(row.records), 10)
                    + pad(String(row.passed), 8) + pad(ulp(row.maxULP), 9))
        }
        let percent = total.traces == 0 ? 0 : 100.0 * Double(total.passed) / Double(total.traces)
        var summary = "\(total.passed) of \(total.traces) goldens pass (\(formatPercent(percent))%)"
        summary += "; PyTorch goldens: largest distance \(ulp(total.maxULP)) ULP"
        if total.maxAbsolute > 0 || rows.contains(where: { $0.maxAbsolute > 0 }) {
            summary += "; document goldens: largest difference \(pythonFloatRepr(total.maxAbsolute))"
        }
        if let seconds { summary += "; \(formatSeconds(seconds))" }
        lines.append("")
        lines.append(summary)
        if !failures.isEmpty {
            lines.append("")
            lines.append("failures:")
            for failure in failures {
                lines.append("  " + failureLine(failure))
            }
        }
        lines.append("\(total.passed) passed, \(total.traces - total.passed) failed")
        return lines.joined(separator: "\n")
    }

    func failureLine(_ outcome: GoldenOutcome) -> String {
        if let failure = outcome.failure { return "\(outcome.path): \(failure)" }
        guard let comparison = outcome.comparison, let first = comparison.first else { return outcome.path }
        var line = "\(outcome.path): record \(first.recordIndex)"
        if let op = first.op { line += " (\(op))" }
        line += ", \(first.path): \(first.message)"
        return line
    }

    /// The report for machines (`--format json`).
    public func json() -> JSONValue {
        func row(_ row: Row) -> JSONValue {
            [
                "scheduler": .string(row.schedulerType), "traces": .int(row.traces), "records": .int(row.records),
                "passed": .int(row.passed),
                "max_ulp": row.maxULP == ULP.unbounded ? .double(.infinity) : .int(Int(clamping: row.maxULP)),
                "max_abs": .double(row.maxAbsolute),
            ]
        }
        return [
            "passed": .bool(allPassed), "rows": .array(rows.map(row)), "total": row(total),
            "seconds": seconds.map(JSONValue.double) ?? .null,
            "failures": .array(
                failures.map { outcome in
                    [
                        "golden": .string(outcome.path), "name": .string(outcome.name),
                        "error": outcome.failure.map(JSONValue.string) ?? .null,
                        "first_divergence": outcome.comparison?.first.map(divergenceJSON) ?? .null,
                    ]
                }),
        ]
    }
}

func formatPercent(_ value: Double) -> String {
    let tenths = (value * 10).rounded() / 10
    return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
}

func formatSeconds(_ seconds: Double) -> String {
    let milliseconds = (seconds * 1000).rounded()
    return "\(Int(milliseconds)) ms"
}
