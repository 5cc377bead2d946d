/// Collects one curve's points as the records arrive, in memory bounded
/// however long the trace: up to ``limit`` points it keeps every record
/// (and the chart is exactly the full-resolution one); past that it groups
/// records into buckets of consecutive records and keeps, of each bucket,
/// only the records a line drawing depends on: the first and the last, the
/// smallest and largest learning rate (and smallest positive one, for a log
/// axis) and momentum, and the first and last record that cannot be drawn
/// (NaN, or a rate ≤ 0 on a log axis) so gaps stay gaps.
///
/// Every bucket-wise choice (the first, the minimum, ...) over a union of
/// buckets is the same choice over their kept records, so halving the
/// resolution again and again gives exactly the points one pass at the
/// final bucket width would keep. A bucket keeps at most 11 records and the
/// width doubles only while more than `limit / 2` points are left, so there
/// are at least `limit / 44` buckets: each spans at most 1/2,900 of the
/// trace with the default limit (a quarter of a pixel of a 960-pixel
/// chart), and far less for the usual schedules, whose buckets keep 2 to 4.
/// The extremes, the axes and the counts of values a log axis leaves out
/// are exact.
struct CurveReducer {
    struct Point {
        var record: Int
        var step: Int
        var learningRate: Double
        var momentum: Double
    }

    /// Points kept before buckets start (and the most ever held).
    static let defaultLimit = 1 << 17
    let limit: Int

    init(limit: Int = defaultLimit) { self.limit = max(limit, 32) }

    private(set) var points: [Point] = []
    /// Records per bucket: 1 while every record is kept.
    private var bucketWidth = 1
    /// Exact over every record: learning rates that are finite and ≤ 0.
    private(set) var nonPositiveLearningRates = 0

    mutating func append(record: Int, step: Int, learningRate: Double, momentum: Double) {
        if learningRate.isFinite && learningRate <= 0 { nonPositiveLearningRates += 1 }
        points.append(Point(record: record, step: step, learningRate: learningRate, momentum: momentum))
        if points.count > limit {
            // The records since the last reduction first go into buckets of
            // the present width; the width doubles only while that is not enough.
            if bucketWidth > 1 { points = Self.reduce(points, bucketWidth: bucketWidth) }
            while points.count > limit / 2 {
                bucketWidth *= 2
                points = Self.reduce(points, bucketWidth: bucketWidth)
            }
        }
    }

    /// The points of `points` that the buckets of `bucketWidth` records keep.
    static func reduce(_ points: [Point], bucketWidth: Int) -> [Point] {
        var kept: [Point] = []
        kept.reserveCapacity(points.count / 2)
        var start = 0
        while start < points.count {
            let bucket = points[start].record / bucketWidth
            var end = start + 1
            while end < points.count && points[end].record / bucketWidth == bucket { end += 1 }
            var chosen: [Int] = [start, end - 1]
            func choose(_ index: Int?) { if let index { chosen.append(index) } }
            let range = start..<end
            choose(extreme(range, in: points, \.learningRate, below: true))
            choose(extreme(range, in: points, \.learningRate, below: false))
            choose(range.filter { points[$0].learningRate > 0 }.min { points[$0].learningRate < points[$1].learningRate })
            choose(extreme(range, in: points, \.momentum, below: true))
            choose(extreme(range, in: points, \.momentum, below: false))
            let lrGap = range.filter { !(points[$0].learningRate > 0) }
            choose(lrGap.first)
            choose(lrGap.last)
            let momentumGap = range.filter { points[$0].momentum.isNaN }
            choose(momentumGap.first)
            choose(momentumGap.last)
            var previous = -1
            for index in chosen.sorted() where index != previous {
                kept.append(points[index])
                previous = index
            }
            start = end
        }
        return kept
    }

    /// The first index of the smallest (or largest) finite value, if any.
    private static func extreme(
        _ range: Range<Int>, in points: [Point], _ value: KeyPath<Point, Double>, below: Bool
    ) -> Int? {
        var best: Int?
        for index in range where points[index][keyPath: value].isFinite {
            guard let current = best else {
                best = index
                continue
            }
            let candidate = points[index][keyPath: value], held = points[current][keyPath: value]
            if below ? candidate < held : candidate > held { best = index }
        }
        return best
    }
}
