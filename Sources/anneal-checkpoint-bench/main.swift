// `make bench-checkpoint`'s Anneal side: times saving (with fsync) and
// loading (with full verification) of an AdamW checkpoint, and measures the
// disk's sequential bandwidth. Scripts/bench_checkpoint.py runs it beside
// Python's safetensors and torch.save on the same bytes.
//
//     anneal-checkpoint-bench save DIR [--parameters N] [--repeat R]   → JSON: best/median seconds
//     anneal-checkpoint-bench load FILE [--repeat R] [--cold]          → JSON
//     anneal-checkpoint-bench resume DIR [--parameters N] [--repeat R] → JSON: a live AdamW, captured and restored
//     anneal-checkpoint-bench hash FILE [--repeat R]                   → JSON: XXH3-128 alone
//     anneal-checkpoint-bench disk DIR [--bytes N]                     → JSON: write+fsync and O_DIRECT read
import Anneal
import AnnealCheckpoint
import AnnealJSON
import AnnealOptim
import AnnealTensor
import AnnealTraining
import CCheckpointSupport

#if canImport(Glibc)
import Glibc
#endif

/// Seconds on the monotonic clock.
func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

func fail(_ message: String) -> Never {
    var bytes = Array("anneal-checkpoint-bench: \(message)\n".utf8)
    _ = write(2, &bytes, bytes.count)
    exit(64)
}

/// `--name VALUE` from the arguments, or `default`.
func option(_ name: String, _ arguments: [String], default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: name) else { return value }
    guard index + 1 < arguments.count, let parsed = Int(arguments[index + 1].replacingUnderscores()) else {
        fail("\(name) needs an integer")
    }
    return parsed
}

extension String {
    func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}

/// Best and median of `times`, with the bytes moved, as one JSON line.
func report(_ what: String, _ times: [Double], bytes: Int, extra: JSONObject = [:]) {
    let sorted = times.sorted()
    var object: JSONObject = [
        "what": .string(what), "best_s": .double(sorted[0]), "median_s": .double(sorted[sorted.count / 2]),
        "bytes": .int(bytes), "runs": .int(times.count),
    ]
    for (key, value) in extra { object[key] = value }
    print(JSONValue.object(object).serialized())
}

/// Drops `path`'s pages from the page cache (after an fsync), so the next
/// read comes from the disk.
func dropFromCache(_ path: String) {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return }
    fdatasync(descriptor)
    posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_DONTNEED))
    close(descriptor)
}

/// The shapes of a model of about `parameters` elements: square-ish weight
/// matrices of 1024 columns with their biases.
func modelShapes(parameters: Int) -> [(String, [Int])] {
    var shapes: [(String, [Int])] = []
    var remaining = parameters
    var layer = 0
    while remaining > 0 {
        let rows = min(2048, max(1, remaining / 1024))
        if rows * 1024 + rows > remaining {
            shapes.append(("\(layer).weight", [remaining]))
            break
        }
        shapes.append(("\(layer).weight", [rows, 1024]))
        shapes.append(("\(layer).bias", [rows]))
        remaining -= rows * 1024 + rows
        layer += 1
    }
    return shapes
}

/// An AdamW checkpoint after one step: parameters, `exp_avg`,
/// `exp_avg_sq` and a 0-dimensional `step` per parameter.
func adamWCheckpoint(parameters: Int) throws -> Checkpoint {
    var rng = Xoshiro256StarStar(seed: 1)
    let shapes = modelShapes(parameters: parameters)
    let optimizer = try Optimizer(.adamW, options: ["lr": 0.001], parameterCounts: [shapes.count])
    var tensors: [String: Tensor] = [:]
    var records: [CheckpointManifest.ParameterRecord] = []
    var state: [CheckpointManifest.OptimizerRecord.ParameterState] = []
    for (index, (name, shape)) in shapes.enumerated() {
        records.append(.init(name: name, shape: shape))
        tensors[CheckpointManifest.modelTensorName(name)] = Tensor.uniform(shape, -0.1, 0.1, using: &rng)
        tensors[CheckpointManifest.optimizerTensorName(index: index, key: "exp_avg")] = Tensor.uniform(shape, -0.01, 0.01, using: &rng)
        tensors[CheckpointManifest.optimizerTensorName(index: index, key: "exp_avg_sq")] = Tensor.uniform(shape, 0, 0.0001, using: &rng)
        tensors[CheckpointManifest.optimizerTensorName(index: index, key: "step")] = Tensor(shape: [], scalars: [1])
        state.append(.init(index: index, tensorShapes: ["exp_avg": shape, "exp_avg_sq": shape, "step": []]))
    }
    let manifest = CheckpointManifest(
        step: 1, epoch: 0, parameters: records,
        optimizer: .init(type: "AdamW", paramGroups: optimizer.stateDict()["param_groups"]!.arrayValue!, state: state),
        rng: .init(state: rng.state))
    return Checkpoint(manifest: manifest, tensors: tensors)
}

/// `O_DIRECT` (Glibc hides it without `_GNU_SOURCE`).
#if arch(x86_64) || arch(i386)
let openDirect: Int32 = 0o40000
#else
let openDirect: Int32 = 0o200000
#endif

