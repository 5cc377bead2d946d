import Anneal
import AnnealConformance
import AnnealSpec
import Foundation
import Testing

/// The repository root, found from this file, so goldens regenerated on disk
/// are replayed without a rebuild.
let repositoryRoot: String = {
    let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    return parts.dropLast(3).joined(separator: "/")  // …/Tests/AnnealConformanceTests/this.swift
}()

/// The corpus directory.
let goldenDirectory = repositoryRoot + "/Golden"

/// Every golden of the corpus, relative to the repository root, as
/// `GoldenReplay.goldenFiles(in:)` lists them, or why it could not.
let goldenListing: Result<[String], any Error> = Result {
    try GoldenReplay.goldenFiles(in: goldenDirectory).map { String($0.dropFirst(repositoryRoot.count + 1)) }
}

/// The replay's arguments; a listing that failed leaves none, and
/// "The corpus is there" fails with the error.
let goldenFiles: [String] = (try? goldenListing.get()) ?? []

/// Every `*.json` below the corpus directory, found by Foundation's
/// enumerator instead of the replay's own listing, so that a listing bug
/// cannot silently drop goldens.
func goldenFilesEnumerated() throws -> [String] {
    let root = URL(fileURLWithPath: goldenDirectory, isDirectory: true)
    let enumerator = try #require(
        FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles]),
        "cannot enumerate \(goldenDirectory)")
    return enumerator.compactMap { item in
        guard let url = item as? URL, url.pathExtension == "json" else { return nil }
        return "Golden/" + url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)
    }.sorted()
}

@Suite("Golden replay")
struct GoldenReplayTests {
    @Test("The corpus is there", .tags(.corpus))
    func corpusIsPresent() throws {
        let listed: [String]
        switch goldenListing {
        case .success(let files): listed = files
        case .failure(let error):
            Issue.record("cannot list the goldens under \(goldenDirectory): \(error)")
            return
        }
        #expect(!listed.isEmpty, "no goldens under \(goldenDirectory)")
        let enumerated = try goldenFilesEnumerated()
        #expect(
            listed == enumerated,
            """
            the listing has \(listed.count) goldens, the directory \(enumerated.count): \
            missing \(Set(enumerated).subtracting(listed).sorted()), extra \(Set(listed).subtracting(enumerated).sorted())
            """)
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
