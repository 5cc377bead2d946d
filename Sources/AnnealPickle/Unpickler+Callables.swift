/// What REDUCE, NEWOBJ, BUILD and BINPERSID do with the allowed globals:
/// each is modelled by the value it builds, never called.
extension Unpickler {
    /// REDUCE (`callable(*arguments)`) or NEWOBJ (`cls.__new__(cls, *arguments)`).
    mutating func construct(_ callable: PickleItem, arguments: PickleItem, newObject: Bool) throws(Problem)
        -> PickleItem
    {
        let opcode = newObject ? "NEWOBJ" : "REDUCE"
        guard case .global(let global) = callable else {
            throw fail("\(opcode) on a \(callable.typeName): only allowed globals can be called")
        }
        let args = try iterate(arguments, name: "\(opcode) \(global.name)'s arguments")
        func arity(_ allowed: ClosedRange<Int>) throws(Problem) {
            guard allowed.contains(args.count) else {
                throw fail("\(global.name) takes \(allowed) arguments, not \(args.count)")
            }
        }
        switch global.kind {
        case .orderedDict, .counter:
            let dict = makeDict(global.kind == .orderedDict ? .orderedDict : .counter)
            if newObject { return .dict(dict) }
            try arity(0...1)
            if let source = args.first { try fill(dict, from: source, name: global.name) }
            return .dict(dict)
        case .set:
            if newObject { return .value(.set([])) }
            try arity(0...1)
            guard let source = args.first else { return .value(.set([])) }
            var elements: [PickleValue] = []
            var seen = Swift.Set<PickleValue>()
            for element in try iterate(source, name: global.name) {
                let key = try hashableKey(element)
                if seen.insert(key).inserted { elements.append(key) }
            }
            return .value(.set(elements))
        case .bytearray:
            if newObject || args.isEmpty { return .value(.bytearray([])) }
            try arity(1...2)
            return .value(.bytearray(try encodedBytes(args, name: global.name)))
        case .codecsEncode:
            try arity(1...2)
            return .value(.bytes(try encodedBytes(args, name: global.name)))
        case .complex:
            try arity(0...2)
            let parts = try args.map { (item) throws(Problem) in try realNumber(item, name: global.name) }
            return .value(.complex(real: parts.first ?? 0, imaginary: parts.count > 1 ? parts[1] : 0))
        case .size:
            try arity(0...1)
            guard let source = args.first else { return .value(.size([])) }
            let dims = try iterate(source, name: global.name).map { (item) throws(Problem) in
                try integer(item, "torch.Size element")
            }
            return .value(.size(dims))
        case .device:
            return .value(try device(args))
        case .rebuildTensor, .rebuildTensorV2, .rebuildTensorV3:
            return .value(.tensor(try rebuildTensor(args, name: global.name, kind: global.kind)))
        case .rebuildParameter, .rebuildParameterWithState:
            try arity(global.kind == .rebuildParameter ? 3...3 : 4...4)
            guard case .value(.tensor(var tensor)) = args[0] else {
                throw fail("\(global.name): the data is a \(args[0].typeName), not a tensor")
            }
            tensor.requiresGrad = try boolean(args[1], "\(global.name) requires_grad")
            try checkRequiresGrad(tensor, name: global.name)
            tensor.isParameter = true
            if args.count == 4, !(try isEmptyState(args[3])) {
                throw fail("\(global.name): a Parameter with Python attributes is not supported by Anneal")
            }
            return .value(.tensor(tensor))
        case .parameter:
            // NEWOBJ torch.nn.Parameter(data, requires_grad=True)
            try arity(0...2)
            guard let data = args.first, case .value(.tensor(var tensor)) = data else {
                throw fail("torch.nn.parameter.Parameter needs a tensor")
            }
            tensor.requiresGrad = args.count > 1 ? try boolean(args[1], "Parameter requires_grad") : true
            try checkRequiresGrad(tensor, name: "torch.nn.parameter.Parameter")
            tensor.isParameter = true
            return .value(.tensor(tensor))
        case .rebuildFromTypeV2:
            // _rebuild_from_type_v2(func, new_type, args, state)
            try arity(4...4)
            guard case .global(let function) = args[0], case .global(let type) = args[1] else {
                throw fail("\(global.name): needs a rebuild function and a tensor type")
            }
            guard type.kind == .tensorType || type.kind == .parameter else {
                throw fail("\(global.name): tensor subclass \(type.name) is not supported by Anneal")
            }
            guard try isEmptyState(args[3]) else {
                throw fail("\(global.name): a tensor with Python attributes is not supported by Anneal")
            }
            let rebuilt = try construct(.global(function), arguments: args[2], newObject: false)
            guard case .value(.tensor(var tensor)) = rebuilt else {
                throw fail("\(global.name): \(function.name) did not make a tensor")
            }
            if type.kind == .parameter { tensor.isParameter = true }
            return .value(.tensor(tensor))
        case .dtype, .storageType, .untypedStorage, .tensorType, .unsupported:
            throw fail(
                "\(opcode) \(global.name): allowed by torch, but it makes a value Anneal does not read "
                    + "(sparse, quantized, meta, nested or subclassed tensors, legacy tensor types)")
        }
    }

