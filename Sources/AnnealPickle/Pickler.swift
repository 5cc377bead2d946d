/// Writes a ``PickleValue`` as torch.save pickles it (protocol 2, the
/// opcodes and globals Python's pickler and torch's `persistent_id` emit),
/// so that `torch.load(weights_only=True)` rebuilds the same Python types.
///
/// Storages get torch's keys, `"0"`, `"1"`, ... in order of first
/// reference; every tensor that referenced one storage still references
/// one (views stay views). ``storages`` lists them in that order, under
/// the key they had in the value (``StorageReference/key``), for the
/// writer to copy their bytes.
///
/// The pickle is not byte-for-byte Python's: Python memoizes every object
/// (BINPUT) and refers back to repeats (BINGET); the value model has no
/// object identity to keep, so each value is written in full.
///
/// ```swift
/// var pickler = Pickler()
/// try pickler.save(.dict(["lr": .float(0.1)]))
/// pickler.bytes   // 80 02 7d 28 58 02 00 00 00 6c 72 47 3f b9 ... 75 2e
/// ```
struct Pickler {
    typealias Problem = TorchFileError.Problem

    private(set) var bytes: [UInt8] = [0x80, 2]  // PROTO 2
    /// The storages in order of first reference, with the keys they had.
    private(set) var storages: [StorageReference] = []
    /// Source key → written key.
    private var storageKeys: [String: String] = [:]
    private let maxDepth: Int

    init(maxDepth: Int = PickleLimits().maxDepth) { self.maxDepth = maxDepth }

    /// Pickles `root` and the STOP opcode.
    mutating func save(_ root: PickleValue) throws(Problem) {
        try save(root, depth: 0)
        bytes.append(0x2E)  // STOP
    }

    // MARK: Values

    private mutating func save(_ value: PickleValue, depth: Int) throws(Problem) {
        guard depth <= maxDepth else {
            throw .limit("the value nests deeper than \(maxDepth) containers")
        }
        let inner = depth + 1
        switch value {
        case .none: bytes.append(0x4E)
        case .bool(let flag): bytes.append(flag ? 0x88 : 0x89)
        case .int(let number): try saveInt(number)
        case .bigInt(let number): try saveLong(number)
        case .float(let number): saveFloat(number)
        case .complex(let real, let imaginary):
            global("__builtin__", "complex")
            saveFloat(real)
            saveFloat(imaginary)
            bytes.append(0x86)  // TUPLE2
            bytes.append(0x52)  // REDUCE
        case .string(let text): saveString(text)
        case .bytes(let data): saveBytes(data)
        case .bytearray(let data):
            global("__builtin__", "bytearray")
            saveBytes(data)
            bytes.append(0x85)  // TUPLE1
            bytes.append(0x52)
        case .tuple(let items): try saveTuple(items, depth: inner)
        case .list(let items):
            bytes.append(0x5D)  // EMPTY_LIST
            try saveBatches(items.lazy.map { [$0] }, count: items.count, single: 0x61, many: 0x65, depth: inner)
        case .dict(let dict):
            bytes.append(0x7D)  // EMPTY_DICT
            try saveItems(dict, depth: inner)
        case .orderedDict(let dict, let attributes):
            // OrderedDict.__reduce__: (OrderedDict, (), vars(self) or None, None, items)
            global("collections", "OrderedDict")
            bytes.append(0x29)  // EMPTY_TUPLE
            bytes.append(0x52)
            try saveItems(dict, depth: inner)
            if !attributes.isEmpty {
                bytes.append(0x7D)
                try saveItems(attributes, depth: inner)
                bytes.append(0x62)  // BUILD
            }
        case .counter(let dict):
            // Counter.__reduce__: (Counter, (dict(self),))
            global("collections", "Counter")
            bytes.append(0x7D)
            try saveItems(dict, depth: inner + 1)
            bytes.append(0x85)
            bytes.append(0x52)
        case .set(let items):
            // set.__reduce_ex__(2): (set, (list(self),))
            global("__builtin__", "set")
            try save(.list(items), depth: inner)
            bytes.append(0x85)
            bytes.append(0x52)
        case .size(let dimensions):
            global("torch", "Size")
            try saveTuple(dimensions.map(PickleValue.int), depth: inner)
            bytes.append(0x85)
            bytes.append(0x52)
        case .device(let type, let index):
            global("torch", "device")
            saveString(type)
            if let index {
                try saveInt(index)
                bytes.append(0x86)
            } else {
                bytes.append(0x85)
            }
            bytes.append(0x52)
        case .dtype(let dtype): global("torch", dtype.rawValue)
        case .tensor(let tensor): try saveTensor(tensor)
        case .storage(let storage): try savePersistentID(storage)
        }
    }

