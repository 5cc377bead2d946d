import Anneal
import AnnealJSON
import AnnealTensor
import Testing

@testable import AnnealCheckpoint

#if canImport(Glibc)
import Glibc
#endif

/// The repository root, from this file's path (Tests/AnnealCheckpointTests/Support.swift).
let repositoryRoot: String = {
    let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    return parts.dropLast(3).joined(separator: "/")
}()

/// A file of the repository, by its path from the root.
func repositoryFile(_ path: String) -> String { repositoryRoot + "/" + path }

// MARK: - A small training state

/// A stand-in for the optimizers (LATER: SGD, Adam, AdamW, RMSprop conform
/// to ``CheckpointableOptimizer`` themselves): an Adam-like update that keeps
/// `exp_avg` and a 0-dimensional `step` as tensors and a `visits` count as a
/// scalar, enough to check that state goes out and comes back bit for bit.
final class FakeAdam: Optimizer, CheckpointableOptimizer {
    let parameters: [Parameter]
    var expAvg: [Int: Tensor] = [:]
    var stepTensor: [Int: Tensor] = [:]
    var visits: [Int: Int] = [:]

    init(parameters: [Parameter], lr: Double = 0.01, groups: [[Parameter]]? = nil) throws {
        self.parameters = parameters
        let counts = groups?.map(\.count) ?? [parameters.count]
        try super.init(
            .adam, options: ["lr": .double(lr)], groups: counts.map { _ in [:] }, parameterCounts: counts)
    }

    override func performStep() throws {
        var index = 0
        for group in paramGroups {
            for _ in 0..<group.parameterCount {
                defer { index += 1 }
                let parameter = parameters[index]
                guard let grad = parameter.grad else { continue }
                var average = expAvg[index] ?? Tensor(repeating: 0, shape: grad.shape)
                let step = (stepTensor[index]?.scalars[0] ?? 0) + 1
                for i in 0..<average.count {
                    average.scalars[i] = 0.9 * average.scalars[i] + 0.1 * grad.scalars[i]
                }
                var value = parameter.value
                for i in 0..<value.count {
                    value.scalars[i] -= Float(group.lr) * average.scalars[i] / (1 - powf(0.9, step))
                }
                parameter.value = value
                expAvg[index] = average
                stepTensor[index] = Tensor(shape: [], scalars: [step])
                visits[index, default: 0] += 1
            }
        }
    }

    func stateTensors() -> [OptimizerStateTensor] {
        expAvg.keys.sorted().flatMap { index in
            [
                OptimizerStateTensor(parameterIndex: index, key: "exp_avg", tensor: expAvg[index]!),
                OptimizerStateTensor(parameterIndex: index, key: "step", tensor: stepTensor[index]!),
            ]
        }
    }

    func scalarState() -> [Int: JSONObject] {
        visits.mapValues { ["visits": .int($0)] }
    }

    struct RefusedState: Error, CustomStringConvertible {
        var description: String
    }

    func restoreState(tensors: [OptimizerStateTensor], scalars: [Int: JSONObject]) throws {
        var newAverages: [Int: Tensor] = [:], newSteps: [Int: Tensor] = [:], newVisits: [Int: Int] = [:]
        for item in tensors {
            guard item.parameterIndex < parameters.count else { throw RefusedState(description: "no parameter \(item.parameterIndex)") }
            switch item.key {
            case "exp_avg":
                guard item.tensor.shape == parameters[item.parameterIndex].value.shape else {
                    throw RefusedState(description: "exp_avg of \(item.parameterIndex) has shape \(item.tensor.shape)")
                }
                newAverages[item.parameterIndex] = item.tensor
            case "step":
                guard item.tensor.shape == [] else { throw RefusedState(description: "step must be 0-dimensional") }
                newSteps[item.parameterIndex] = item.tensor
            default: throw RefusedState(description: "unknown state key \(item.key)")
            }
        }
        for (index, values) in scalars {
            guard let visits = values["visits"]?.intValue, values.count == 1 else {
                throw RefusedState(description: "bad scalars \(values)")
            }
            newVisits[index] = visits
        }
        guard Set(newAverages.keys) == Set(newSteps.keys) else { throw RefusedState(description: "exp_avg without step") }
        expAvg = newAverages
        stepTensor = newSteps
        visits = newVisits
    }
}

