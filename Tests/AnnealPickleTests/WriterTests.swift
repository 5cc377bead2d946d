import AnnealJSON
import Testing

@testable import AnnealPickle

/// ``TorchFileWriter``: what it writes reads back as torch recorded the
/// original (`Scripts/torch_roundtrip.py` checks the same in torch itself).
@Suite("torch.save writer")
struct WriterTests {
    /// Writes `file`'s tree and reads it back.
    func roundTrip(_ file: TorchFile, zip64Threshold: Int = 0xFFFF_FFFF) throws -> TorchFile {
        var sink = ByteArraySink()
        try TorchFileWriter.write(
            file.root, storages: file, toFile: "memory.pt", sink: &sink, archiveName: "archive",
            bigEndian: file.isBigEndian, zip64Threshold: zip64Threshold)
        return try TorchFile(bytes: sink.bytes, file: "memory.pt")
    }

    @Test("Each valid fixture, written and read back, is what torch read", arguments: FixtureTests.validNames)
    func fixtureRoundTrip(name: String) throws {
        let expected = try #require(expectations["valid"]?[name])
        for threshold in [0xFFFF_FFFF, 0] {
            let written = try roundTrip(try TorchFile(contentsOf: fixture(name)), zip64Threshold: threshold)
            var describer = Describer(file: written)
            let described = try describer.describe(written.root)
            if described != expected {
                Issue.record("\(name) (zip64 from \(threshold)): read back\n\(described.serialized(indent: 1))")
            }
        }
    }

