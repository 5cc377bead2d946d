#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a reader takes a file's bytes from: an open file (read with
/// `pread`, straight into the tensors' storage) or bytes in memory (tests,
/// fuzzing). Both go through the same validation.
protocol ByteSource: Sendable {
    /// The total size in bytes.
    var size: Int { get }
    /// Fills `buffer` with the bytes at `offset ..< offset + buffer.count`
    /// (within ``size``), or throws.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(CheckpointError.Problem)
    /// The whole source mapped read-only into memory, or `nil` where it
    /// cannot be (bytes in memory; a failed `mmap`): readers then copy.
    func mapping() -> FileMapping?
}

extension ByteSource {
    func mapping() -> FileMapping? { nil }
}

/// A read-only, private mapping of a whole file, unmapped when released:
/// the pages of the kernel's page cache, read in place. Tensors read from
/// a checkpoint borrow their elements from it (``BorrowedScalars``) until
/// they are written.
///
/// The file must not be truncated or rewritten in place while the mapping
/// lives (reading a page past a truncated end raises SIGBUS), as with every
/// memory-mapped reader; Anneal's own writers never do that: they write a
/// new file and rename it over the old one, whose pages stay intact.
final class FileMapping: @unchecked Sendable {
    // @unchecked: the mapping is read-only and unmapped only in deinit.
    let base: UnsafeRawPointer
    let size: Int

    /// Maps `size` bytes of the open file `descriptor` (`size > 0`), asking
    /// the kernel to map every page now (`MAP_POPULATE`) rather than fault
    /// them in one by one; `nil` when `mmap` fails.
    init?(descriptor: Int32, size: Int) {
        guard size > 0 else { return nil }
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let address = mmap(nil, size, PROT_READ, flags, descriptor, 0), address != MAP_FAILED else { return nil }
        base = UnsafeRawPointer(address)
        self.size = size
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }
}

extension ByteSource {
    /// The bytes at `offset ..< offset + count` as an array.
    func bytes(at offset: Int, count: Int) throws(CheckpointError.Problem) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        let outcome = result.withUnsafeMutableBytes { buffer in
            Result { () throws(CheckpointError.Problem) in try read(into: buffer, at: offset) }
        }
        try outcome.get()
        return result
    }
}

/// Bytes in memory.
struct MemorySource: ByteSource {
    let storage: [UInt8]
    var size: Int { storage.count }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(CheckpointError.Problem) {
        guard offset >= 0, buffer.count <= storage.count - offset else {
            throw .shortRead(offset: offset, expected: buffer.count, got: max(0, storage.count - offset))
        }
        guard buffer.count > 0 else { return }
        storage.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + buffer.count]))
        }
    }
}

/// An open file, read with `pread`; closes the descriptor when released.
final class FileSource: ByteSource {
    let descriptor: Int32
    let size: Int

    /// Opens `path` for reading and takes its size from `fstat`.
    init(path: String) throws(CheckpointError.Problem) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(operation: "open", reason: systemError()) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = systemError()
            close(descriptor)
            throw .io(operation: "fstat", reason: reason)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw .io(operation: "open", reason: (status.st_mode & S_IFMT) == S_IFDIR ? "is a directory" : "not a regular file")
        }
        self.descriptor = descriptor
        self.size = Int(status.st_size)
    }

    deinit { close(descriptor) }

    func mapping() -> FileMapping? { FileMapping(descriptor: descriptor, size: size) }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(CheckpointError.Problem) {
        var done = 0
        while done < buffer.count {
            let chunk = min(buffer.count - done, 1 << 30)
            let got = pread(descriptor, buffer.baseAddress! + done, chunk, off_t(offset + done))
            if got < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "read", reason: systemError())
            }
            if got == 0 { throw .shortRead(offset: offset, expected: buffer.count, got: done) }
            done += got
        }
    }
}

/// The message of the current `errno`.
func systemError() -> String {
    let code = errno
    return String(cString: strerror(code)) + " (errno \(code))"
}

/// Asks the kernel to back the 2 MiB-aligned part of `buffer` with
/// transparent huge pages before it is first written: reading 120 MB into
/// fresh 4 KiB pages spends most of its time in page faults (65 ms against
/// 17 ms with huge pages, measured by `make bench-checkpoint`). Only a hint:
/// where huge pages are off or unavailable, nothing changes.
func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
    #if os(Linux)
    let hugePage = 2 << 20
    guard let base = buffer.baseAddress, buffer.count >= 2 * hugePage else { return }
    let start = (Int(bitPattern: base) + hugePage - 1) / hugePage * hugePage
    let end = (Int(bitPattern: base) + buffer.count) / hugePage * hugePage
    guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(pointer, end - start, 14)  // MADV_HUGEPAGE
    #endif
}
