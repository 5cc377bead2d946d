// `make bench-torch-files`' Anneal side: reading a torch.save file with full
// validation (zip structure, every record's CRC-32, the weights_only pickle,
// every storage and tensor against its record), and writing one
// crash-safely (temporary file, fsync, rename, fsync of the directory).
// Scripts/bench_torch_files.py runs it beside torch.load and torch.save on
// the same file. Each run is its own process, so its peak memory is its own.
// A load is timed as PyTorch's is, in a warm process: one untimed load
// first (code paths, lazily bound symbols, the thread pool), then RUNS
// (default 1) timed ones, each file released before the next is mapped.
//
//     anneal-torch-bench load FILE [RUNS]   → JSON: seconds (each run), cold_seconds (the first), peak resident bytes
//     anneal-torch-bench save FILE OUT      → JSON: seconds of the write (FILE is read first, untimed)
import AnnealJSON
import AnnealPickle
import AnnealTorch

#if canImport(Glibc)
import Glibc
#endif

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// The process's peak resident set (`VmHWM` of /proc/self/status), in
/// bytes. (`getrusage`'s `ru_maxrss` would not do: Linux carries it over
/// from the process that forked this one.)
func peakResidentBytes() -> Int {
    guard let status = fopen("/proc/self/status", "r") else { return -1 }
    defer { fclose(status) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), status) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmHWM:") {
            let digits = text.filter(\.isNumber)
            return (Int(digits) ?? -1) * 1024
        }
    }
    return -1
}

func fail(_ message: String) -> Never {
    var bytes = Array("anneal-torch-bench: \(message)\n".utf8)
    _ = write(2, &bytes, bytes.count)
    exit(64)
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "load" where arguments.count == 2 || arguments.count == 3:
    guard let runs = arguments.count == 3 ? Int(arguments[2]) : 1, (1...1000).contains(runs) else {
        fail("RUNS must be a whole number from 1 to 1000, not \"\(arguments[2])\"")
    }
    do {
        var seconds: [Double] = []
        var coldSeconds = 0.0
        var storages = 0, bytes = 0
        for run in 0...runs {
            let start = now()
            let file = try TorchFile(contentsOf: arguments[1])
            if run > 0 { seconds.append(now() - start) } else { coldSeconds = now() - start }
            storages = file.storages.count
            bytes = file.storageByteCount
        }
        let report: JSONObject = [
            "what": "anneal load", "seconds": .array(seconds.map { .double($0) }), "cold_seconds": .double(coldSeconds),
            "peak_rss_bytes": .int(peakResidentBytes()), "storages": .int(storages), "bytes": .int(bytes),
        ]
        print(JSONValue.object(report).serialized())
    } catch {
        fail("\(error)")
    }
case "save" where arguments.count == 3:
    do {
        let file = try TorchFile(contentsOf: arguments[1])
        let start = now()
        try TorchFileWriter.write(file.root, storages: file, to: arguments[2])
        let seconds = now() - start
        let report: JSONObject = [
            "what": "anneal save", "seconds": .double(seconds), "peak_rss_bytes": .int(peakResidentBytes()),
            "bytes": .int(file.storageByteCount),
        ]
        print(JSONValue.object(report).serialized())
    } catch {
        fail("\(error)")
    }
default:
    fail("usage: anneal-torch-bench load FILE | save FILE OUT")
}