    /// BUILD: only an OrderedDict takes attributes; others only an empty state.
    mutating func build(_ target: PickleItem, state: PickleItem) throws(Problem) {
        if case .dict(let dict) = target, dict.flavor == .orderedDict {
            guard case .dict(let attributes) = state else {
                throw fail("BUILD on an OrderedDict with a \(state.typeName) state (a dict is needed)")
            }
            let merged = dict.attributes ?? makeDict(.dict)
            for (key, value) in zip(attributes.keys, attributes.values) { merged.set(key, value) }
            try charge(attributes.count)
            dict.attributes = merged
            return
        }
        switch target {
        case .dict(let dict) where dict.flavor == .counter:
            if try isEmptyState(state) { return }
        case .value(.set), .value(.bytearray), .value(.complex), .value(.size), .value(.device):
            if try isEmptyState(state) { return }
        case .value(.tensor):
            throw fail("BUILD on a tensor (Tensor.set_ or Parameter.__setstate__) is not supported by Anneal")
        default:
            throw fail("BUILD on a \(target.typeName): only Tensor, Parameter, OrderedDict or allowlisted types can be built")
        }
        throw fail("BUILD with a state on a \(target.typeName) is not supported by Anneal")
    }

    /// BINPERSID: `('storage', storage_type, key, location, numel)`.
    mutating func persistentLoad(_ id: PickleItem) throws(Problem) -> PickleItem {
        guard case .tuple(let fields) = id else {
            throw fail("persistent id is a \(id.typeName): only ('storage', type, key, location, numel) tuples are read")
        }
        guard let first = fields.first, case .value(let tag) = first,
            tag == .string("storage") || tag == .bytes(Array("storage".utf8))
        else {
            throw fail("persistent id: only persistent_load of storage is allowed")
        }
        guard fields.count == 5 else { throw fail("persistent id: \(fields.count) fields, not 5") }
        guard case .global(let type) = fields[1] else {
            throw fail("persistent id: the storage type is a \(fields[1].typeName), not a storage class")
        }
        let dtype: TorchDType
        switch type.kind {
        case .storageType(let storageDType): dtype = storageDType
        case .untypedStorage: dtype = .uint8
        default: throw fail("persistent id: \(type.name) is not a storage type")
        }
        guard case .value(.string(let key)) = fields[2] else { throw fail("persistent id: the key is not a str") }
        guard case .value(.string(let location)) = fields[3] else {
            throw fail("persistent id: the location is not a str")
        }
        let count = try integer(fields[4], "persistent id numel")
        guard count >= 0 else { throw fail("persistent id: negative numel \(count)") }
        guard let elementSize = dtype.elementSize else { throw fail("persistent id: dtype \(dtype.torchName) has no storage") }
        guard case (_, false) = count.multipliedReportingOverflow(by: elementSize) else {
            throw fail("persistent id: numel \(count) × \(elementSize) bytes overflows")
        }
        if let known = storages[key] { return .value(.storage(known)) }
        let storage = StorageReference(
            key: key, dtype: dtype, location: location, count: count, isUntyped: type.kind == .untypedStorage)
        storages[key] = storage
        storageOrder.append(key)
        return .value(.storage(storage))
    }

    // MARK: Tensors