/// A tiny model, optimizer and two schedulers, after `steps` steps with
/// gradients drawn from `rng`.
struct SmallRun {
    var parameters: [Parameter]
    var optimizer: FakeAdam
    var schedulers: [any Scheduler]
    var rng: Xoshiro256StarStar

    var state: TrainingState { TrainingState(parameters: parameters, optimizer: optimizer, schedulers: schedulers) }

    init(seed: UInt64 = 7) throws {
        var rng = Xoshiro256StarStar(seed: seed)
        parameters = [
            Parameter(Tensor.uniform([3, 2], -1, 1, using: &rng), name: "fc.weight"),
            Parameter(Tensor.uniform([3], -1, 1, using: &rng), name: "fc.bias"),
            Parameter(Tensor.uniform([1, 3], -1, 1, using: &rng), name: "out.weight"),
        ]
        optimizer = try FakeAdam(parameters: parameters, lr: 0.05)
        schedulers = [
            try StepLR(optimizer: optimizer, stepSize: 2, gamma: 0.5),
            try ExponentialLR(optimizer: optimizer, gamma: 0.9),
        ]
        self.rng = rng
    }

    /// One training step: random gradients, the optimizer, the schedulers.
    mutating func step() throws {
        for parameter in parameters {
            parameter.grad = Tensor.normal(parameter.value.shape, using: &rng)
        }
        try optimizer.step()
        for scheduler in schedulers { try (scheduler as! LRScheduler).step() }
    }

    /// Everything that must come back bit for bit.
    var fingerprint: [String] {
        parameters.map { "\($0.name!)=\($0.value.scalars.map(\.bitPattern))" }
            + optimizer.stateTensors().map { "\($0.parameterIndex).\($0.key)=\($0.tensor.scalars.map(\.bitPattern))" }
            + ["visits=\(optimizer.visits.sorted { $0.key < $1.key })", "lr=\(optimizer.learningRates.map(\.bitPattern))"]
            + schedulers.map { $0.stateDict().serialized() } + ["rng=\(rng.state)"]
    }
}

/// The checkpoint of a ``SmallRun`` after `steps` steps.
func sampleCheckpoint(steps: Int = 3) throws -> Checkpoint {
    var run = try SmallRun()
    for _ in 0..<steps { try run.step() }
    return try run.state.capture(step: steps, epoch: 1, rng: run.rng, metadata: ["note": "sample", "seed": 7])
}

// MARK: - Files

