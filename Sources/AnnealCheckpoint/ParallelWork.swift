#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The most threads a checkpoint reads or hashes with: copying and hashing
/// are bound by memory bandwidth, which a few cores saturate.
let maximumWorkers = 4

/// Splits items of the given byte sizes over up to ``maximumWorkers``
/// threads (no more than the online cores), largest first onto the least
/// loaded thread. Small jobs (under 8 MiB in all) stay on one thread.
func workerAssignment(_ sizes: [Int]) -> [[Int]] {
    let total = sizes.reduce(0, +)
    let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    let count = total < 8 << 20 ? 1 : max(1, min(maximumWorkers, cores, sizes.count))
    var workers = [[Int]](repeating: [], count: count)
    var loads = [Int](repeating: 0, count: count)
    for index in sizes.indices.sorted(by: { sizes[$0] > sizes[$1] }) {
        let least = loads.indices.min { loads[$0] < loads[$1] }!
        workers[least].append(index)
        loads[least] += sizes[index]
    }
    return workers
}

/// One result slot per item, each written by exactly one thread of a
/// `concurrentPerform` and read after it returns.
final class ResultSlots<Value, Failure: Error>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result<Value, Failure>?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    subscript(index: Int) -> Result<Value, Failure>? {
        get { slots[index] }
        set { slots[index] = newValue }
    }

    /// Every slot's result (all must be filled).
    var values: [Result<Value, Failure>] { slots.map { $0! } }
}
