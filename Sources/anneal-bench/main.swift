// anneal-bench: nanoseconds per `step()` for each scheduler spec given, with
// 1 and 8 param groups, and heap allocations per step. Driven by
// Scripts/bench_schedulers.py, which times PyTorch on the same specs in the
// same run and prints the ratios (`make bench-schedulers`).
//
//     anneal-bench [--groups 1,8] [--min-ms 60] SPEC.json...
//
// Prints one JSON object per line: {"spec", "type", "groups", "ns_per_step",
// "allocations_per_step"}.
import Anneal
import AnnealSpec
import CAllocationCounter

#if canImport(Glibc)
import Glibc
#endif

func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

func fail(_ message: String) -> Never {
    var bytes = Array("anneal-bench: \(message)\n".utf8)
    _ = write(2, &bytes, bytes.count)
    exit(65)
}

/// A loop of `count` steps of one scheduler, as a user calls it on the
/// concrete type: without existential dispatch
/// inside the loop (runners go through `Scheduler.step(_:)`).
func makeStepper(_ scheduler: any Scheduler) -> (Int) throws -> Void {
    if let plateau = scheduler as? ReduceLROnPlateau {
        // Improving, then flat: reductions happen, and the floor is reached.
        let metrics: [Double] = [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]
        return { count in
            for index in 0..<count { try plateau.step(metric: metrics[index & 7]) }
        }
    }
    let scheduler = scheduler as! LRScheduler
    return { count in
        for _ in 0..<count { try scheduler.step() }
    }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var groupCounts = [1, 8]
var minimumNanoseconds: UInt64 = 60_000_000
var files: [String] = []
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--groups":
        guard let value = arguments.first else { fail("\"--groups\" needs a list such as 1,8") }
        arguments.removeFirst()
        groupCounts = value.split(separator: ",").compactMap { Int($0) }
        if groupCounts.isEmpty || groupCounts.contains(where: { $0 < 1 }) { fail("invalid \"--groups\" \"\(value)\"") }
    case "--min-ms":
        guard let value = arguments.first, let ms = UInt64(value), ms > 0 else { fail("\"--min-ms\" needs a positive integer") }
        arguments.removeFirst()
        minimumNanoseconds = ms * 1_000_000
    default:
        files.append(argument)
    }
}
if files.isEmpty { fail("usage: anneal-bench [--groups 1,8] [--min-ms 60] SPEC.json...") }

for file in files {
    let document: JSONValue
    do { document = try JSONValue.load(contentsOf: file) } catch { fail("\(error)") }
    for groups in groupCounts {
        guard case .object(var root) = document, case .object(var optimizer)? = root["optimizer"] else {
            fail("\(file): not a trace spec")
        }
        optimizer["param_groups"] = .array((0..<groups).map { .object(["lr": .double(0.1 + 0.01 * Double($0))]) })
        root["optimizer"] = .object(optimizer)
        let spec: TraceSpec
        let scheduler: any Scheduler
        do {
            spec = try TraceSpec(json: .object(root))
            let built = try TraceRunner.build(spec)
            guard let first = built.schedulers.first else { fail("\(file): the spec has no scheduler") }
            try built.optimizer.step()
            scheduler = first
        } catch {
            fail("\(file): \(error)")
        }
        let step = makeStepper(scheduler)
        do {
            try step(1000)  // warm up: caches, branch predictors, lazily sized buffers
            var best = Double.infinity
            var allocationsPerStep = 0.0
            for _ in 0..<5 {
                var steps = 0
                let allocationsBefore = anneal_allocation_count()
                let start = now()
                var elapsed: UInt64 = 0
                while elapsed < minimumNanoseconds / 5 {
                    try step(10_000)
                    steps += 10_000
                    elapsed = now() - start
                }
                let allocations = anneal_allocation_count() - allocationsBefore
                best = min(best, Double(elapsed) / Double(steps))
                allocationsPerStep = max(allocationsPerStep, Double(allocations) / Double(steps))
            }
            print(
                "{\"spec\": \"\(file)\", \"type\": \"\(scheduler.typeName)\", \"groups\": \(groups), \"ns_per_step\": \(best), \"allocations_per_step\": \(allocationsPerStep)}"
            )
        } catch {
            fail("\(file): stepping raised \(error)")
        }
    }
}
