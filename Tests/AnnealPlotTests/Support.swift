import Anneal
import AnnealSpec
import AnnealPlot
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The repository root, from this file's path (Tests/AnnealPlotTests/Support.swift).
let repositoryRoot: String = {
    let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    return parts.dropLast(3).joined(separator: "/")
}()

/// A file of the repository, by its path from the root.
func repositoryFile(_ path: String) -> String { repositoryRoot + "/" + path }

/// The ten specs of the seed figure, in order.
let seedFigureSpecs: [String] = (1...10).map { index in
    let slugs = [
        "steplr", "cosine", "warmup-cosine", "plateau", "exponential", "polynomial", "onecycle", "cyclic",
        "linear-warmup", "lambda",
    ]
    return repositoryFile("Examples/seed-figure/" + (index < 10 ? "0" : "") + "\(index)-\(slugs[index - 1]).json")
}

/// The spec names of the seed figure, as the document labels its curves.
let seedFigureNames = [
    "StepLR", "CosineAnnealing", "Warmup+Cosine", "ReduceLROnPlateau", "ExponentialLR", "PolynomialLR", "OneCycleLR",
    "CyclicLR", "LinearWarmupOnly", "LambdaLR",
]

/// Runs the specs at `paths` and draws them.
func render(
    _ paths: [String], steps: Int = PlotInputs.defaultSteps, options: PlotOptions = PlotOptions(),
    compare: [String] = [], title: String? = nil
) throws -> (chart: Chart, rendered: RenderedChart) {
    var runs = try paths.map { try PlotInputs.schedule(specAt: $0, steps: steps) }
    runs += try compare.map { try PlotInputs.comparison(goldenAt: $0) }
    let chart = Chart(runs: runs, title: title)
    return (chart, SVGChart().render(chart, options: options))
}

// MARK: - A little SVG reading

/// One element of an SVG document: its name and attributes.
struct Element {
    var name: String
    var attributes: [String: String]
    subscript(_ key: String) -> String? { attributes[key] }
}

/// Every start (or empty) tag named `name` in `svg`, with its attributes.
/// Enough for the renderer's output, which writes every attribute as
/// `key="value"`.
func elements(_ name: String, in svg: String) -> [Element] {
    var found: [Element] = []
    var rest = Substring(svg)
    while let open = rest.firstRange(of: "<" + name + " ") {
        guard let close = rest[open.upperBound...].firstIndex(of: ">") else { break }
        let body = rest[open.upperBound..<close]
        var attributes: [String: String] = [:]
        var cursor = body.startIndex
        while let equals = body[cursor...].firstIndex(of: "=") {
            let key = body[cursor..<equals].trimmingCharacters(in: " /")
            let valueStart = body.index(equals, offsetBy: 2)
            guard valueStart <= body.endIndex, let valueEnd = body[valueStart...].firstIndex(of: "\"") else { break }
            attributes[key] = String(body[valueStart..<valueEnd])
            cursor = body.index(after: valueEnd)
        }
        found.append(Element(name: name, attributes: attributes))
        rest = rest[close...]
    }
    return found
}

/// The text content of every `<text>` whose class attribute of its group
/// is `groupClass` (e.g. `y-tick-labels`), inside the first element whose
/// `id` is `panel`.
func tickLabels(_ groupClass: String, panel: String, in svg: String) -> [String] {
    guard let panelStart = svg.firstRange(of: "id=\"\(panel)\"") else { return [] }
    let afterPanel = svg[panelStart.upperBound...]
    guard let groupStart = afterPanel.firstRange(of: "<g class=\"\(groupClass)\"") else { return [] }
    let group = afterPanel[groupStart.upperBound...]
    let groupEnd = group.firstRange(of: "</g>")?.lowerBound ?? group.endIndex
    var labels: [String] = []
    var rest = group[..<groupEnd]
    while let open = rest.firstRange(of: "<text ") {
        guard let start = rest[open.upperBound...].firstIndex(of: ">"),
            let end = rest[start...].firstRange(of: "</text>")
        else { break }
        labels.append(String(rest[rest.index(after: start)..<end.lowerBound]))
        rest = rest[end.upperBound...]
    }
    return labels
}

/// The points of a path's `d` (`M x,y x,y ... M ...`, optional `h0`).
func points(ofPath d: String) -> [(Double, Double)] {
    var result: [(Double, Double)] = []
    var text = d
    text = text.replacingAll("M", with: " ").replacingAll("h0", with: " ")
    for pair in text.split(separator: " ") {
        let parts = pair.split(separator: ",")
        if parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]) { result.append((x, y)) }
    }
    return result
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// How many times `target` occurs (not overlapping).
    func occurrences(of target: String) -> Int {
        var count = 0
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}

// MARK: - Files and processes

/// A fresh temporary directory.
func temporaryDirectory() -> String {
    var template = Array("/tmp/anneal-plot-tests-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
    return path.map { String(cString: $0) } ?? "/tmp"
}

/// Removes a directory made by ``temporaryDirectory()`` and the files in it
/// (it holds no subdirectories).
func removeDirectory(_ path: String) {
    guard path.hasPrefix("/tmp/anneal-plot-tests-"), let handle = opendir(path) else { return }
    var names: [String] = []
    while let entry = readdir(handle) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    closedir(handle)
    for name in names { unlink(path + "/" + name) }
    rmdir(path)
}

/// The bytes of a file, or `nil` when it cannot be read.
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

/// The text of a file, or `nil`.
func readText(_ path: String) -> String? { readBytes(path).map { String(decoding: $0, as: UTF8.self) } }

/// An executable on `PATH`, or `nil`.
func executableOnPath(_ name: String) -> String? {
    let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
}

/// The `anneal` executable built beside this test bundle.
func annealExecutable() -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard length > 0 else { return nil }
    let me = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let directory = me.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    for candidate in [directory + "/anneal", directory + "/../anneal", directory + "/../../anneal"]
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

/// Runs `executable` with `arguments` in the repository root, standard
/// output and error to files, and waits for it. `environment` replaces the
/// environment when given.
func runProcess(_ executable: String, _ arguments: [String], environment: [String]? = nil) -> ProcessResult {
    let directory = temporaryDirectory()
    defer { removeDirectory(directory) }
    let outPath = directory + "/stdout", errPath = directory + "/stderr"
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    // In the repository root: `sh -c 'cd "$0" && exec "$@"' ROOT EXECUTABLE ARGUMENTS...`.
    let command = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", repositoryRoot, executable] + arguments
    let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup($0) } + [nil] }
    defer { for pointer in envp ?? [] { free(pointer) } }
    var pid = pid_t()
    let spawned: Int32
    if let envp {
        spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
    } else {
        spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
    }
    guard spawned == 0 else { return ProcessResult(status: -1, standardOutput: "", standardError: "spawn failed: \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return ProcessResult(
        status: exitStatus, standardOutput: readText(outPath) ?? "", standardError: readText(errPath) ?? "")
}