    @Test("Records are laid out as torch.save lays them out")
    func layout() throws {
        let written = try roundTrip(try TorchFile(contentsOf: fixture("views.pt")))
        let storageCount = written.storages.count
        #expect(
            written.recordNames
                == ["data.pkl", ".format_version", ".storage_alignment", "byteorder"]
                + (0..<storageCount).map { "data/\($0)" } + ["version", ".data/serialization_id"])
        #expect(written.storages.map(\.key) == (0..<storageCount).map(String.init))
        #expect(written.storageAlignment == 64 && written.formatVersion == "1" && written.version == "3\n")
        var sink = ByteArraySink()
        try TorchFileWriter.write(written.root, storages: written, toFile: "memory.pt", sink: &sink)
        try sink.bytes.withUnsafeBytes { buffer in
            let archive = try ZipArchive(buffer: buffer)
            for entry in archive.entries {
                #expect(entry.dataOffset % 64 == 0, "\(entry.name) starts at \(entry.dataOffset)")
                #expect(entry.method == 0 && entry.flags == 0x0808, "\(entry.name)")
            }
        }
        // Equal inputs give equal bytes (the serialization id is derived, not random).
        var again = ByteArraySink()
        try TorchFileWriter.write(written.root, storages: written, toFile: "memory.pt", sink: &again)
        #expect(again.bytes == sink.bytes)
    }

    @Test(
        "Values keep their Python types",
        arguments: [
            PickleValue.int(0), .int(255), .int(256), .int(65535), .int(65536), .int(-1), .int(Int(Int32.min)),
            .int(Int(Int32.max) + 1), .int(.min), .int(.max), .integer(PythonInt(twosComplement: [0, 0, 0, 0, 0, 0, 0, 0, 0x40])),
            .integer(PythonInt(twosComplement: [0, 0, 0, 0, 0, 0, 0, 0, 0xFF])),
            .integer(PythonInt(twosComplement: [0, 0, 0, 0, 0, 0, 0, 0, 0x80])), .float(-0.0), .float(.infinity), .float(Double(bitPattern: 0x7FF8_0000_0000_0001)),
            .complex(real: 1, imaginary: -2), .string(""), .string("héllo ☃"), .bytes([]), .bytes([0, 0x80, 0xFF]),
            .bytearray([]), .bytearray([1, 2]), .tuple([]), .tuple([.none]), .tuple([.int(1), .bool(true), .none, .float(2)]),
            .list((0..<1001).map(PickleValue.int)), .set([.int(3), .string("a")]), .size([2, 3]), .size([]),
            .device(type: "cuda", index: 1), .device(type: "cpu", index: nil), .dtype(.bfloat16),
        ])
    func scalar(value: PickleValue) throws {
        let root = PickleValue.list([value])
        var sink = ByteArraySink()
        try TorchFileWriter.write(root, storages: StorageBytes(), toFile: "memory.pt", sink: &sink)
        let back = try TorchFile(bytes: sink.bytes, file: "memory.pt").root
        // Compared by description: NaN ≠ NaN as a Double, and -0.0 == 0.0.
        #expect(String(reflecting: back) == String(reflecting: root))
        if case .list(let items) = back, case .float(let x)? = items.first, case .float(let y) = value {
            #expect(x.bitPattern == y.bitPattern)
        }
    }

    @Test("Dicts keep their flavour, keys, order and attributes")
    func dicts() throws {
        var inner = PickleDict()
        inner[.int(0)] = .string("int key")
        inner[.bool(true)] = .none
        inner[.tuple([.int(1), .string("x")])] = .float(1.5)
        var metadata = PickleDict()
        metadata["version"] = .int(1)
        var attributes = PickleDict()
        attributes["_metadata"] = .dict(metadata)
        var root = PickleDict()
        root["plain"] = .dict(inner)
        root["ordered"] = .orderedDict(inner, attributes: attributes)
        root["counter"] = .counter(inner)
        root["big"] = .dict(PickleDict((0..<2500).map { (PickleValue.int($0), PickleValue.int(-$0)) }))
        var sink = ByteArraySink()
        try TorchFileWriter.write(.dict(root), storages: StorageBytes(), toFile: "memory.pt", sink: &sink)
        #expect(try TorchFile(bytes: sink.bytes, file: "memory.pt").root == .dict(root))
    }

    @Test("Tensors keep dtype, layout, requires_grad, Parameter-ness and sharing")
    func tensors() throws {
        let shared = StorageReference(key: "w", dtype: .float32, location: "cpu", count: 6)
        let half = StorageReference(key: "h", dtype: .bfloat16, location: "cuda:0", count: 2)
        let untyped = StorageReference(key: "u", dtype: .uint8, location: "cpu", count: 3, isUntyped: true)
        let matrix = TensorReference(storage: shared, storageOffset: 0, shape: [2, 3], strides: [3, 1])
        let transposed = TensorReference(storage: shared, storageOffset: 0, shape: [3, 2], strides: [1, 3], requiresGrad: true)
        let tail = TensorReference(storage: shared, storageOffset: 4, shape: [2], strides: [1], isParameter: true)
        let frozen = TensorReference(storage: half, storageOffset: 1, shape: [], strides: [], requiresGrad: false, isParameter: true)
        let root = PickleValue.list([.tensor(matrix), .tensor(transposed), .tensor(tail), .tensor(frozen), .storage(untyped)])
        let bytes = StorageBytes(["w": Array(0..<24), "h": [1, 2, 3, 4], "u": [9, 8, 7]])
        var sink = ByteArraySink()
        try TorchFileWriter.write(root, storages: bytes, toFile: "memory.pt", sink: &sink)
        let file = try TorchFile(bytes: sink.bytes, file: "memory.pt")
        guard case .list(let items) = file.root, items.count == 5,
            case .tensor(let a) = items[0], case .tensor(let b) = items[1], case .tensor(let c) = items[2],
            case .tensor(let d) = items[3], case .storage(let e) = items[4]
        else {
            Issue.record("read back \(file.root)")
            return
        }
        #expect(a.storage == b.storage && b.storage == c.storage && a.storage.key == "0")
        #expect(d.storage.key == "1" && d.storage.location == "cuda:0" && d.dtype == .bfloat16)
        #expect(e.isUntyped && e.key == "2")
        #expect(b.strides == [1, 3] && b.requiresGrad && !b.isParameter)
        #expect(c.storageOffset == 4 && c.isParameter && !c.requiresGrad)
        #expect(d.isParameter && !d.requiresGrad && d.shape == [] && d.storageOffset == 1)
        #expect(file.withBytes(of: a.storage) { Array($0) } == Array(0..<24))
        #expect(file.withBytes(of: e) { Array($0) } == [9, 8, 7])
    }

    @Test("A _rebuild_tensor_v3 tensor is pickled as torch.save pickles it (but for the memo)")
    func v3Pickle() throws {
        // torch.save(torch.tensor([1, 65535], dtype=torch.uint16)): data.pkl without its BINPUTs.
        let torch =
            "800263746f7263682e5f7574696c730a5f72656275696c645f74656e736f725f76330a2828580700000073746f7261676563746f7263682e"
            + "73746f726167650a556e747970656453746f726167650a58010000003058030000006370754b0474514b004b02854b01858963636f6c6c"
            + "656374696f6e730a4f726465726564446963740a295263746f7263680a75696e7431360a74522e"
        // A uint16 tensor over a typed storage of its own dtype (as a program makes one) is saved untyped too.
        for storage in [
            StorageReference(key: "x", dtype: .uint8, location: "cpu", count: 4, isUntyped: true),
            StorageReference(key: "x", dtype: .uint16, location: "cpu", count: 2),
        ] {
            var pickler = Pickler()
            try pickler.save(.tensor(TensorReference(storage: storage, dtype: .uint16, storageOffset: 0, shape: [2], strides: [1])))
            #expect(pickler.bytes.map(hex).joined() == torch)
        }
    }

    @Test("Tensors of every v3 dtype, of several dtypes over one storage, write and read back")
    func v3Tensors() throws {
        let bytes = StorageBytes(["u": Array(0..<16), "f": Array(0..<8)])
        let untyped = StorageReference(key: "u", dtype: .uint8, location: "cpu", count: 16, isUntyped: true)
        let typed = StorageReference(key: "f", dtype: .float32, location: "cpu", count: 2)
        var items: [PickleValue] = TorchDType.allCases.filter(\.isSavedUntyped).map { dtype in
            .tensor(TensorReference(storage: untyped, dtype: dtype, storageOffset: 1, shape: [1], strides: [1]))
        }
        // A uint16 view of a FloatStorage (torch.load accepts a typed storage in v3) and its float32 owner.
        items.append(.tensor(TensorReference(storage: typed, dtype: .uint16, storageOffset: 1, shape: [3], strides: [1])))
        items.append(.tensor(TensorReference(storage: typed, storageOffset: 0, shape: [2], strides: [1])))
        items.append(
            .tensor(TensorReference(storage: untyped, dtype: .float8_e4m3fn, storageOffset: 0, shape: [], strides: [], requiresGrad: true, isParameter: true)))
        var sink = ByteArraySink()
        try TorchFileWriter.write(.list(items), storages: bytes, toFile: "memory.pt", sink: &sink)
        let file = try TorchFile(bytes: sink.bytes, file: "memory.pt")
        #expect(file.root == .list(items.map { item in
            guard case .tensor(var tensor) = item else { return item }
            tensor.storage.key = tensor.storage == untyped ? "0" : "1"
            return .tensor(tensor)
        }))
        #expect(file.storages.count == 2)
    }

    @Test("What cannot be written is refused, naming the file, before anything is written")
    func refusals() throws {
        let storage = StorageReference(key: "s", dtype: .float32, location: "cpu", count: 2)
        let tensor = PickleValue.tensor(TensorReference(storage: storage, storageOffset: 0, shape: [2], strides: [1]))
        let wide = StorageReference(key: "s", dtype: .float32, location: "cpu", count: 3)
        let untyped = StorageReference(key: "u", dtype: .uint8, location: "cpu", count: 2, isUntyped: true)
        let cases: [(PickleValue, StorageBytes, String)] = [
            (tensor, StorageBytes(), "the source has no bytes for it"),
            (tensor, StorageBytes(["s": [1, 2, 3]]), "need 8 bytes, the source has 3"),
            (
                .list([tensor, .storage(wide)]), StorageBytes(["s": Array(repeating: 0, count: 8)]),
                "referenced as torch.float32 × 3 and as torch.float32 × 2"
            ),
            (
                .storage(StorageReference(key: "q", dtype: .uint16, location: "cpu", count: 1)), StorageBytes(["q": [0, 0]]),
                "torch.uint16 has no typed storage class"
            ),
            (
                .tensor(TensorReference(storage: untyped, dtype: .float8_e4m3fn, storageOffset: 0, shape: [2], strides: [1], requiresGrad: true)),
                StorageBytes(["u": [0, 0]]), "torch.load cannot rebuild one with _rebuild_tensor_v3"
            ),
            (
                .tensor(TensorReference(storage: untyped, dtype: .uint16, storageOffset: 0, shape: [1], strides: [1], requiresGrad: true, isParameter: true)),
                StorageBytes(["u": [0, 0]]), "a torch.uint16 tensor cannot require grad"
            ),
            ((0..<300).reduce(PickleValue.none) { inner, _ in .list([inner]) }, StorageBytes(), "nests deeper than 256"),
        ]
        for (root, storages, message) in cases {
            var sink = ByteArraySink()
            #expect {
                try TorchFileWriter.write(root, storages: storages, toFile: "out.pt", sink: &sink)
            } throws: { error in
                "\(error)".hasPrefix("out.pt: ") && "\(error)".contains(message)
            }
            #expect(sink.bytes.isEmpty)
        }
    }
}
