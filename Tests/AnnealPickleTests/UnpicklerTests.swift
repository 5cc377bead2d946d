import Testing

@testable import AnnealPickle

/// A pickle from its pieces: opcodes as bytes, strings as BINUNICODE.
func pickle(_ parts: [Any]) -> [UInt8] {
    var bytes: [UInt8] = [0x80, 0x02]
    for part in parts {
        switch part {
        case let text as String:
            let utf8 = Array(text.utf8)
            bytes += [0x58] + withUnsafeBytes(of: UInt32(utf8.count).littleEndian, Array.init) + utf8
        case let raw as [UInt8]: bytes += raw
        case let raw as [Int]: bytes += raw.map { UInt8($0) }
        case let byte as UInt8: bytes.append(byte)
        case let byte as Int: bytes.append(UInt8(byte))
        default: fatalError("pickle part \(part)")
        }
    }
    return bytes + [0x2E]
}

func global(_ module: String, _ name: String) -> [UInt8] { [0x63] + Array("\(module)\n\(name)\n".utf8) }

func load(_ bytes: [UInt8], limits: PickleLimits = PickleLimits()) throws(TorchFileError) -> PickleValue {
    try TorchFile.unpickle(bytes, file: "test.pkl", limits: limits)
}

func problem(_ bytes: [UInt8], limits: PickleLimits = PickleLimits()) -> String {
    do {
        let value = try load(bytes, limits: limits)
        return "read \(value)"
    } catch {
        return error.description
    }
}

