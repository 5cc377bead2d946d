/// Where a torch file's bytes go, in order: a file being written (see
/// `AnnealTorch`'s atomic writer), or memory (``ByteArraySink``).
public protocol TorchFileSink {
    /// Appends `bytes`; an error stops the write.
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// A ``TorchFileSink`` that collects the bytes in memory.
///
/// ```swift
/// var sink = ByteArraySink()
/// try TorchFileWriter.write(.dict(["epoch": .int(3)]), storages: NoStorages(), to: &sink)
/// try TorchFile(bytes: sink.bytes, file: "memory")
/// ```
public struct ByteArraySink: TorchFileSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes.append(contentsOf: bytes) }
}

/// The zip container as torch.save's writer (`PyTorchStreamWriter`, miniz)
/// lays it out: stored entries, each local header padded with an `FB`
/// extra field of `Z`s so the record's bytes start at a multiple of 64, a
/// data descriptor after each record (flags 0x0808: descriptor, UTF-8 names),
/// zeroed times, then the central directory and the zip64 end records
/// torch always writes. Records of 4 GiB or more, or past 4 GiB, carry
/// zip64 extra fields.
struct ZipArchiveWriter<Sink: TorchFileSink> {
    private(set) var sink: Sink
    private var offset = 0
    private var central: [Central] = []
    /// Sizes and offsets from here on are written as zip64 (tests lower it).
    let zip64Threshold: Int

    static var alignment: Int { 64 }

    private struct Central {
        var name: [UInt8]
        var crc: UInt32
        var size: Int
        var offset: Int
    }

    init(sink: Sink, zip64Threshold: Int = 0xFFFF_FFFF) {
        self.sink = sink
        self.zip64Threshold = zip64Threshold
    }

    /// Writes one stored record.
    mutating func add(_ name: String, _ bytes: UnsafeRawBufferPointer) throws {
        try add(name, size: bytes.count) { write in try write(bytes) }
    }