    private mutating func saveTuple(_ items: [PickleValue], depth: Int) throws(Problem) {
        switch items.count {
        case 0: bytes.append(0x29)
        case 1...3:
            for item in items { try save(item, depth: depth) }
            bytes.append([0x85, 0x86, 0x87][items.count - 1])
        default:
            bytes.append(0x28)  // MARK
            for item in items { try save(item, depth: depth) }
            bytes.append(0x74)  // TUPLE
        }
    }

    private mutating func saveItems(_ dict: PickleDict, depth: Int) throws(Problem) {
        try saveBatches(
            dict.entries.lazy.map { [$0.0, $0.1] }, count: dict.count, single: 0x73, many: 0x75, depth: depth)
    }

    /// Python's `_batch_appends`/`_batch_setitems`: batches of 1,000, a
    /// batch of one without a MARK (APPEND, SETITEM), longer ones between
    /// MARK and APPENDS/SETITEMS.
    private mutating func saveBatches(
        _ groups: some Sequence<[PickleValue]>, count: Int, single: UInt8, many: UInt8, depth: Int
    ) throws(Problem) {
        var iterator = groups.makeIterator()
        var remaining = count
        while remaining > 0 {
            let batch = min(remaining, 1000)
            if batch > 1 { bytes.append(0x28) }
            for _ in 0..<batch {
                for value in iterator.next()! { try save(value, depth: depth) }
            }
            bytes.append(batch > 1 ? many : single)
            remaining -= batch
        }
    }

    // MARK: Scalars

    /// BININT1, BININT2 or BININT as Python picks them, else LONG1.
    private mutating func saveInt(_ number: Int) throws(Problem) {
        if (0...0xFF).contains(number) {
            bytes.append(0x4B)
            bytes.append(UInt8(number))
        } else if (0...0xFFFF).contains(number) {
            bytes.append(0x4D)
            append(littleEndian: UInt64(number), width: 2)
        } else if let small = Int32(exactly: number) {
            bytes.append(0x4A)
            append(littleEndian: UInt64(UInt32(bitPattern: small)), width: 4)
        } else {
            try saveLong(PythonInt(number))
        }
    }

    /// LONG1: the shortest little-endian two's complement (Python's `encode_long`).
    private mutating func saveLong(_ number: PythonInt) throws(Problem) {
        // torch's weights_only unpickler has LONG1 only (at most 255 bytes), no LONG4.
        guard number.twosComplement.count <= 255 else {
            throw .limit("an int of \(number.twosComplement.count) bytes (LONG1, the only long torch.load reads, holds 255)")
        }
        bytes.append(0x8A)
        bytes.append(UInt8(number.twosComplement.count))
        bytes.append(contentsOf: number.twosComplement)
    }

