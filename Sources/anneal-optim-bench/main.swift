// `anneal-optim-bench`: the time of one optimizer step over 10 million
// float32 parameters (AdamW, Adam, SGD with momentum), and the machine's
// copy bandwidth measured on the same bytes, for `make bench-optim`
// (`Scripts/bench_optim.py` runs it beside PyTorch and prints the ratios).
//
//     anneal-optim-bench [--parameters N] [--repeats R]
//     anneal-optim-bench --dump DIR      # params after 3 steps, for the bit-exactness check
//     anneal-optim-bench --serve         # commands on stdin (see below), for bench_optim.py
//
// Output: one JSON object per line.

#if canImport(Glibc)
    import Glibc
#endif
import AnnealOptim
import Dispatch

struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Copies bytes `start..<end` (multiples of 64) with 64-byte vectors.
nonisolated func copyLoop(
    _ buffers: UncheckedSendable<(UnsafeMutableRawPointer, UnsafeMutableRawPointer)>, _ start: Int, _ end: Int
) {
    let (source, destination) = buffers.value
    var offset = start
    while offset < end {
        let vector = source.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
        destination.storeBytes(of: vector, toByteOffset: offset, as: SIMD16<Float>.self)
        offset += 64
    }
}

/// The tensor sizes: "a few tensors" totalling `total` elements.
func sizes(total: Int) -> [Int] {
    let parts = [4, 3, 2, 1]
    var result = parts.map { total * $0 / 10 }
    result[0] += total - result.reduce(0, +)
    return result
}

/// Deterministic values Python computes the same way: element `i` of the
/// concatenation of all tensors is `((i * m) mod 2^32) / 2^32 * width + low`
/// rounded to float32, with `m` odd. (Allocated as the library allocates
/// tensors, with huge pages where Linux grants them.)
func values(offset: Int, count: Int, multiplier: UInt64, width: Double, low: Double) -> [Float] {
    ScalarStorage.uninitialized(count: count) { buffer in
        for k in 0..<count {
            let i = UInt64(offset + k)
            let hashed = (i &* multiplier) & 0xffff_ffff
            buffer[k] = Float(Double(hashed) / 4_294_967_296.0 * width + low)
        }
    }
}

struct Setup {
    var parameters: [Parameter]

    init(total: Int) {
        var offset = 0
        parameters = []
        for count in sizes(total: total) {
            let parameter = Parameter(
                Tensor(values(offset: offset, count: count, multiplier: 2_654_435_761, width: 4, low: -2)))
            parameter.grad = Tensor(values(offset: offset, count: count, multiplier: 2_246_822_519, width: 2, low: -1))
            parameters.append(parameter)
            offset += count
        }
    }
}

/// Every optimizer measured, in the report's order.
let benchedOptimizers = [
    "AdamW", "Adam", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "ASGD", "Rprop",
    "Adafactor",
]

func makeOptimizer(_ name: String, _ parameters: [Parameter]) throws -> Optimizer {
    switch name {
    case "AdamW": return try AdamW(parameters: parameters, lr: 1e-3, weightDecay: 0.01)
    case "Adam": return try Adam(parameters: parameters, lr: 1e-3)
    case "SGD": return try SGD(parameters: parameters, lr: 1e-2, momentum: 0.9)
    case "RMSprop": return try RMSprop(parameters: parameters, lr: 1e-2, momentum: 0.9)
    case "Adagrad": return try Adagrad(parameters: parameters, lr: 1e-2, lrDecay: 1e-4)
    case "Adadelta": return try Adadelta(parameters: parameters, lr: 1.0)
    case "Adamax": return try Adamax(parameters: parameters, lr: 2e-3)
    case "NAdam": return try NAdam(parameters: parameters, lr: 2e-3)
    case "RAdam": return try RAdam(parameters: parameters, lr: 1e-3)
    case "ASGD": return try ASGD(parameters: parameters, lr: 1e-2, t0: 2.0)
    case "Rprop": return try Rprop(parameters: parameters, lr: 1e-2)
    case "Adafactor": return try Adafactor(parameters: parameters, lr: 1e-2)
    default: fatalError("unknown optimizer \(name)")
    }
}

/// Bytes one steady-state step reads and writes per element (float32):
/// AdamW/Adam read param, grad, exp_avg, exp_avg_sq and write three of
/// them; SGD with momentum reads param, grad, buffer and writes two.
/// The newer ones likewise: Adagrad reads param, grad, sum and writes two
/// (20); Adadelta, Adamax, NAdam, RAdam and Rprop keep two buffers (28);
/// ASGD past `t0` reads param, grad, ax and writes param and ax (20);
/// Adafactor over vectors reads param, grad, variance and writes two, plus
/// the parameter's norm (a read) before the update (24).
let bytesPerElement = [
    "AdamW": 28, "Adam": 28, "SGD": 20, "RMSprop": 28, "Adagrad": 20, "Adadelta": 28, "Adamax": 28, "NAdam": 28,
    "RAdam": 28, "ASGD": 20, "Rprop": 28, "Adafactor": 24,
]

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

func median(_ xs: [Double]) -> Double {
    let sorted = xs.sorted()
    return sorted[sorted.count / 2]
}

var total = 10_000_000
var repeats = 15
var dumpDirectory: String?
var serving = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--parameters", "--repeats":
        guard let value = arguments.popFirst().flatMap({ Int($0) }), value > 0 else {
            print("anneal-optim-bench: '\(argument)' needs a positive integer")
            exit(64)
        }
        if argument == "--parameters" { total = value } else { repeats = value }
    case "--dump": dumpDirectory = arguments.popFirst()
    case "--serve": serving = true
    default:
        print("usage: anneal-optim-bench [--parameters N] [--repeats R] [--dump DIR | --serve]")
        exit(64)
    }
}

