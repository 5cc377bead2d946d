import AnnealSpec
#if canImport(Glibc)
import Glibc
#endif

/// The few file-system questions the replay asks, without Foundation.
enum FileSystem {
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Every `*.json` file below `directory`, sorted, as paths that start with `directory`.
    static func jsonFiles(under directory: String) throws(SpecError) -> [String] {
        guard let handle = opendir(directory) else {
            throw SpecError(
                file: directory, location: "", message: "cannot read the directory: \(String(cString: strerror(errno)))")
        }
        defer { closedir(handle) }
        var files: [String] = []
        var directories: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." || name.hasPrefix(".") { continue }
            let path = directory.hasSuffix("/") ? directory + name : "\(directory)/\(name)"
            if isDirectory(path) {
                directories.append(path)
            } else if name.hasSuffix(".json") {
                files.append(path)
            }
        }
        for subdirectory in directories {
            files += try jsonFiles(under: subdirectory)
        }
        return files.sorted()
    }
}