    /// `_rebuild_tensor(storage, offset, size, stride)`,
    /// `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks, metadata=None)` and
    /// `_rebuild_tensor_v3(storage, offset, size, stride, requires_grad, backward_hooks, dtype, metadata=None)`:
    /// `torch.empty((0,), dtype=...).set_(storage._untyped_storage, offset, size, stride)`, so v3 takes any
    /// storage (typed or not) and measures it in bytes. `backward_hooks` is set and never read, as in torch.
    private mutating func rebuildTensor(_ args: [PickleItem], name: String, kind: TorchGlobal.Kind) throws(Problem)
        -> TensorReference
    {
        let arities: ClosedRange<Int> =
            switch kind {
            case .rebuildTensorV2: 6...7
            case .rebuildTensorV3: 7...8
            default: 4...4
            }
        guard arities.contains(args.count) else {
            let range = arities.count == 1 ? "\(arities.lowerBound)" : "\(arities.lowerBound) or \(arities.upperBound)"
            throw fail("\(name) takes \(range) arguments, not \(args.count)")
        }
        guard case .value(.storage(let storage)) = args[0] else {
            throw fail("\(name): the storage is a \(args[0].typeName), not a storage")
        }
        // set_ takes ints here, not bools (unlike Python's int()).
        let offset = try strictInteger(args[1], "\(name) storage_offset")
        let shape = try dimensions(args[2], "\(name) size")
        let strides: [Int]
        if case .value(.none) = args[3] {
            strides = try contiguousStrides(shape, name: name)
        } else {
            strides = try dimensions(args[3], "\(name) stride")
        }
        var dtype = storage.dtype
        var requiresGrad = false
        var metadata: PickleItem?
        switch kind {
        case .rebuildTensorV2:
            // `tensor.requires_grad = requires_grad` takes a bool only.
            requiresGrad = try boolean(args[4], "\(name) requires_grad")
            metadata = args.count == 7 ? args[6] : nil
        case .rebuildTensorV3:
            guard case .global(let global) = args[6], case .dtype(let given) = global.kind else {
                throw fail("\(name): the dtype is a \(args[6].typeName), not a torch.dtype")
            }
            guard !given.isQuantized else {
                throw fail("\(name): a \(given.torchName) tensor without its quantizer is not supported by Anneal")
            }
            dtype = given
            // `torch.empty(..., requires_grad=...)` takes a bool or None.
            if case .value(.none) = args[4] {
            } else {
                requiresGrad = try boolean(args[4], "\(name) requires_grad")
            }
            metadata = args.count == 8 ? args[7] : nil
        default:
            break
        }
        if let metadata, !(try isFalsy(metadata)) {
            guard case .dict = metadata else {
                throw fail("\(name): the metadata is a \(metadata.typeName), not a dict")
            }
            throw fail("\(name): tensor metadata (conjugate or negative bits) is not supported by Anneal")
        }
        let tensor = TensorReference(
            storage: storage, dtype: dtype, storageOffset: offset, shape: shape, strides: strides,
            requiresGrad: requiresGrad)
        // In torch's order: v3 makes the tensor (requires_grad checked) before set_, v2 after.
        if kind == .rebuildTensorV3 {
            try checkRequiresGrad(tensor, name: name)
            if requiresGrad {
                // torch.empty(requires_grad=True) then set_: torch.load fails on every such file.
                throw fail(
                    "\(name) with requires_grad=True: torch cannot rebuild it (a leaf Variable that requires grad is being used in an in-place operation)"
                )
            }
        }
        try Self.validate(tensor).mapError { fail("\(name): \($0)") }.get()
        try checkRequiresGrad(tensor, name: name)
        return tensor
    }

    /// torch's rule: only floating point and complex tensors require gradients.
    func checkRequiresGrad(_ tensor: TensorReference, name: String) throws(Problem) {
        guard !tensor.requiresGrad || tensor.dtype.canRequireGrad else {
            throw fail(
                "\(name): a \(tensor.dtype.torchName) tensor cannot require grad (only Tensors of floating point and complex dtype can require gradients)"
            )
        }
    }

    /// A size or stride: a tuple, list or torch.Size of ints.
    private mutating func dimensions(_ item: PickleItem, _ what: String) throws(Problem) -> [Int] {
        if case .value(.size(let dims)) = item { return dims }
        return try iterate(item, name: what).map { (element) throws(Problem) in try strictInteger(element, what) }
    }