@Suite("The weights_only unpickler")
struct UnpicklerTests {
    @Test(
        "LONG1 is little-endian two's complement of any size",
        arguments: [
            ([], "0"), ([0xFF], "-1"), ([0x00, 0x80], "-32768"), ([0xFF, 0x7F], "32767"),
            ([0, 0, 0, 0, 0, 0, 0, 0x80], "-9223372036854775808"), ([0, 0, 0, 0, 0, 0, 0, 0, 1], "18446744073709551616"),
            ([0, 0, 0, 0, 0, 0, 0, 0, 0xC0], "-1180591620717411303424"),
            ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00], "18446744073709551615"),
            ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80], "-803469022129495137770981046170581301261101496891396417650688"),
            ([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF], "-1606938044258990275541962092341162602522202993782792835301375"),
        ] as [([UInt8], String)])
    func long1(bytes: [UInt8], expected: String) throws {
        let value = try load(pickle([[0x8A, UInt8(bytes.count)] + bytes]))
        switch value {
        case .int(let i): #expect(String(i) == expected)
        case .bigInt(let i):
            #expect(i.description == expected)
            #expect(i.int == nil, "a bigInt that fits 64 bits")
        default: Issue.record("\(value)")
        }
    }

    /// Every opcode of pickle protocols 0 to 5 that torch 2.13's weights_only unpickler does not run.
    @Test(
        "Opcodes outside torch's list are refused",
        arguments: [
            0x8C, 0x95, 0x94, 0x42, 0x43, 0x8E, 0x96, 0x97, 0x98, 0x69, 0x6F, 0x82, 0x83, 0x84, 0x90, 0x91, 0x92, 0x93,
            0x49, 0x4C, 0x46, 0x53, 0x56, 0x50, 0x67, 0x70, 0x64, 0x6C, 0x30, 0x31, 0x32, 0x54, 0x8B,
        ] as [UInt8])
    func refusedOpcodes(opcode: UInt8) {
        #expect(problem(pickle([opcode])).contains("opcode 0x\(String(opcode, radix: 16)) is not one"))
    }

    @Test("SETITEM and SETITEMS take dict, OrderedDict and Counter, nothing else")
    func setItem() throws {
        let ordered = try load(pickle([global("collections", "OrderedDict"), [0x29, 0x52], "a", [0x4B, 1], [0x73]]))
        #expect(ordered["a"] == .int(1))
        #expect(ordered.pythonTypeName == "collections.OrderedDict")
        let counter = try load(pickle([global("collections", "Counter"), [0x29, 0x52, 0x28], "x", [0x4B, 3, 0x75]]))
        #expect(counter == .counter({ var d = PickleDict(); d["x"] = .int(3); return d }()))
        #expect(problem(pickle([[0x5D], "a", "b", [0x73]])).contains("SETITEM on a list"))
        #expect(problem(pickle([[0x29, 0x28], "a", "b", [0x75]])).contains("SETITEMS on a tuple"))
        #expect(problem(pickle([[0x7D, 0x5D, 0x4B, 1, 0x73]])).contains("unhashable type: 'list'"))
    }

    @Test("APPEND and APPENDS take lists only")
    func append() throws {
        #expect(try load(pickle([[0x5D, 0x4B, 1, 0x61, 0x28, 0x4B, 2, 0x4B, 3, 0x65]])) == .list([.int(1), .int(2), .int(3)]))
        #expect(problem(pickle([[0x8F, 0x4B, 1, 0x61]])).contains("APPEND to a set"))
        #expect(problem(pickle([[0x29, 0x28, 0x65]])).contains("APPENDS to a tuple"))
    }

    @Test("Globals outside the allowlist are refused by module.qualname, sys is blocked")
    func globals() throws {
        #expect(problem(pickle([global("os", "system")])).contains("global os.system is not allowed"))
        #expect(problem(pickle([global("builtins", "eval")])).contains("global builtins.eval is not allowed"))
        #expect(problem(pickle([global("torch", "load")])).contains("global torch.load is not allowed"))
        #expect(problem(pickle([global("sys", "modules")])).contains("its module sys is blocked"))
        #expect(problem(pickle([global("collections", "OrderedDict"), [0x29, 0x52]])).hasPrefix("test.pkl: data.pkl at byte") == false)
        // Python 2's module name for builtins, as pickle's compatibility mapping reads it.
        let set = try load(pickle([global("__builtin__", "set"), [0x5D, 0x28, 0x4B, 2, 0x4B, 1, 0x4B, 2, 0x65, 0x85, 0x52]]))
        #expect(set == .set([.int(2), .int(1)]))
    }

    @Test("REDUCE and NEWOBJ only on callables Anneal models; BUILD only on OrderedDict")
    func callables() throws {
        #expect(problem(pickle([global("torch", "float32"), [0x29, 0x52]])).contains("REDUCE torch.float32"))
        #expect(problem(pickle([[0x5D, 0x29, 0x52]])).contains("REDUCE on a list"))
        #expect(problem(pickle([global("torch._utils", "_rebuild_qtensor"), [0x29, 0x52]])).contains("Anneal does not read"))
        #expect(problem(pickle([[0x7D, 0x7D, 0x62]])).contains("BUILD on a dict"))
        let built = try load(pickle([global("collections", "OrderedDict"), [0x29, 0x52, 0x7D], "_metadata", [0x4E, 0x73, 0x62]]))
        guard case .orderedDict(_, let attributes) = built else {
            Issue.record("\(built)")
            return
        }
        #expect(attributes["_metadata"] == PickleValue.none)
        let bytes = try load(pickle([global("_codecs", "encode"), "\u{00FF}a", "latin1", [0x86, 0x52]]))
        #expect(bytes == .bytes([0xFF, 0x61]))
        let complex = try load(pickle([global("builtins", "complex"), [0x4B, 1, 0x4B, 2, 0x86, 0x52]]))
        #expect(complex == .complex(real: 1, imaginary: 2))
        let device = try load(pickle([global("torch", "device"), "cuda:1", [0x85, 0x52]]))
        #expect(device == .device(type: "cuda", index: 1))
        #expect(try load(pickle([global("torch", "bfloat16")])) == .dtype(.bfloat16))
    }

    @Test("Persistent ids are ('storage', type, key, location, numel) only")
    func persistentIds() throws {
        let id: [Any] = [[0x28], "storage", global("torch", "FloatStorage"), "0", "cpu", [0x4B, 6, 0x74, 0x51]]
        #expect(try load(pickle(id)) == .storage(StorageReference(key: "0", dtype: .float32, location: "cpu", count: 6)))
        #expect(problem(pickle([[0x4B, 1, 0x51]])).contains("persistent id is a int"))
        #expect(problem(pickle(["module", [0x85, 0x51]])).contains("only persistent_load of storage"))
        let negative: [Any] = [[0x28], "storage", global("torch", "FloatStorage"), "0", "cpu", [0x4A, 0xFF, 0xFF, 0xFF, 0xFF, 0x74, 0x51]]
        #expect(problem(pickle(negative)).contains("negative numel"))
        let dtype: [Any] = [[0x28], "storage", global("torch", "float32"), "0", "cpu", [0x4B, 1, 0x74, 0x51]]
        #expect(problem(pickle(dtype)).contains("torch.float32 is not a storage type"))
    }

    @Test(
        "Tensor views are checked against their storage",
        arguments: [
            (0, [3], [1], nil), (3, [3], [1], nil), (4, [3], [1], "reach element 6"), (0, [2, 3], [3, 1], nil),
            (0, [3, 2], [1, 3], nil), (0, [3, 2], [1, 4], "reach element 6"), (-1, [1], [1], "negative storage offset"), (0, [-1], [1], "negative size"),
            (0, [2], [-1], "negative stride"), (0, [2], [1, 1], "dimensions"), (100, [0], [1], nil),
            (0, [Int.max, 2], [2, 1], "overflow"), (0, [3], [Int.max], "overflow"),
        ] as [(Int, [Int], [Int], String?)])
    func views(offset: Int, shape: [Int], strides: [Int], failure: String?) {
        let storage = StorageReference(key: "0", dtype: .float32, location: "cpu", count: 6)
        let tensor = TensorReference(storage: storage, storageOffset: offset, shape: shape, strides: strides)
        switch Unpickler.validate(tensor) {
        case .success: #expect(failure == nil)
        case .failure(let error):
            #expect(failure != nil && error.description.contains(failure!), "\(error)")
        }
    }

    @Test("Limits bound memo, depth, values and strings")
    func limits() {
        var limits = PickleLimits()
        limits.maxMemoEntries = 16
        #expect(problem(pickle([[0x4E, 0x72, 0x20, 0, 0, 0]]), limits: limits).contains("memo index 32"))
        limits.maxDepth = 8
        #expect(problem(pickle([[UInt8](repeating: 0x5D, count: 12) + [UInt8](repeating: 0x61, count: 11)]), limits: limits).contains("nested deeper than 8"))
        limits.maxDepth = 256
        limits.maxValues = 1000
        let bomb: [UInt8] = [0x5D, 0x71, 0] + Array([[UInt8]](repeating: [0x68, 0, 0x68, 0, 0x86, 0x71, 0], count: 20).joined())
        #expect(problem(pickle([bomb]), limits: limits).contains("more than 1000 values"))
        limits.maxStringBytes = 4
        #expect(problem(pickle(["hello"]), limits: limits).contains("a string of 5 bytes"))
        // A string claiming more bytes than the pickle has.
        #expect(problem([0x80, 2, 0x58, 0xFF, 0xFF, 0, 0, 0x61, 0x2E]).contains("ends inside an argument"))
        #expect(problem([0x80, 2, 0x4E]).contains("ends before its STOP"))
        #expect(problem([0x80, 2, 0x30]).contains("opcode 0x30"))
        #expect(problem([0x80, 2, 0x2E]).contains("the stack is empty"))
        #expect(problem([0x80, 2, 0x74, 0x2E]).contains("no MARK"))
    }

    @Test("A dict keeps insertion order; an existing key keeps its place")
    func dictOrder() throws {
        let value = try load(pickle([[0x7D, 0x28], "b", [0x4B, 1], "a", [0x4B, 2], "b", [0x4B, 3, 0x75]]))
        guard case .dict(let d) = value else {
            Issue.record("\(value)")
            return
        }
        #expect(d.keys == [.string("b"), .string("a")])
        #expect(d.values == [.int(3), .int(2)])
    }

    /// `_rebuild_tensor_v3(storage, offset, size, stride, requires_grad, hooks, dtype[, metadata])` over
    /// an untyped storage of 12 bytes, its arguments given as pickle pieces.
    func v3(
        offset: [UInt8] = [0x4B, 0], size: [UInt8] = [0x4B, 6, 0x85], stride: [UInt8] = [0x4B, 1, 0x85],
        requiresGrad: [UInt8] = [0x89], dtype: String = "uint16", extra: [UInt8] = []
    ) -> [UInt8] {
        pickle([
            global("torch._utils", "_rebuild_tensor_v3"), [0x28, 0x28], "storage", global("torch.storage", "UntypedStorage"),
            "0", "cpu", [0x4B, 12, 0x74, 0x51], offset, size, stride, requiresGrad, [0x4E], global("torch", dtype), extra,
            [0x74, 0x52],
        ])
    }

    @Test("_rebuild_tensor_v3: the arguments torch accepts, and what it refuses")
    func rebuildTensorV3() throws {
        guard case .tensor(let tensor) = try load(v3(requiresGrad: [0x4E], extra: [0x29])) else {
            Issue.record("not a tensor")
            return
        }
        #expect(tensor.dtype == .uint16 && tensor.storage.dtype == .uint8 && tensor.storage.byteCount == 12)
        #expect(tensor.shape == [6] && tensor.strides == [1] && !tensor.requiresGrad && tensor.isRebuiltByV3)
        // Falsy metadata is ignored (`if metadata:`), stride None is row-major.
        for metadata: [UInt8] in [[0x4E], [0x7D], [0x5D], [0x4B, 0], [0x89]] {
            #expect(problem(v3(extra: metadata)).hasPrefix("read "), "\(metadata)")
        }
        guard case .tensor(let rows) = try load(v3(size: [0x4B, 2, 0x4B, 3, 0x86], stride: [0x4E])) else {
            Issue.record("not a tensor")
            return
        }
        #expect(rows.strides == [3, 1])
        // A uint32 over 12 bytes at offset 2 ends on the last byte; at 3 it is past it.
        #expect(problem(v3(offset: [0x4B, 2], size: [0x4B, 1, 0x85], dtype: "uint32")).hasPrefix("read "))
        #expect(problem(v3(offset: [0x4B, 3], size: [0x4B, 1, 0x85], dtype: "uint32")).contains("reach byte 16 of a storage of 12 bytes"))
        #expect(problem(v3(dtype: "qint8")).contains("torch.qint8 tensor without its quantizer is not supported"))
        #expect(problem(v3(offset: [0x88])).contains("storage_offset is a bool, not an int"))
        #expect(problem(v3(requiresGrad: [0x4B, 1])).contains("requires_grad is a int, not a bool"))
        #expect(problem(v3(extra: [0x4B, 1])).contains("the metadata is a int, not a dict"))
        #expect(problem(v3(extra: [0x4E, 0x4E])).contains("takes 7 or 8 arguments, not 9"))
        // A sub-byte dtype is one byte an element, as in torch.
        #expect(problem(v3(size: [0x4B, 12, 0x85], dtype: "uint4")).hasPrefix("read "))
    }

    @Test("_rebuild_tensor_v2 and Parameter: requires_grad only for floating point and complex tensors")
    func requiresGrad() {
        func v2(_ storage: String, requiresGrad: UInt8) -> [Any] {
            [global("torch._utils", "_rebuild_tensor_v2"), [0x28, 0x28], "storage", global("torch", storage), "0", "cpu",
             [0x4B, 2, 0x74, 0x51, 0x4B, 0, 0x4B, 2, 0x85, 0x4B, 1, 0x85, requiresGrad, 0x4E, 0x74, 0x52] as [UInt8]]
        }
        #expect(problem(pickle(v2("FloatStorage", requiresGrad: 0x88))).hasPrefix("read "))
        #expect(problem(pickle(v2("LongStorage", requiresGrad: 0x88))).contains("a torch.int64 tensor cannot require grad"))
        let parameter: [Any] =
            [global("torch._utils", "_rebuild_parameter"), [0x28] as [UInt8]] + v2("IntStorage", requiresGrad: 0x89)
            + [[0x88, 0x4E, 0x74, 0x52] as [UInt8]]
        #expect(problem(pickle(parameter)).contains("a torch.int32 tensor cannot require grad"))
        #expect(problem(v3(requiresGrad: [0x88], dtype: "float8_e5m2")).contains("torch cannot rebuild it"))
    }
}
