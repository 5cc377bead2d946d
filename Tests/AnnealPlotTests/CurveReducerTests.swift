import Testing

@testable import AnnealPlot

@Suite("CurveReducer")
struct CurveReducerTests {
    @Test("Up to the limit every record is kept")
    func keepsEverythingUpToTheLimit() {
        var reducer = CurveReducer()
        for record in 0..<1000 {
            reducer.append(record: record, step: record, learningRate: Double(record % 7), momentum: 0.9)
        }
        #expect(reducer.points.count == 1000)
        #expect(reducer.points.map(\.learningRate) == (0..<1000).map { Double($0 % 7) })
    }

    @Test("A long curve stays bounded, keeping its extremes, ends, gaps and counts")
    func boundsALongCurve() {
        // A small limit: thousands of reductions, as a long run has.
        var reducer = CurveReducer(limit: 256)
        let count = 300_000
        for record in 0..<count {
            let rate: Double = record == 12_347 ? 5 : (record == 65_431 ? -1 : (record == 200_001 ? .nan : 0.5))
            reducer.append(record: record, step: record, learningRate: rate, momentum: 0.9)
        }
        let points = reducer.points
        #expect(points.count <= reducer.limit)
        #expect(points.count >= reducer.limit / 8)
        #expect(points.first?.record == 0)
        #expect(points.last?.record == count - 1)
        #expect(points.contains { $0.record == 12_347 && $0.learningRate == 5 })
        #expect(points.contains { $0.record == 65_431 && $0.learningRate == -1 })
        #expect(points.contains { $0.record == 200_001 && $0.learningRate.isNaN })
        #expect(zip(points, points.dropFirst()).allSatisfy { $0.record < $1.record })
        #expect(reducer.nonPositiveLearningRates == 1)
    }
}