if let dumpDirectory {
    // Three steps (the first initializes the state), then every parameter's
    // float32 bytes, for Scripts/bench_optim.py to compare with PyTorch's.
    for name in benchedOptimizers {
        let setup = Setup(total: total)
        let optimizer = try makeOptimizer(name, setup.parameters)
        for _ in 0..<3 { try optimizer.step() }
        let path = "\(dumpDirectory)/\(name).f32"
        guard let file = fopen(path, "wb") else { fatalError("cannot write \(path)") }
        for parameter in setup.parameters {
            parameter.value.withUnsafeBufferPointer { buffer in
                _ = fwrite(buffer.baseAddress, 4, buffer.count, file)
            }
        }
        fclose(file)
        print("{\"dump\": \"\(name)\", \"path\": \"\(path)\"}")
    }
    exit(0)
}

let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

/// Copy bandwidth over the parameters' bytes (a copy's reads and writes
/// both count): memcpy on one thread, and a vector copy loop on one thread
/// and on every core (split as the optimizers split large tensors), on huge
/// pages where Linux grants them, as the tensors are (ScalarStorage).
func copyBandwidthJSON(total: Int, repeats: Int) -> String {
    let bytes = total * 4 / 64 * 64  // whole 64-byte vectors: copyLoop's unit
    var sourceScalars = ScalarStorage.filled(1, count: total)
    var destinationScalars = ScalarStorage.filled(0, count: total)
    return sourceScalars.withUnsafeMutableBytes { sourceBytes in
        destinationScalars.withUnsafeMutableBytes { destinationBytes in
            let (source, destination) = (sourceBytes.baseAddress!, destinationBytes.baseAddress!)
            func bandwidth(_ copy: () -> Void) -> Double {
                copy()
                var times: [Double] = []
                for _ in 0..<max(repeats, 5) {
                    let start = now()
                    copy()
                    times.append(now() - start)
                }
                return Double(2 * bytes) / median(times)
            }
            let buffers = UncheckedSendable((source, destination))
            let memcpyBandwidth = bandwidth { memcpy(destination, source, bytes) }
            let loopBandwidth = bandwidth { copyLoop(buffers, 0, bytes) }
            let parallelBandwidth = bandwidth {
                let share = (bytes / cores + 63) / 64 * 64
                DispatchQueue.concurrentPerform(iterations: cores) { core in
                    copyLoop(buffers, min(bytes, core * share), min(bytes, (core + 1) * share))
                }
            }
            return "{\"copy_bytes\": \(bytes), \"memcpy_bandwidth\": \(memcpyBandwidth), "
                + "\"loop_bandwidth\": \(loopBandwidth), \"parallel_loop_bandwidth\": \(parallelBandwidth), "
                + "\"cores\": \(cores), \"copy_bandwidth\": \(max(memcpyBandwidth, loopBandwidth, parallelBandwidth))}"
        }
    }
}

/// `count` steady-state steps of `optimizer`, as one JSON line.
func timeSteps(_ name: String, _ optimizer: Optimizer, total: Int, count: Int) throws -> String {
    var times: [Double] = []
    for _ in 0..<count {
        let start = now()
        try optimizer.step()
        times.append(now() - start)
    }
    return "{\"optimizer\": \"\(name)\", \"parameters\": \(total), \"seconds\": \(median(times)), "
        + "\"min_seconds\": \(times.min()!), \"bytes_per_step\": \(total * bytesPerElement[name]!), \"threads\": \(cores)}"
}

if serving {
    // Commands on stdin, one JSON line answered for each, so that
    // Scripts/bench_optim.py can time Anneal and PyTorch turn about, a few
    // steps each, while the memory bandwidth of a shared machine drifts:
    //   copy            the copy bandwidth
    //   setup NAME      a fresh optimizer (AdamW, Adam or SGD), first step taken
    //   steps N         N steps of it: their median and fastest time
    var current: (name: String, setup: Setup, optimizer: Optimizer)?
    func answer(_ line: String) {
        print(line)
        fflush(nil)  // every stream: stdout is a pipe, so fully buffered
    }
    while let line = readLine() {
        let words = line.split(separator: " ").map(String.init)
        switch (words.first, words.count) {
        case ("copy", 1):
            answer(copyBandwidthJSON(total: total, repeats: repeats))
        case ("setup", 2) where bytesPerElement[words[1]] != nil:
            current = nil  // frees the previous optimizer's memory first
            let setup = Setup(total: total)
            let optimizer = try makeOptimizer(words[1], setup.parameters)
            try optimizer.step()  // creates the state (SGD: the momentum buffer is the gradient)
            current = (words[1], setup, optimizer)
            answer("{\"ready\": \"\(words[1])\"}")
        case ("steps", 2):
            guard let current, let count = Int(words[1]), count > 0 else {
                answer("{\"error\": \"'steps' needs a positive count after 'setup'\"}")
                exit(65)
            }
            answer(try timeSteps(current.name, current.optimizer, total: total, count: count))
        default:
            answer("{\"error\": \"unknown command '\(line)'\"}")
            exit(64)
        }
    }
    exit(0)
}

print(copyBandwidthJSON(total: total, repeats: repeats))
for name in benchedOptimizers {
    let setup = Setup(total: total)
    let optimizer = try makeOptimizer(name, setup.parameters)
    try optimizer.step()  // creates the state (SGD: the momentum buffer is the gradient)
    print(try timeSteps(name, optimizer, total: total, count: repeats))
}