    /// Writes one stored record of `size` bytes that `body` writes in pieces
    /// (through the function it is given), so large records are never copied.
    mutating func add(
        _ name: String, size: Int, _ body: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws {
        let nameBytes = Array(name.utf8)
        let wideSize = size >= zip64Threshold
        let wideOffset = offset >= zip64Threshold
        var header = Header()
        header.u32(0x0403_4B50)
        header.u16(0)  // version needed
        header.u16(0x0808)
        header.u16(0)  // stored
        header.u32(0)  // time, date
        header.u32(0)  // crc (in the descriptor)
        header.u32(wideSize ? 0xFFFF_FFFF : 0)
        header.u32(wideSize ? 0xFFFF_FFFF : 0)
        header.u16(nameBytes.count)
        // torch's getPadding: the record starts at the next multiple of 64
        // after the header, the name, the zip64 field if any and FB's 4 bytes.
        let zip64Length = (wideSize ? 16 : 0) + (wideOffset ? 8 : 0)
        let zip64Field = zip64Length > 0 ? 4 + zip64Length : 0
        let start = offset + 30 + nameBytes.count + zip64Field + 4
        let padding = (Self.alignment - start % Self.alignment) % Self.alignment
        header.u16(zip64Field + 4 + padding)
        header.bytes.append(contentsOf: nameBytes)
        if zip64Field > 0 {
            header.u16(0x0001)
            header.u16(zip64Length)
            if wideSize {
                header.u64(size)
                header.u64(size)
            }
            if wideOffset { header.u64(offset) }
        }
        header.bytes.append(contentsOf: [0x46, 0x42])  // "FB"
        header.u16(padding)
        header.bytes.append(contentsOf: repeatElement(0x5A, count: padding))
        let recordOffset = offset
        try emit(header.bytes)
        precondition(offset % Self.alignment == 0, "record \(name) starts at \(offset), not a multiple of 64")
        var crc: UInt32 = 0
        var written = 0
        try body { piece in
            guard piece.count > 0 else { return }
            crc = CRC32.checksum(of: piece, continuing: crc)
            try sink.write(piece)
            written += piece.count
        }
        precondition(written == size, "record \(name): \(written) bytes written for a size of \(size)")
        offset += size
        var descriptor = Header()
        descriptor.u32(0x0807_4B50)
        descriptor.u32(Int(crc))
        if wideSize {
            descriptor.u64(size)
            descriptor.u64(size)
        } else {
            descriptor.u32(size)
            descriptor.u32(size)
        }
        try emit(descriptor.bytes)
        central.append(Central(name: nameBytes, crc: crc, size: size, offset: recordOffset))
    }

    /// The central directory and the end records; returns the sink.
    mutating func finish() throws -> Sink {
        let directoryOffset = offset
        var directory = Header()
        for entry in central {
            let wideSize = entry.size >= zip64Threshold
            let wideOffset = entry.offset >= zip64Threshold
            directory.u32(0x0201_4B50)
            directory.u16(0)  // made by
            directory.u16(0)  // needed
            directory.u16(0x0808)
            directory.u16(0)
            directory.u32(0)
            directory.u32(Int(entry.crc))
            directory.u32(wideSize ? 0xFFFF_FFFF : entry.size)
            directory.u32(wideSize ? 0xFFFF_FFFF : entry.size)
            directory.u16(entry.name.count)
            let zip64Length = (wideSize ? 16 : 0) + (wideOffset ? 8 : 0)
            directory.u16(zip64Length > 0 ? 4 + zip64Length : 0)
            directory.u16(0)  // comment
            directory.u16(0)  // disk
            directory.u16(0)  // internal attributes
            directory.u32(0)  // external attributes
            directory.u32(wideOffset ? 0xFFFF_FFFF : entry.offset)
            directory.bytes.append(contentsOf: entry.name)
            if zip64Length > 0 {
                directory.u16(0x0001)
                directory.u16(zip64Length)
                if wideSize {
                    directory.u64(entry.size)
                    directory.u64(entry.size)
                }
                if wideOffset { directory.u64(entry.offset) }
            }
        }
        let directorySize = directory.bytes.count
        let zip64EndOffset = directoryOffset + directorySize
        // The zip64 end of central directory record and its locator.
        directory.u32(0x0606_4B50)
        directory.u64(44)
        directory.u16(0x031E)  // made by (as miniz writes)
        directory.u16(0x2D)  // needed: 4.5
        directory.u32(0)
        directory.u32(0)
        directory.u64(central.count)
        directory.u64(central.count)
        directory.u64(directorySize)
        directory.u64(directoryOffset)
        directory.u32(0x0706_4B50)
        directory.u32(0)
        directory.u64(zip64EndOffset)
        directory.u32(1)
        // The classic end record, saturated where zip64 holds the value.
        directory.u32(0x0605_4B50)
        directory.u16(0)
        directory.u16(0)
        directory.u16(min(central.count, 0xFFFF))
        directory.u16(min(central.count, 0xFFFF))
        directory.u32(directorySize >= zip64Threshold ? 0xFFFF_FFFF : directorySize)
        directory.u32(directoryOffset >= zip64Threshold ? 0xFFFF_FFFF : directoryOffset)
        directory.u16(0)
        try emit(directory.bytes)
        return sink
    }

    private mutating func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try sink.write($0) }
        offset += bytes.count
    }

    /// Little-endian fields.
    private struct Header {
        var bytes: [UInt8] = []
        mutating func u16(_ value: Int) { append(UInt64(truncatingIfNeeded: value), 2) }
        mutating func u32(_ value: Int) { append(UInt64(truncatingIfNeeded: value), 4) }
        mutating func u64(_ value: Int) { append(UInt64(truncatingIfNeeded: value), 8) }
        private mutating func append(_ value: UInt64, _ width: Int) {
            for index in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
        }
    }
}
