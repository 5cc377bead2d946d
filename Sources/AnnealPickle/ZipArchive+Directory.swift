/// The central directory: the end records, the entries, and each entry's local header.
/// Stricter than torch's reader (miniz), which ignores local headers and
/// overlaps: a file two zip readers would read differently is refused.
extension ZipArchive {
    struct Directory {
        var offset: Int
        var size: Int
        var count: Int
    }

    static func u16(_ b: UnsafeRawBufferPointer, _ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
    static func u32(_ b: UnsafeRawBufferPointer, _ at: Int) -> Int { u16(b, at) | u16(b, at + 2) << 16 }
    static func u64(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        UInt64(u32(b, at)) | UInt64(u32(b, at + 4)) << 32
    }

    /// A 64-bit size or offset from the file, as an Int within the file.
    static func offset64(_ value: UInt64, within size: Int, _ what: String) throws(Problem) -> Int {
        guard let result = Int(exactly: value), result <= size else {
            throw .zip("\(what) \(value) is past the end of the file (\(size) bytes)")
        }
        return result
    }

    /// The end of central directory record (the last one, whose comment
    /// reaches the end of the file exactly) and torch's zip64 end record.
    static func endOfCentralDirectory(_ b: UnsafeRawBufferPointer) throws(Problem) -> Directory {
        let size = b.count
        guard size >= 22 else { throw .zip("the file is \(size) bytes, too short for a zip archive (truncated?)") }
        var found: Int?
        var candidate = size - 22
        let lowest = max(0, size - 22 - 0xFFFF)
        while candidate >= lowest {
            if u32(b, candidate) == 0x0605_4B50 && candidate + 22 + u16(b, candidate + 20) == size {
                found = candidate
                break
            }
            candidate -= 1
        }
        guard let eocd = found else {
            throw .zip("no end of central directory record (the file is truncated or not a zip archive)")
        }
        // torch's reader (miniz) takes the last signature in the file, even one inside the comment:
        // readers would disagree on where the directory is.
        var scan = eocd + 22
        while scan + 4 <= size {
            if u32(b, scan) == 0x0605_4B50 {
                throw .zip("the end of central directory's comment holds another end of central directory signature")
            }
            scan += 1
        }
        let disk = u16(b, eocd + 4)
        let directoryDisk = u16(b, eocd + 6)
        var countOnDisk = u16(b, eocd + 8)
        var count = u16(b, eocd + 10)
        var directorySize = u32(b, eocd + 12)
        var directoryOffset = u32(b, eocd + 16)
        var directoryEnd = eocd
        // torch's writer (miniz) adds a zip64 end record and its locator just before.
        if eocd >= 20, u32(b, eocd - 20) == 0x0706_4B50 {
            let locator = eocd - 20
            guard u32(b, locator + 4) == 0, u32(b, locator + 16) <= 1 else { throw .zip("a multi-disk zip64 archive") }
            let record = try offset64(u64(b, locator + 8), within: size, "the zip64 end record's offset")
            guard record <= locator - 56, u32(b, record) == 0x0606_4B50 else {
                throw .zip("the zip64 locator points to no zip64 end record")
            }
            let recordSize = u64(b, record + 4)
            guard recordSize >= 44, let recordEnd = Int(exactly: recordSize).flatMap({ record.addingReportingOverflow(12 + $0).overflow ? nil : record + 12 + $0 }),
                recordEnd == locator
            else {
                throw .zip("the zip64 end record's size \(recordSize) does not reach its locator")
            }
            guard u32(b, record + 16) == 0, u32(b, record + 20) == 0 else { throw .zip("a multi-disk zip64 archive") }
            let count64 = u64(b, record + 24)
            let total64 = u64(b, record + 32)
            let directorySize64 = try offset64(u64(b, record + 40), within: size, "the central directory size")
            let directoryOffset64 = try offset64(u64(b, record + 48), within: size, "the central directory offset")
            guard count64 == total64 else { throw .zip("a multi-disk zip64 archive") }
            func agrees(_ classic: Int, _ wide: UInt64, saturated: Int) -> Bool {
                classic == saturated || UInt64(classic) == wide
            }
            guard agrees(count, total64, saturated: 0xFFFF), agrees(countOnDisk, count64, saturated: 0xFFFF),
                agrees(directorySize, UInt64(directorySize64), saturated: 0xFFFF_FFFF),
                agrees(directoryOffset, UInt64(directoryOffset64), saturated: 0xFFFF_FFFF)
            else {
                throw .zip("the zip64 end record disagrees with the end of central directory")
            }
            guard let wideCount = Int(exactly: total64), wideCount <= maxEntries else {
                throw .zip("\(total64) entries (at most \(maxEntries))")
            }
            count = wideCount
            countOnDisk = wideCount
            directorySize = directorySize64
            directoryOffset = directoryOffset64
            directoryEnd = record
        } else if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            throw .zip("zip64 values in the end of central directory but no zip64 end record")
        }
        guard disk == 0, directoryDisk == 0, countOnDisk == count else { throw .zip("a multi-disk archive") }
        guard directoryOffset <= directoryEnd, directorySize == directoryEnd - directoryOffset else {
            throw .zip("the central directory (offset \(directoryOffset), \(directorySize) bytes) does not end where its end record starts (\(directoryEnd))")
        }
        guard count <= directorySize / 46 else {
            throw .zip("\(count) entries cannot fit a central directory of \(directorySize) bytes")
        }
        return Directory(offset: directoryOffset, size: directorySize, count: count)
    }

