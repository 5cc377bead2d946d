#if canImport(Glibc)
import Glibc
#endif

/// The target libFuzzer drives, from `ANNEAL_FUZZ_TARGET` (default `spec`).
nonisolated(unsafe) private var libFuzzerTarget: FuzzTarget = {
    guard let name = getenv("ANNEAL_FUZZ_TARGET").map({ String(cString: $0) }) else { return .spec }
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        printError("anneal-fuzz: unknown ANNEAL_FUZZ_TARGET \"\(name)\" (expected one of \(names))")
        exit(64)
    }
    return target
}()

/// libFuzzer's entry point (a build with `-sanitize=fuzzer` links libFuzzer's `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    libFuzzerTarget.run(bytes)
    return 0
}

/// Writes a line to standard error.
func printError(_ message: String) {
    var bytes = Array((message + "\n").utf8)
    _ = write(2, &bytes, bytes.count)
}
