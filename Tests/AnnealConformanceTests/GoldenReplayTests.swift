import Anneal
import AnnealConformance
import AnnealSpec
import Testing

/// The repository root, found from this file, so goldens regenerated on disk
/// are replayed without a rebuild.
let repositoryRoot: String = {
    let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    return parts.dropLast(3).joined(separator: "/")  // …/Tests/AnnealConformanceTests/this.swift
}()

/// Every golden of the corpus, relative to the repository root.
let goldenFiles: [String] = {
    let directory = repositoryRoot + "/Golden"
    let files = (try? GoldenReplay.goldenFiles(in: directory)) ?? []
    return files.map { String($0.dropFirst(repositoryRoot.count + 1)) }
}()

@Suite("Golden replay")
struct GoldenReplayTests {
    @Test("The corpus is there", .tags(.corpus))
    func corpusIsPresent() {
        #expect(goldenFiles.count >= 400, "found \(goldenFiles.count) goldens under \(repositoryRoot)/Golden")
    }

    /// One case per golden: runs its spec and compares at the golden's
    /// tolerance (0 ULP for PyTorch goldens); a failure prints the diff report.
    @Test("Replays at the golden's tolerance", .tags(.corpus), arguments: goldenFiles)
    func replay(_ golden: String) throws {
        let outcome = GoldenReplay.replay(goldenAt: repositoryRoot + "/" + golden)
        if let failure = outcome.failure {
            Issue.record("\(failure)")
            return
        }
        let comparison = try #require(outcome.comparison)
        #expect(
            comparison.matches,
            "\(renderDiffReport(comparison, goldenName: outcome.name, goldenPath: golden, candidatePath: nil))")
        if outcome.sourceKind == "pytorch" {
            #expect(comparison.maxULPDistance == 0, "PyTorch goldens are bit-exact: \(golden)")
        }
    }
}

extension Tag {
    @Tag static var corpus: Self
}