    /// One central directory header at `cursor` (advanced past it), checked
    /// against its local header.
    static func centralEntry(_ b: UnsafeRawBufferPointer, at cursor: inout Int, end: Int) throws(Problem) -> Entry {
        let at = cursor
        guard end - at >= 46, u32(b, at) == 0x0201_4B50 else {
            throw .zip("a damaged central directory header at byte \(at)")
        }
        let flags = UInt16(u16(b, at + 8))
        let method = UInt16(u16(b, at + 10))
        let crc = UInt32(u32(b, at + 16))
        var compressed = UInt64(u32(b, at + 20))
        var size = UInt64(u32(b, at + 24))
        let nameLength = u16(b, at + 28)
        let extraLength = u16(b, at + 30)
        let commentLength = u16(b, at + 32)
        let diskStart = u16(b, at + 34)
        var localOffset = UInt64(u32(b, at + 42))
        let headerEnd = at + 46 + nameLength + extraLength + commentLength
        guard headerEnd <= end else { throw .zip("a central directory header at byte \(at) runs past the directory") }
        guard let name = String(validating: b[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self), !name.isEmpty else {
            throw .zip("an entry name at byte \(at) is empty or not UTF-8")
        }
        guard flags & 0x41 == 0 else { throw .zip("entry \(name) is encrypted") }
        guard method == 0 || method == 8 else {
            throw .zip("entry \(name) uses compression method \(method) (only stored and deflate are read)")
        }
        guard diskStart == 0 || diskStart == 0xFFFF else { throw .zip("entry \(name) is on another disk") }
        // The zip64 extra field holds, in order, the values saturated above.
        var extra = at + 46 + nameLength
        let extraEnd = extra + extraLength
        var zip64Seen = false
        while extraEnd - extra >= 4 {
            let tag = u16(b, extra)
            let length = u16(b, extra + 2)
            guard extra + 4 + length <= extraEnd else { throw .zip("entry \(name): a damaged extra field") }
            if tag == 0x0001 {
                guard !zip64Seen else { throw .zip("entry \(name): two zip64 extra fields") }
                zip64Seen = true
                var field = extra + 4
                func next() throws(Problem) -> UInt64 {
                    guard field + 8 <= extra + 4 + length else { throw .zip("entry \(name): a short zip64 extra field") }
                    defer { field += 8 }
                    return u64(b, field)
                }
                if size == 0xFFFF_FFFF { size = try next() }
                if compressed == 0xFFFF_FFFF { compressed = try next() }
                if localOffset == 0xFFFF_FFFF { localOffset = try next() }
            }
            extra += 4 + length
        }
        guard extra == extraEnd else { throw .zip("entry \(name): a damaged extra field") }
        let limit = b.count
        let compressedSize = try offset64(compressed, within: limit, "entry \(name)'s compressed size")
        let local = try offset64(localOffset, within: limit, "entry \(name)'s local header offset")
        guard let uncompressed = Int(exactly: size) else { throw .zip("entry \(name)'s size \(size) does not fit") }
        if method == 0 && compressedSize != uncompressed {
            throw .zip("stored entry \(name): compressed size \(compressedSize) ≠ size \(uncompressed)")
        }
        // The local header: the same name and method; sizes too unless a data descriptor follows.
        guard local <= limit - 30, u32(b, local) == 0x0403_4B50 else {
            throw .zip("entry \(name): no local header at byte \(local)")
        }
        let localNameLength = u16(b, local + 26)
        let localExtraLength = u16(b, local + 28)
        let dataOffset = local + 30 + localNameLength + localExtraLength
        guard dataOffset <= limit, compressedSize <= limit - dataOffset else {
            throw .zip("entry \(name) runs past the end of the file (truncated?)")
        }
        guard b[(local + 30)..<(local + 30 + localNameLength)].elementsEqual(name.utf8) else {
            throw .zip("entry \(name): the local header names another file")
        }
        guard UInt16(u16(b, local + 8)) == method else { throw .zip("entry \(name): the local header's method differs") }
        let localFlags = UInt16(u16(b, local + 6))
        // Encryption and the data descriptor change how a reader of local headers finds the data.
        guard localFlags & 0x49 == flags & 0x49 else {
            throw .zip(
                "entry \(name): the local header's flags (0x\(String(localFlags, radix: 16))) differ from the central directory's (0x\(String(flags, radix: 16)))"
            )
        }
        if localFlags & 0x08 == 0 {
            let localCRC = UInt32(u32(b, local + 14))
            let localCompressed = u32(b, local + 18)
            let localSize = u32(b, local + 22)
            let sizesAgree =
                (localCompressed == 0xFFFF_FFFF || localCompressed == compressedSize)
                && (localSize == 0xFFFF_FFFF || localSize == uncompressed)
            guard localCRC == crc, sizesAgree else {
                throw .zip("entry \(name): the local header's CRC or sizes differ from the central directory")
            }
        }
        cursor = headerEnd
        return Entry(
            name: name, method: method, flags: flags, crc: crc, compressedSize: compressedSize, size: uncompressed,
            localHeaderOffset: local, dataOffset: dataOffset)
    }
}
