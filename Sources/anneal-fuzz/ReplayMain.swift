// Without libFuzzer (the normal build): replay files through a target, for a
// corpus regression run or to reproduce a crash the fuzzer saved, and write
// the `state` target's seeds from the goldens. With libFuzzer
// (`-DANNEAL_LIBFUZZER`), `main` hands over to libFuzzer's driver.
import Anneal
import AnnealConformance
import AnnealSpec

#if canImport(Glibc)
import Glibc
#endif

#if ANNEAL_LIBFUZZER
/// libFuzzer's driver: parses its flags and calls the callback per input.
@_silgen_name("LLVMFuzzerRunDriver")
func runLibFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@main
struct FuzzDriver {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runLibFuzzerDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
    }
}
#else
@main
struct FuzzReplay {
    static let usage = """
        usage: anneal-fuzz TARGET FILE...          replay files through a target (spec, checkpoint, state, torch)
               anneal-fuzz --state-seeds GOLDEN_DIR OUT_DIR
                                                   write the state target's seeds from the goldens' state dicts
        """

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--state-seeds", arguments.count == 3 {
            exit(writeStateSeeds(goldens: arguments[1], into: arguments[2]))
        }
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count >= 2 else {
            printError(usage)
            exit(64)
        }
        for path in arguments.dropFirst() {
            guard let bytes = readFile(path) else {
                printError("anneal-fuzz: cannot read \"\(path)\"")
                exit(66)
            }
            target.run(bytes)
        }
        print("anneal-fuzz: \(arguments.count - 1) input(s) through \"\(name)\", no crash")
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return ferror(file) == 0 ? bytes : nil
    }

    /// One seed per golden `state_dict` record: `{"optimizer", "scheduler", "state"}`.
    static func writeStateSeeds(goldens: String, into directory: String) -> Int32 {
        guard let files = try? GoldenReplay.goldenFiles(in: goldens) else {
            printError("anneal-fuzz: \"\(goldens)\" is not a directory of goldens")
            return 66
        }
        mkdir(directory, 0o755)
        var written = 0
        for file in files {
            guard let golden = try? JSONValue.load(contentsOf: file), let scheduler = golden["scheduler"],
                let optimizer = golden["optimizer"], let trace = golden["trace"]?.arrayValue
            else { continue }
            for record in trace {
                guard let state = record["state_dict"] else { continue }
                let seed: JSONValue = ["optimizer": optimizer, "scheduler": scheduler, "state": state]
                do {
                    try seed.write(toFile: "\(directory)/state-\(written).json")
                    written += 1
                } catch {
                    printError("anneal-fuzz: \(error)")
                    return 73
                }
                break
            }
        }
        print("anneal-fuzz: \(written) state seeds in \(directory)")
        return 0
    }
}
#endif
