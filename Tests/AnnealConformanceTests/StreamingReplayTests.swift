import Anneal
import Testing

@testable import AnnealConformance
import AnnealSpec

#if canImport(Glibc)
import Glibc
#endif

/// Everything a comparison reports, as `anneal diff --format json` writes it.
private func report(_ result: ComparisonResult) -> String {
    diffJSON(result, goldenName: "n", goldenPath: "g", candidatePath: nil).serialized()
}

@Suite("Streaming replay")
struct StreamingReplayTests {
    /// One case per golden: the record-by-record path takes it (no fallback)
    /// and reports exactly what comparing whole documents reports.
    @Test("Streamed replay reports what the whole-document replay reports", .tags(.corpus), arguments: goldenFiles)
    func sameAsWhole(_ golden: String) throws {
        let path = repositoryRoot + "/" + golden
        let (streamed, result) = try StreamingReplay.replay(goldenAt: path)
        let whole = GoldenReplay.replayWhole(goldenAt: path)
        #expect(whole.failure == nil)
        #expect(streamed.spec.name == whole.name)
        #expect(GoldenReplay.schedulerType(of: streamed.spec) == whole.schedulerType)
        #expect(report(result) == report(try #require(whole.comparison)))
    }

    /// Records whose text differs from Anneal's (a 1-ULP perturbation, an
    /// `int` where Anneal writes a float) are parsed and compared value by
    /// value, with the same report.
    @Test("Replaying a perturbed golden reports what the whole-document replay reports", arguments: [
        "StepLR.candidate-1ulp.json", "StepLR.candidate-match.json", "StepLR.golden.json",
    ])
    func perturbedGolden(_ name: String) throws {
        let path = repositoryRoot + "/Fixtures/compare/" + name
        let (_, result) = try StreamingReplay.replay(goldenAt: path)
        let whole = try #require(GoldenReplay.replayWhole(goldenAt: path).comparison)
        #expect(report(result) == report(whole))
        #expect(result.matches == (name != "StepLR.candidate-1ulp.json"))
    }

    @Test("A candidate file compares as the whole documents do")
    func candidateFile() throws {
        let golden = repositoryRoot + "/Fixtures/compare/StepLR.golden.json"
        for name in ["StepLR.candidate-1ulp.json", "StepLR.candidate-match.json", "StepLR.golden.json"] {
            let candidate = repositoryRoot + "/Fixtures/compare/" + name
            let streamed = try #require(GoldenReplay.compareStreaming(goldenAt: golden, candidateAt: candidate))
            let whole = try GoldenReplay.compare(golden: TraceFiles.load(golden), candidate: TraceFiles.load(candidate))
            #expect(report(streamed.result) == report(whole), "\(name)")
        }
        // Traces of different lengths, each way round.
        let short = repositoryRoot + "/" + goldenFiles.first { $0.contains("StepLR") }!
        let streamed = try #require(GoldenReplay.compareStreaming(goldenAt: golden, candidateAt: short))
        let whole = try GoldenReplay.compare(golden: TraceFiles.load(golden), candidate: TraceFiles.load(short))
        #expect(report(streamed.result) == report(whole))
        #expect(!streamed.result.matches)
    }

    @Test("Malformed files take the whole-document path", arguments: [
        "empty.json", "missing-format.json", "not-an-object.json", "trailing-garbage.json", "truncated.json",
        "unknown-op.json", "unknown-scheduler.json", "wrong-types.json",
    ])
    func malformedFallsBack(_ name: String) {
        let path = repositoryRoot + "/Fixtures/malformed/" + name
        #expect(GoldenReplay.compareStreaming(goldenAt: path, candidateAt: nil) == nil)
        let outcome = GoldenReplay.replay(goldenAt: path)
        #expect(outcome.failure == GoldenReplay.replayWhole(goldenAt: path).failure)
        #expect(outcome.failure?.hasPrefix(path) == true)
    }

    @Test("Parallel replay keeps the files' order")
    func parallelOrder() {
        let files = goldenFiles.prefix(40).map { repositoryRoot + "/" + $0 }
        let outcomes = GoldenReplay.replay(goldenFiles: Array(files), workers: 2)
        #expect(outcomes.map(\.path) == files)
        #expect(outcomes.map(\.name) == files.map { GoldenReplay.replay(goldenAt: $0).name })
    }

    @Test("A streamed candidate file has the bytes of the whole candidate", .tags(.corpus), arguments: goldenFiles.prefix(60))
    func writtenCandidate(_ golden: String) throws {
        let spec = repositoryRoot + "/" + golden
        let streamedPath = "/tmp/anneal-candidate-\(getpid())-\(UInt32.random(in: 0 ... .max)).json"
        let wholePath = streamedPath + ".whole"
        defer { unlink(streamedPath); unlink(wholePath) }
        try TraceFiles.writeCandidate(forSpecAt: spec, to: streamedPath)
        try TraceFiles.candidate(forSpecAt: spec).write(toFile: wholePath, indent: 1)
        #expect(try JSONValue.load(contentsOf: streamedPath) == JSONValue.load(contentsOf: wholePath))
        #expect(bytes(streamedPath) == bytes(wholePath))
    }

    @Test("An invalid spec leaves no output file")
    func invalidSpecWritesNothing() {
        let destination = "/tmp/anneal-invalid-\(getpid())-\(UInt32.random(in: 0 ... .max)).json"
        #expect(throws: SpecError.self) {
            try TraceFiles.writeCandidate(forSpecAt: repositoryRoot + "/Fixtures/malformed/unknown-op.json", to: destination)
        }
        #expect(access(destination, F_OK) != 0)
    }

    private func bytes(_ path: String) -> [UInt8] {
        guard let file = fopen(path, "rb") else { return [] }
        defer { fclose(file) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n == 0 { break }
            out += buffer[0..<n]
        }
        return out
    }
}