func fileSize(_ path: String) -> Int {
    var status = stat()
    return stat(path, &status) == 0 ? Int(status.st_size) : 0
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first, arguments.count >= 2 else {
    fail("usage: anneal-checkpoint-bench save DIR | load FILE | resume DIR | hash FILE | disk DIR [options]")
}
let target = arguments[1]
let repeats = option("--repeat", arguments, default: 5)

switch mode {
case "save":
    let parameters = option("--parameters", arguments, default: 10_000_000)
    let checkpoint = try adamWCheckpoint(parameters: parameters)
    let path = target + "/" + CheckpointStore.fileName(step: 1)
    var times: [Double] = []
    for _ in 0..<repeats {
        unlink(path)
        let start = now()
        try checkpoint.write(to: path)
        times.append(now() - start)
    }
    report("anneal save (XXH3-128, write, fsync, rename, fsync dir)", times, bytes: fileSize(path), extra: ["file": .string(path)])

case "load":
    let cold = arguments.contains("--cold")
    var times: [Double] = []
    var tensors = 0
    for _ in 0..<repeats {
        if cold { dropFromCache(target) }
        let start = now()
        let checkpoint = try Checkpoint.read(from: target)
        times.append(now() - start)
        tensors = checkpoint.tensors.count
    }
    report("anneal load (full verification)" + (cold ? ", cold cache" : ""), times, bytes: fileSize(target), extra: ["tensors": .int(tensors)])

case "resume":
    // The whole round trip of a live AdamW (not only the file): capture its
    // state and save; then read, verify and restore into a fresh AdamW.
    let parameters = option("--parameters", arguments, default: 10_000_000)
    func model() -> [Parameter] {
        var rng = Xoshiro256StarStar(seed: 1)
        return modelShapes(parameters: parameters).map { name, shape in
            let parameter = Parameter(Tensor.uniform(shape, -0.1, 0.1, using: &rng), name: name)
            parameter.grad = Tensor.uniform(shape, -0.01, 0.01, using: &rng)
            return parameter
        }
    }
    let live = model()
    let optimizer = try AdamW(parameters: live, lr: 1e-3, weightDecay: 0.01)
    try optimizer.step()
    let state = TrainingState(parameters: live, optimizer: optimizer)
    let path = target + "/" + CheckpointStore.fileName(step: 1)
    var saves: [Double] = []
    var loads: [Double] = []
    let fresh = model()
    let restoredOptimizer = try AdamW(parameters: fresh, lr: 1e-3, weightDecay: 0.01)
    let restoredState = TrainingState(parameters: fresh, optimizer: restoredOptimizer)
    for _ in 0..<repeats {
        unlink(path)
        var start = now()
        try state.capture(step: 1).write(to: path)
        saves.append(now() - start)
        start = now()
        try restoredState.restore(from: try Checkpoint.read(from: path))
        loads.append(now() - start)
    }
    guard restoredOptimizer.stateEntries() == optimizer.stateEntries(),
        zip(fresh, live).allSatisfy({ $0.value == $1.value })
    else { fail("the restored AdamW differs from the saved one") }
    report("anneal capture + save of a live AdamW", saves, bytes: fileSize(path))
    report("anneal load + verify + restore into AdamW", loads, bytes: fileSize(path))

case "hash":
    let descriptor = open(target, O_RDONLY)
    guard descriptor >= 0 else { fail("cannot open \(target)") }
    let size = fileSize(target)
    var bytes = [UInt8](repeating: 0, count: size)
    _ = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, size) }
    close(descriptor)
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = now()
        let digest = bytes.withUnsafeBytes { XXH3_128bits($0.baseAddress, $0.count) }
        if digest.low64 == 42 { print("") }  // keeps the hash from being optimized away
        times.append(now() - start)
    }
    report("XXH3-128 (libxxhash) of the file in memory", times, bytes: size)

case "disk":
    let count = option("--bytes", arguments, default: 256 << 20)
    let path = target + "/.disk-bandwidth-probe"
    let alignment = 4096
    var raw: UnsafeMutableRawPointer?
    posix_memalign(&raw, alignment, count)
    guard let buffer = raw else { fail("out of memory") }
    defer { free(buffer) }
    var rng = Xoshiro256StarStar(seed: 3)
    let words = buffer.bindMemory(to: UInt64.self, capacity: count / 8)
    for index in 0..<count / 8 { words[index] = rng.next() }
    var writes: [Double] = []
    var reads: [Double] = []
    for _ in 0..<repeats {
        unlink(path)
        let start = now()
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var done = 0
        while done < count { done += write(descriptor, buffer + done, count - done) }
        fsync(descriptor)
        close(descriptor)
        writes.append(now() - start)
        dropFromCache(path)
        let readStart = now()
        let direct = open(path, O_RDONLY | openDirect)
        done = 0
        while done < count {
            let got = read(direct, buffer + done, min(count - done, 8 << 20))
            if got <= 0 { break }
            done += got
        }
        close(direct)
        reads.append(now() - readStart)
    }
    unlink(path)
    report("disk sequential write + fsync", writes, bytes: count)
    report("disk sequential read (O_DIRECT)", reads, bytes: count)

default:
    fail("unknown mode \(mode)")
}
