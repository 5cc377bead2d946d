#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A torch file's bytes for as long as anything reads them: a read-only
/// private memory map of the file (stored records are read in place, never
/// copied), or bytes in memory (tests, fuzzing).
///
/// The file must not be truncated or rewritten in place while mapped (a
/// read past a truncated end raises SIGBUS), as with every mapped reader.
final class FileBytes: @unchecked Sendable {
    // @unchecked: the bytes are never written; the mapping is released only in deinit.
    let buffer: UnsafeRawBufferPointer
    private let mapped: Bool

    init(bytes: [UInt8]) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        copy.copyBytes(from: bytes)
        buffer = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(copy)[0..<bytes.count])
        mapped = false
    }

    init(path: String) throws(TorchFileError.Problem) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .unreadable("not a regular file") }
        guard let size = Int(exactly: status.st_size) else { throw .unreadable("the size does not fit") }
        if size == 0 {
            buffer = UnsafeRawBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw .unreadable("mmap: \(String(cString: strerror(errno)))")
        }
        buffer = UnsafeRawBufferPointer(start: address, count: size)
        mapped = true
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: buffer.baseAddress), buffer.count)
        } else if let base = buffer.baseAddress {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }
}
