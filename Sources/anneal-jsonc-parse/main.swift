// `make bench-conformance`'s floor: json-c's bare parse of a corpus. Reads
// every `*.json` below the directories given, parses each with json-c (the
// tree Anneal's reader builds too, in strict mode) and frees it; nothing is
// checked, converted or compared. Prints the file and byte counts.
import CJSONC

#if canImport(Glibc)
import Glibc
#endif

func jsonFiles(under directory: String) -> [String] {
    guard let handle = opendir(directory) else { return [] }
    defer { closedir(handle) }
    var files: [String] = []
    while let entry = readdir(handle) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name.hasPrefix(".") { continue }
        let path = "\(directory)/\(name)"
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            files += jsonFiles(under: path)
        } else if name.hasSuffix(".json") {
            files.append(path)
        }
    }
    return files
}

var buffer = [UInt8](repeating: 0, count: 1 << 20)
var fileCount = 0
var byteCount = 0
for directory in CommandLine.arguments.dropFirst() {
    for path in jsonFiles(under: directory).sorted() {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { continue }
        var info = stat()
        fstat(fd, &info)
        let size = Int(info.st_size)
        if buffer.count < size + 1 { buffer = [UInt8](repeating: 0, count: size + 1) }
        var count = 0
        while count < size {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, size - count) }
            if n <= 0 { break }
            count += n
        }
        close(fd)
        guard let tokener = json_tokener_new_ex(1024) else { continue }
        json_tokener_set_flags(tokener, JSON_TOKENER_STRICT)
        let root = buffer.withUnsafeBytes { raw in
            json_tokener_parse_ex(tokener, raw.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(count))
        }
        if root != nil { json_object_put(root) }
        json_tokener_free(tokener)
        fileCount += 1
        byteCount += count
    }
}
print("json-c parsed \(fileCount) files, \(byteCount) bytes")