/// A fresh temporary directory.
func temporaryDirectory() -> String {
    var template = Array("/tmp/anneal-checkpoint-tests-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
    return path.map { String(cString: $0) } ?? "/tmp"
}

/// Removes a directory made by ``temporaryDirectory()`` and its files.
func removeDirectory(_ path: String) {
    guard path.hasPrefix("/tmp/anneal-checkpoint-tests-") else { return }
    for name in directoryEntries(path) { unlink(path + "/" + name) }
    rmdir(path)
}

/// The names in a directory.
func directoryEntries(_ path: String) -> [String] {
    guard let handle = opendir(path) else { return [] }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// The bytes of a file, or `nil`.
func readBytes(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes += buffer[0..<count]
    }
    return bytes
}

/// Writes `bytes` to `path` (replacing it).
func writeBytes(_ bytes: [UInt8], to path: String) {
    guard let file = fopen(path, "wb") else { Issue.record("cannot write \(path)"); return }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
}

/// The safetensors header text of a file's bytes.
func headerText(of bytes: [UInt8]) -> String {
    var length = 0
    for index in 0..<8 { length |= Int(bytes[index]) << (8 * index) }
    return String(decoding: bytes[8..<8 + length], as: UTF8.self)
}

/// A safetensors file of a header text (padded with spaces to a multiple
/// of 8 unless `pad` is false) and a data section.
func assemble(header: String, data: [UInt8], pad: Bool = true) -> [UInt8] {
    assemble(headerBytes: Array(header.utf8), data: data, pad: pad)
}

/// A safetensors file of raw header bytes (padded as above) and a data section.
func assemble(headerBytes: [UInt8], data: [UInt8], pad: Bool = true) -> [UInt8] {
    var text = headerBytes
    if pad { text += [UInt8](repeating: 32, count: (8 - text.count % 8) % 8) }
    var out: [UInt8] = []
    for index in 0..<8 { out.append(UInt8((text.count >> (8 * index)) & 0xff)) }
    return out + text + data
}

/// The `__metadata__` a checkpoint with manifest `text` carries.
func manifestMetadata(_ text: String) -> [String: String] {
    ["anneal": text, "anneal.xxh3_128": DataChecksum.hexDigest(of: Array(text.utf8))]
}

/// A safetensors file of named raw tensors (laid out by Anneal's writer) and metadata.
func assemble(tensors: [(name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8])], metadata: [String: String])
    -> [UInt8]
{
    let header = SafetensorsHeader(tensors: tensors.map { ($0.name, $0.dtype, $0.shape) }, metadata: metadata)
    var out = header.encoded()
    for entry in header.entries {
        out += tensors.first { $0.name == entry.name }!.bytes
    }
    return out
}

/// A checkpoint's tensors as raw little-endian bytes, by name.
func rawTensors(of checkpoint: Checkpoint) -> [(name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8])] {
    checkpoint.tensors.keys.sorted().map { name in
        let tensor = checkpoint.tensors[name]!
        return (name, .f32, tensor.shape, tensor.scalars.withUnsafeBytes { Array($0) })
    }
}

/// The manifest text of a checkpoint's bytes.
func manifestText(of bytes: [UInt8]) throws -> String {
    let header = try JSONValue.parse(headerText(of: bytes))
    return header["__metadata__"]!["anneal"]!.stringValue!
}

// MARK: - Processes

/// An executable built beside this test bundle (`anneal`, the crash child).
func builtExecutable(_ name: String) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard length > 0 else { return nil }
    let me = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let directory = me.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    for candidate in [directory + "/" + name, directory + "/../" + name, directory + "/../../" + name]
    where access(candidate, X_OK) == 0 {
        return candidate
    }
    return nil
}

/// What a process did.
struct ProcessResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Starts `executable` with `arguments`, standard output and error to the
/// given files; returns its process id.
func spawn(_ executable: String, _ arguments: [String], standardOutput: String, standardError: String) -> pid_t? {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid = pid_t()
    guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { return nil }
    return pid
}

/// Waits for `pid`; returns the exit status, or 128 + the signal.
func waitFor(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}

/// Runs `executable` to completion in the repository root.
func runProcess(_ executable: String, _ arguments: [String]) -> ProcessResult {
    let directory = temporaryDirectory()
    defer { removeDirectory(directory) }
    let outPath = directory + "/stdout", errPath = directory + "/stderr"
    guard let pid = spawn(executable, arguments, standardOutput: outPath, standardError: errPath) else {
        return ProcessResult(status: -1, standardOutput: "", standardError: "spawn failed")
    }
    let status = waitFor(pid)
    return ProcessResult(
        status: status, standardOutput: readBytes(outPath).map { String(decoding: $0, as: UTF8.self) } ?? "",
        standardError: readBytes(errPath).map { String(decoding: $0, as: UTF8.self) } ?? "")
}

/// Sleeps `seconds`.
func sleep(seconds: Double) {
    var time = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    var remaining = timespec()
    while nanosleep(&time, &remaining) != 0 && errno == EINTR { time = remaining }
}
