import AnnealTensor
import Testing

@testable import AnnealCheckpoint

#if canImport(Glibc)
import Glibc
#endif

/// A child process saving in a loop is killed with SIGKILL at random
/// moments; after each kill, the store's newest file is the last committed
/// checkpoint (or the one being committed at the kill), complete, and every
/// file under a final name verifies.
@Suite("Crash safety")
struct CrashTests {
    /// Rounds of start, wait a random moment, SIGKILL, check.
    static let rounds = 60

    /// The child's checkpoint of `step` (mirrors `checkpoint(step:elements:)`
    /// in Sources/anneal-checkpoint-crash-child/main.swift).
    static func isChildCheckpoint(_ checkpoint: Checkpoint, elements: Int) -> Bool {
        let step = checkpoint.manifest.step
        let a = (0..<elements).map { $0 < 16 ? Float(step * 7 + $0) : Float($0 % 1000) }
        return checkpoint.manifest.metadata["step"] == .int(step) && checkpoint.manifest.epoch == step / 10
            && checkpoint.parameter(named: "a")?.scalars == a
            && checkpoint.parameter(named: "b") == Tensor(shape: [3, 5], scalars: (0..<15).map { Float(step * 7 + $0) })
    }

    /// The lines the child printed so far.
    static func lines(_ path: String) -> [String] {
        (readBytes(path).map { String(decoding: $0, as: UTF8.self) } ?? "").split(separator: "\n").map(String.init)
    }

    @Test("SIGKILL during saves never leaves a partial checkpoint under a final name")
    func killedWhileSaving() throws {
        guard let child = builtExecutable("anneal-checkpoint-crash-child") else {
            Issue.record("anneal-checkpoint-crash-child is not built beside the tests (swift build builds it)")
            return
        }
        let storeDirectory = temporaryDirectory(), logs = temporaryDirectory()
        defer {
            removeDirectory(storeDirectory)
            removeDirectory(logs)
        }
        let store = try CheckpointStore(directory: storeDirectory)
        let elements = 1 << 18  // 1 MiB per checkpoint
        var rng = Xoshiro256StarStar(seed: 20_240_611)
        var kills = 0, commits = 0, midSave = 0
        var filesBefore = 0  // checkpoint files after the previous round
        var committed = 0  // the last step the child reported as committed
        for round in 0..<Self.rounds {
            let out = logs + "/out-\(round)", err = logs + "/err-\(round)"
            let expectedStart = (try store.latest().checkpoint?.manifest.step ?? 0) + 1
            guard
                let pid = spawn(
                    child, [storeDirectory, "--keep-last", "3", "--elements", "\(elements)"], standardOutput: out, standardError: err)
            else {
                Issue.record("cannot start the child")
                return
            }
            // Wait until it has resumed (every other round: until it has also
            // committed once, so that commits happen however slow the first
            // save is on a loaded machine), then kill it a random moment later.
            let ready: ([String]) -> Bool =
                round % 2 == 0
                ? { $0.first?.hasPrefix("started") ?? false } : { $0.contains { $0.hasPrefix("committed ") } }
            var waited = 0.0
            while !ready(Self.lines(out)) && waited < 20 {
                sleep(seconds: 0.001)
                waited += 0.001
            }
            sleep(seconds: Double(rng.int(below: 100_000)) * 1e-6)
            kill(pid, SIGKILL)
            let status = waitFor(pid)
            #expect(status == 128 + SIGKILL, "the child ended with \(status) before the kill: \(Self.lines(err))")
            if status == 128 + SIGKILL { kills += 1 }

            let printed = Self.lines(out)
            // It resumed after the newest checkpoint that verified.
            #expect(printed.first == "started \(expectedStart)", "\(printed.prefix(2))")
            let reported = printed.compactMap { $0.hasPrefix("committed ") ? Int($0.dropFirst(10)) : nil }
            commits += reported.count
            if let last = reported.last { committed = last }

            // Every file under a final name verifies, and the newest is the
            // last committed step, or the next one if the kill came between
            // its rename and the child's report.
            let latest = try store.latest()
            #expect(latest.skipped.isEmpty, "\(latest.skipped)")
            if let found = latest.checkpoint {
                #expect(Self.isChildCheckpoint(found, elements: elements), "step \(found.manifest.step) has wrong contents")
                #expect(
                    found.manifest.step == committed || found.manifest.step == committed + 1,
                    "round \(round): newest step \(found.manifest.step), last reported commit \(committed)")
                if found.manifest.step == committed + 1 { committed += 1 }
            } else {
                #expect(committed == 0, "round \(round): no checkpoint, but step \(committed) was committed")
            }
            #expect(try store.verifyAll().allSatisfy { $0.error == nil })
            // keepLast 3: a save prunes to 3 after its commit, so a kill between the two leaves
            // one more file than before (rounds killed in that window in a row add up).
            let count = try store.list().count
            #expect(count <= max(filesBefore, 3) + 1, "round \(round): \(count) files, \(filesBefore) before")
            filesBefore = count
            let temporary = try store.temporaryFiles()
            #expect(temporary.count <= 1, "\(temporary)")  // the killed save's; the next save removes it
            if !temporary.isEmpty { midSave += 1 }
        }
        #expect(kills >= 50)
        #expect(commits >= Self.rounds, "the child committed \(commits) checkpoints in \(Self.rounds) rounds")
        // Evidence that kills landed inside saves, not only between them.
        #expect(midSave > 0, "no kill left a temporary file behind")
        print("crash test: \(kills) kills, \(commits) commits, \(midSave) kills mid-write, newest step \(committed)")
    }
}
