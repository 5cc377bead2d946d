// The child of the checkpoint crash test (Tests/AnnealCheckpointTests/CrashTests.swift):
// saves checkpoints into a store in a loop until it is killed.
//
//     anneal-checkpoint-crash-child DIR [--keep-last N] [--elements N]
//
// It resumes after the newest checkpoint that verifies (step + 1, or 1),
// and after each save prints `committed STEP` on its own line to standard
// output (unbuffered), so the test knows the last step that was committed
// before the kill. Every checkpoint's contents are a function of its step
// (`checkpoint(step:elements:)`, mirrored by the test), so the test can check that what it loads is
// complete and is the step's own.
import AnnealCheckpoint
import AnnealJSON
import AnnealTensor

#if canImport(Glibc)
import Glibc
#endif

func option(_ name: String, default value: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let parsed = Int(arguments[index + 1]) else {
        return value
    }
    return parsed
}

/// Element `i` of every checkpoint's `a` but the first 16: `Float(i % 1000)`.
nonisolated(unsafe) var pattern: [Float] = []

/// Step `step`'s checkpoint: parameters `a` (`elements` values: element `i`
/// is `Float(step * 7 + i)` for the first 16, `Float(i % 1000)` after) and
/// `b` (3 × 5, element `i` is `Float(step * 7 + i)`), and `"step"` in the
/// metadata. Cheap to build, so that kills land mostly inside saves.
func checkpoint(step: Int, elements: Int) -> Checkpoint {
    if pattern.count != elements { pattern = (0..<elements).map { Float($0 % 1000) } }
    var a = pattern
    for i in 0..<min(16, elements) { a[i] = Float(step * 7 + i) }
    let manifest = CheckpointManifest(
        step: step, epoch: step / 10,
        parameters: [.init(name: "a", shape: [elements]), .init(name: "b", shape: [3, 5])],
        metadata: ["step": .int(step)])
    return Checkpoint(
        manifest: manifest,
        tensors: ["model.a": Tensor(shape: [elements], scalars: a), "model.b": Tensor(shape: [3, 5], scalars: (0..<15).map { Float(step * 7 + $0) })])
}

func say(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    _ = write(1, &bytes, bytes.count)
}

guard CommandLine.arguments.count >= 2 else {
    var bytes = Array("usage: anneal-checkpoint-crash-child DIR [--keep-last N] [--elements N]\n".utf8)
    _ = write(2, &bytes, bytes.count)
    exit(64)
}

do {
    let store = try CheckpointStore(directory: CommandLine.arguments[1], keepLast: option("--keep-last", default: 3))
    let elements = option("--elements", default: 1 << 18)
    var step = (try store.latest().checkpoint?.manifest.step ?? 0) + 1
    say("started \(step)")
    while true {
        try store.save(checkpoint(step: step, elements: elements))
        say("committed \(step)")
        step += 1
    }
} catch {
    var bytes = Array("anneal-checkpoint-crash-child: \(error)\n".utf8)
    _ = write(2, &bytes, bytes.count)
    exit(1)
}