    /// BINFLOAT: the double's bits, big-endian (NaN payloads and -0.0 kept).
    private mutating func saveFloat(_ number: Double) {
        bytes.append(0x47)
        let bits = number.bitPattern
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> shift)) }
    }

    /// BINUNICODE: a 4-byte length and UTF-8.
    private mutating func saveString(_ text: String) {
        let utf8 = Array(text.utf8)
        bytes.append(0x58)
        append(littleEndian: UInt64(utf8.count), width: 4)
        bytes.append(contentsOf: utf8)
    }

    /// `bytes` in protocol 2: `_codecs.encode(latin1_text, "latin1")`. Python
    /// pickles an empty `bytes` as `bytes()`, which torch's weights_only
    /// unpickler refuses; `_codecs.encode("", "latin1")` makes the same value.
    private mutating func saveBytes(_ data: [UInt8]) {
        global("_codecs", "encode")
        saveString(String(String.UnicodeScalarView(data.map { Unicode.Scalar($0) })))
        saveString("latin1")
        bytes.append(0x86)
        bytes.append(0x52)
    }

    private mutating func global(_ module: String, _ name: String) {
        bytes.append(0x63)  // GLOBAL
        bytes.append(contentsOf: Array(module.utf8) + [0x0A] + Array(name.utf8) + [0x0A])
    }

    private mutating func append(littleEndian value: UInt64, width: Int) {
        for index in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    // MARK: Tensors

    /// `Tensor.__reduce_ex__`'s plain-tensor path:
    /// `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())`, or for a
    /// dtype with no typed storage (``TorchDType/isSavedUntyped``) or not its storage's,
    /// `_rebuild_tensor_v3(storage, offset, size, stride, requires_grad, OrderedDict(), dtype)`
    /// over the storage (an `UntypedStorage` of its bytes, as torch.save writes it);
    /// a Parameter wraps it in `_rebuild_parameter(data, requires_grad, OrderedDict())`,
    /// its data never requiring grad.
    private mutating func saveTensor(_ tensor: TensorReference) throws(Problem) {
        guard tensor.shape.count == tensor.strides.count else {
            throw .storage(
                key: tensor.storage.key,
                reason: "a tensor of size \(tensor.shape) has \(tensor.strides.count) strides")
        }
        // What torch.load would refuse is not written.
        guard !tensor.requiresGrad || tensor.dtype.canRequireGrad else {
            throw .storage(
                key: tensor.storage.key,
                reason: "a \(tensor.dtype.torchName) tensor cannot require grad (only floating point and complex tensors can)")
        }
        let v3 = tensor.isRebuiltByV3
        if v3, tensor.requiresGrad, !tensor.isParameter {
            throw .storage(
                key: tensor.storage.key,
                reason:
                    "a \(tensor.dtype.torchName) tensor that requires grad (torch.load cannot rebuild one with _rebuild_tensor_v3)"
            )
        }
        if tensor.isParameter { global("torch._utils", "_rebuild_parameter") }
        global("torch._utils", v3 ? "_rebuild_tensor_v3" : "_rebuild_tensor_v2")
        bytes.append(0x28)
        try savePersistentID(tensor.storage, untypedIfNeeded: v3)
        try saveInt(tensor.storageOffset)
        try saveTuple(tensor.shape.map(PickleValue.int), depth: 0)
        try saveTuple(tensor.strides.map(PickleValue.int), depth: 0)
        bytes.append(!tensor.isParameter && tensor.requiresGrad ? 0x88 : 0x89)
        emptyOrderedDict()
        if v3 { global("torch", tensor.dtype.rawValue) }
        bytes.append(0x74)
        bytes.append(0x52)
        if tensor.isParameter {
            bytes.append(tensor.requiresGrad ? 0x88 : 0x89)
            emptyOrderedDict()
            bytes.append(0x87)
            bytes.append(0x52)
        }
    }

    private mutating func emptyOrderedDict() {
        global("collections", "OrderedDict")
        bytes.append(0x29)
        bytes.append(0x52)
    }

    /// BINPERSID `('storage', torch.<Type>Storage, key, location, numel)`, or
    /// `('storage', torch.storage.UntypedStorage, key, location, nbytes)`
    /// for an untyped storage, and (`untypedIfNeeded`, a v3 tensor's) for a
    /// storage of a dtype that has no typed storage class.
    private mutating func savePersistentID(_ storage: StorageReference, untypedIfNeeded: Bool = false) throws(Problem) {
        let key: String
        if let known = storageKeys[storage.key] {
            key = known
            guard storages[Int(known)!] == storage else {
                throw .storage(
                    key: storage.key,
                    reason: "referenced as \(storage.dtype.torchName) × \(storage.count) and as \(storages[Int(known)!].dtype.torchName) × \(storages[Int(known)!].count)"
                )
            }
        } else {
            key = String(storages.count)
            storageKeys[storage.key] = key
            storages.append(storage)
        }
        bytes.append(0x28)
        saveString("storage")
        var numel = storage.count
        if storage.isUntyped {
            global("torch.storage", "UntypedStorage")
        } else if let typeName = storage.dtype.storageTypeName {
            global("torch", typeName)
        } else if untypedIfNeeded {
            global("torch.storage", "UntypedStorage")
            numel = storage.byteCount
        } else {
            throw .storage(
                key: storage.key,
                reason:
                    "\(storage.dtype.torchName) has no typed storage class (torch saves such storages only inside a tensor, with _rebuild_tensor_v3 over an UntypedStorage)"
            )
        }
        saveString(key)
        saveString(storage.location)
        try saveInt(numel)
        bytes.append(0x74)
        bytes.append(0x51)  // BINPERSID
    }
}