    /// What `set_` makes of `stride=None`: row-major strides (a dimension of 0 counts as 1).
    private func contiguousStrides(_ shape: [Int], name: String) throws(Problem) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for index in shape.indices.reversed() {
            strides[index] = running
            let (next, overflow) = running.multipliedReportingOverflow(by: max(shape[index], 1))
            if overflow { throw fail("\(name): size \(shape) overflows") }
            running = next
        }
        return strides
    }

    /// What `Tensor.set_(storage, offset, size, stride)` checks, with checked
    /// arithmetic: the view's last element lies inside the storage, measured
    /// in bytes (`(offset + Σ (size - 1) × stride + 1) × itemsize`), as
    /// `_rebuild_tensor_v3` sets a tensor of any dtype on an untyped storage.
    /// The element size need not divide the storage's bytes: torch does not ask it.
    static func validate(_ tensor: TensorReference) -> Result<Void, ValidationFailure> {
        guard tensor.shape.count == tensor.strides.count else {
            return .failure(.init("size has \(tensor.shape.count) dimensions but stride \(tensor.strides.count)"))
        }
        guard tensor.shape.count <= 64 else { return .failure(.init("more than 64 dimensions")) }
        guard tensor.storageOffset >= 0 else {
            return .failure(.init("negative storage offset \(tensor.storageOffset)"))
        }
        guard tensor.shape.allSatisfy({ $0 >= 0 }) else {
            return .failure(.init("negative size \(tensor.shape)"))
        }
        guard tensor.strides.allSatisfy({ $0 >= 0 }) else {
            return .failure(.init("negative stride \(tensor.strides)"))
        }
        guard let count = tensor.elementCount else { return .failure(.init("size \(tensor.shape) overflows")) }
        if count == 0 { return .success(()) }
        var last = tensor.storageOffset
        for (dimension, stride) in zip(tensor.shape, tensor.strides) {
            let (span, overflow1) = (dimension - 1).multipliedReportingOverflow(by: stride)
            let (sum, overflow2) = last.addingReportingOverflow(span)
            if overflow1 || overflow2 { return .failure(.init("size \(tensor.shape), stride \(tensor.strides) overflow")) }
            last = sum
        }
        let (end, overflow) = (last + 1).multipliedReportingOverflow(by: tensor.dtype.itemSize)
        guard !overflow, last < Int.max, end <= tensor.storage.byteCount else {
            let place =
                tensor.dtype == tensor.storage.dtype
                ? "element \(last) of a storage of \(tensor.storage.count)"
                : "byte \(overflow || last == Int.max ? "beyond \(Int.max)" : String(end)) of a storage of \(tensor.storage.byteCount) bytes"
            return .failure(
                .init(
                    "size \(tensor.shape), stride \(tensor.strides) and offset \(tensor.storageOffset) of \(tensor.dtype.torchName) reach \(place)"
                ))
        }
        return .success(())
    }

    struct ValidationFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: Arguments

    func integer(_ item: PickleItem, _ what: String) throws(Problem) -> Int {
        switch item {
        case .value(.int(let value)): return value
        case .value(.bool(let value)): return value ? 1 : 0
        case .value(.bigInt): throw fail("\(what): an int beyond 64 bits")
        default: throw fail("\(what) is a \(item.typeName), not an int")
        }
    }

    /// An int and only an int (what `set_` takes for an offset, size or stride).
    func strictInteger(_ item: PickleItem, _ what: String) throws(Problem) -> Int {
        if case .value(.bool) = item { throw fail("\(what) is a bool, not an int") }
        return try integer(item, what)
    }

    func boolean(_ item: PickleItem, _ what: String) throws(Problem) -> Bool {
        guard case .value(.bool(let value)) = item else { throw fail("\(what) is a \(item.typeName), not a bool") }
        return value
    }

    func realNumber(_ item: PickleItem, name: String) throws(Problem) -> Double {
        switch item {
        case .value(.float(let value)): return value
        case .value(.int(let value)): return Double(value)
        case .value(.bool(let value)): return value ? 1 : 0
        default: throw fail("\(name): a \(item.typeName) is not a real number")
        }
    }

    /// Whether a BUILD state or metadata is empty (None, or an empty dict or tuple).
    func isEmptyState(_ item: PickleItem) throws(Problem) -> Bool {
        switch item {
        case .value(.none): true
        case .dict(let dict): dict.count == 0 && dict.attributes == nil
        case .tuple(let items): items.isEmpty
        default: false
        }
    }

    /// Python's falsiness, for `if metadata:`: None, False, zero, and empty strings and containers.
    func isFalsy(_ item: PickleItem) throws(Problem) -> Bool {
        switch item {
        case .value(.none), .value(.bool(false)), .value(.int(0)): true
        case .value(.float(let x)): x == 0
        case .value(.string(let text)): text.isEmpty
        case .value(.bytes(let data)), .value(.bytearray(let data)): data.isEmpty
        case .value(.set(let items)): items.isEmpty
        case .value(.size(let dims)): dims.isEmpty
        case .tuple(let items): items.isEmpty
        case .list(let list): list.items.isEmpty
        case .dict(let dict): dict.count == 0
        default: false
        }
    }

    /// The items of a tuple or list (what `*args` and `set(x)` iterate).
    mutating func iterate(_ item: PickleItem, name: String) throws(Problem) -> [PickleItem] {
        let items: [PickleItem]
        switch item {
        case .tuple(let elements): items = elements
        case .list(let list): items = list.items
        default: throw fail("\(name): a \(item.typeName) is not a tuple or list")
        }
        // Iterating a memoised list again and again must not take unbounded time.
        try charge(items.count)
        return items
    }

    /// `_codecs.encode(str, encoding)` and `bytearray(str, encoding)` / `bytearray(bytes)`.
    private func encodedBytes(_ args: [PickleItem], name: String) throws(Problem) -> [UInt8] {
        if case .value(.bytes(let bytes)) = args[0], args.count == 1 { return bytes }
        guard case .value(.string(let text)) = args[0] else {
            throw fail("\(name): the first argument is a \(args[0].typeName), not a str")
        }
        var encoding = "utf-8"
        if args.count == 2 {
            guard case .value(.string(let given)) = args[1] else { throw fail("\(name): the encoding is not a str") }
            encoding = String(given.lowercased().map { $0 == "_" ? "-" : $0 })
        }
        switch encoding {
        case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1":
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.unicodeScalars.count)
            for scalar in text.unicodeScalars {
                guard scalar.value < 256 else { throw fail("\(name): a character beyond latin-1 in the string") }
                bytes.append(UInt8(scalar.value))
            }
            return bytes
        case "utf-8", "utf8":
            return Array(text.utf8)
        case "ascii":
            guard text.utf8.allSatisfy({ $0 < 128 }) else { throw fail("\(name): a character beyond ASCII") }
            return Array(text.utf8)
        default:
            throw fail("\(name): encoding \"\(encoding)\" is not supported by Anneal (latin-1, utf-8, ascii)")
        }
    }

    private func device(_ args: [PickleItem]) throws(Problem) -> PickleValue {
        guard (1...2).contains(args.count), case .value(.string(let spec)) = args[0] else {
            throw fail("torch.device takes a str and an optional index")
        }
        var type = spec
        var index: Int?
        if let colon = spec.firstIndex(of: ":") {
            type = String(spec[..<colon])
            guard let parsed = Int(spec[spec.index(after: colon)...]), parsed >= 0 else {
                throw fail("torch.device: invalid device string \"\(spec)\"")
            }
            index = parsed
        }
        if args.count == 2 {
            if case .value(.none) = args[1] {
            } else {
                guard index == nil else { throw fail("torch.device: an index twice in \"\(spec)\"") }
                index = try integer(args[1], "torch.device index")
            }
        }
        guard !type.isEmpty, type.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A || $0 == 0x5F || ($0 >= 0x30 && $0 <= 0x39) })
        else {
            throw fail("torch.device: invalid device type \"\(type)\"")
        }
        return .device(type: type, index: index)
    }

    /// `OrderedDict(x)` / `Counter(x)`: from a dict (or a list of pairs).
    private mutating func fill(_ dict: DictBox, from source: PickleItem, name: String) throws(Problem) {
        switch source {
        case .dict(let other):
            try charge(other.count)
            for (key, value) in zip(other.keys, other.values) { dict.set(key, value) }
        case .tuple, .list:
            for pair in try iterate(source, name: name) {
                let items = try iterate(pair, name: "\(name) item")
                guard items.count == 2 else { throw fail("\(name): an item of \(items.count) elements, not a pair") }
                dict.set(try hashableKey(items[0]), items[1])
            }
        default:
            throw fail("\(name): cannot be made from a \(source.typeName)")
        }
    }
}
