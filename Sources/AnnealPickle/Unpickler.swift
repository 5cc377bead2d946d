
/// The pickle machine of `torch.load(weights_only=True)` (torch 2.13's
/// `torch/_weights_only_unpickler.py`): the same opcodes (protocol 2's,
/// nothing else), the same allowlist of globals, the same rules (APPEND only
/// on lists, SETITEM only on dicts, BUILD only on OrderedDict, REDUCE and
/// NEWOBJ only on allowed callables), and persistent ids
/// `('storage', storage_type, key, location, numel)`. Nothing is executed:
/// each allowed callable is modelled by what it builds.
///
/// ```swift
/// var unpickler = Unpickler(bytes: pickle, limits: PickleLimits())
/// let root = try unpickler.load()
/// unpickler.storages   // every storage referenced, by key
/// ```
struct Unpickler {
    typealias Problem = TorchFileError.Problem

    let bytes: [UInt8]
    let limits: PickleLimits
    private var position = 0
    private var opcodeOffset = 0
    private var stack: [PickleItem] = []
    private var metastack: [[PickleItem]] = []
    private var memo: [Int: PickleItem] = [:]
    /// Elements copied or converted so far (bounded by `limits.maxValues`).
    private var work = 0
    /// Every storage the pickle referenced, by key (the first reference wins, as in torch).
    var storages: [String: StorageReference] = [:]
    /// The keys in order of first reference.
    var storageOrder: [String] = []
    /// Every list and dict made, emptied when the load ends: a pickle may
    /// make a list that contains itself (Python allows it), a reference
    /// cycle that would otherwise outlive the load.
    private var lists: [ListBox] = []
    private var dicts: [DictBox] = []

    init(bytes: [UInt8], limits: PickleLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Runs the pickle to its STOP and returns the value it built.
    mutating func load() throws(Problem) -> PickleValue {
        defer {
            for list in lists { list.items.removeAll() }
            for dict in dicts {
                dict.values.removeAll()
                dict.attributes = nil
            }
        }
        guard bytes.count <= limits.maxPickleBytes else {
            throw .limit("the pickle is \(bytes.count) bytes (at most \(limits.maxPickleBytes))")
        }
        while true {
            opcodeOffset = position
            let opcode = try readByte()
            if opcode == 0x2E {  // STOP
                let result = try pop()
                return try value(of: result, depth: 0)
            }
            try execute(opcode)
        }
    }

    func fail(_ reason: String) -> Problem { .pickle(offset: opcodeOffset, reason: reason) }

    // MARK: Reading

    private mutating func readByte() throws(Problem) -> UInt8 {
        guard position < bytes.count else { throw fail("the pickle ends before its STOP") }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func read(_ count: Int) throws(Problem) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else {
            throw fail("the pickle ends inside an argument (\(count) bytes wanted, \(bytes.count - position) left)")
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    private mutating func readUInt32() throws(Problem) -> UInt32 {
        let b = try read(4)
        var value: UInt32 = 0
        for (shift, byte) in zip(stride(from: 0, to: 32, by: 8), b) { value |= UInt32(byte) << UInt32(shift) }
        return value
    }

    private mutating func readLine() throws(Problem) -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { throw fail("GLOBAL: no end of line") }
        guard end - position <= 1024 else { throw fail("GLOBAL: a name longer than 1024 bytes") }
        let line = bytes[position..<end]
        position = end + 1
        guard let text = String(validating: line, as: UTF8.self) else { throw fail("GLOBAL: a name that is not UTF-8") }
        return text
    }

    // MARK: The stack

    private mutating func push(_ item: PickleItem) throws(Problem) {
        guard stack.count < limits.maxContainerCount else {
            throw .limit("more than \(limits.maxContainerCount) items on the pickle stack")
        }
        stack.append(item)
    }

    private mutating func pop() throws(Problem) -> PickleItem {
        guard let item = stack.popLast() else { throw fail("the stack is empty") }
        return item
    }

    private func top() throws(Problem) -> PickleItem {
        guard let item = stack.last else { throw fail("the stack is empty") }
        return item
    }

    private mutating func popMark() throws(Problem) -> [PickleItem] {
        guard let previous = metastack.popLast() else { throw fail("no MARK to pop to") }
        let items = stack
        stack = previous
        return items
    }

    /// Counts `count` elements of copying or conversion against the budget.
    mutating func charge(_ count: Int) throws(Problem) {
        let (total, overflow) = work.addingReportingOverflow(count)
        guard !overflow, total <= limits.maxValues else {
            throw .limit("the pickle makes more than \(limits.maxValues) values")
        }
        work = total
    }

    // MARK: Opcodes

    private mutating func execute(_ opcode: UInt8) throws(Problem) {
        switch opcode {
        case 0x80:  // PROTO (any protocol is read, as torch does with a warning)
            _ = try readByte()
        case 0x63:  // GLOBAL
            var module = try readLine()
            let name = try readLine()
            if module == "__builtin__" { module = "builtins" }
            let fullName = "\(module).\(name)"
            if module == "sys" {
                throw fail("global \(fullName) is refused: its module sys is blocked")
            }
            guard TorchAllowlist.names.contains(fullName) else {
                throw fail("global \(fullName) is not allowed (not in torch.load(weights_only=True)'s allowlist)")
            }
            try push(.global(TorchGlobal(name: fullName)))
        case 0x81:  // NEWOBJ
            let arguments = try pop()
            let callable = try pop()
            try push(try construct(callable, arguments: arguments, newObject: true))
        case 0x52:  // REDUCE
            let arguments = try pop()
            let callable = try top()
            stack[stack.count - 1] = try construct(callable, arguments: arguments, newObject: false)
        case 0x62:  // BUILD
            let state = try pop()
            try build(try top(), state: state)
        case 0x61:  // APPEND
            let item = try pop()
            guard case .list(let list) = try top() else {
                throw fail("APPEND to a \(try top().typeName): only lists can be appended to")
            }
            try checkCount(list.items.count + 1, "a list")
            list.items.append(item)
        case 0x65:  // APPENDS
            let items = try popMark()
            guard case .list(let list) = try top() else {
                throw fail("APPENDS to a \(try top().typeName): only lists can be extended")
            }
            try checkCount(list.items.count + items.count, "a list")
            list.items.append(contentsOf: items)
        case 0x73:  // SETITEM
            let value = try pop()
            let key = try pop()
            let dict = try setItemTarget("SETITEM")
            try setItem(dict, key: key, value: value)
        case 0x75:  // SETITEMS
            let items = try popMark()
            let dict = try setItemTarget("SETITEMS")
            guard items.count % 2 == 0 else { throw fail("SETITEMS with an odd number of items (\(items.count))") }
            for pair in stride(from: 0, to: items.count, by: 2) {
                try setItem(dict, key: items[pair], value: items[pair + 1])
            }
        case 0x28:  // MARK
            guard metastack.count < limits.maxMarks else { throw .limit("more than \(limits.maxMarks) open MARKs") }
            metastack.append(stack)
            stack = []
        case 0x74:  // TUPLE
            let items = try popMark()
            try push(.tuple(items))
        case 0x85:  // TUPLE1
            let a = try pop()
            try push(.tuple([a]))
        case 0x86:  // TUPLE2
            let b = try pop()
            let a = try pop()
            try push(.tuple([a, b]))
        case 0x87:  // TUPLE3
            let c = try pop()
            let b = try pop()
            let a = try pop()
            try push(.tuple([a, b, c]))
        case 0x4E: try push(.value(.none))  // NONE
        case 0x89: try push(.value(.bool(false)))  // NEWFALSE
        case 0x88: try push(.value(.bool(true)))  // NEWTRUE
        case 0x29: try push(.tuple([]))  // EMPTY_TUPLE
        case 0x5D: try push(.list(makeList()))  // EMPTY_LIST
        case 0x7D: try push(.dict(makeDict(.dict)))  // EMPTY_DICT
        case 0x8F: try push(.value(.set([])))  // EMPTY_SET
        case 0x4A:  // BININT
            try push(.value(.int(Int(Int32(bitPattern: try readUInt32())))))
        case 0x4B:  // BININT1
            try push(.value(.int(Int(try readByte()))))
        case 0x4D:  // BININT2
            let b = try read(2)
            try push(.value(.int(Int(b[b.startIndex]) | Int(b[b.startIndex + 1]) << 8)))
        case 0x47:  // BINFLOAT (big-endian)
            var bits: UInt64 = 0
            for byte in try read(8) { bits = bits << 8 | UInt64(byte) }
            try push(.value(.float(Double(bitPattern: bits))))
        case 0x58:  // BINUNICODE
            let length = Int(try readUInt32())
            guard length <= limits.maxStringBytes else {
                throw .limit("a string of \(length) bytes (at most \(limits.maxStringBytes))")
            }
            let data = try read(length)
            guard let text = String(validating: data, as: UTF8.self) else {
                throw fail("BINUNICODE: the string is not valid UTF-8 (Anneal does not read lone surrogates)")
            }
            try push(.value(.string(text)))
        case 0x55:  // SHORT_BINSTRING (torch.load decodes it as UTF-8)
            let data = try read(Int(try readByte()))
            guard let text = String(validating: data, as: UTF8.self) else {
                throw fail("SHORT_BINSTRING: the string is not valid UTF-8")
            }
            try push(.value(.string(text)))
        case 0x51:  // BINPERSID
            let id = try pop()
            try push(try persistentLoad(id))
        case 0x68:  // BINGET
            try get(Int(try readByte()))
        case 0x6A:  // LONG_BINGET
            try get(Int(try readUInt32()))
        case 0x71:  // BINPUT
            try put(Int(try readByte()))
        case 0x72:  // LONG_BINPUT
            try put(Int(try readUInt32()))
        case 0x8A:  // LONG1
            let count = Int(try readByte())
            try push(.value(Self.decodeLong(try read(count))))
        default:
            throw fail("opcode 0x\(String(opcode, radix: 16)) is not one torch.load(weights_only=True) runs")
        }
    }

    mutating func makeList() -> ListBox {
        let list = ListBox()
        lists.append(list)
        return list
    }

    mutating func makeDict(_ flavor: DictBox.Flavor) -> DictBox {
        let dict = DictBox(flavor)
        dicts.append(dict)
        return dict
    }

    private mutating func get(_ index: Int) throws(Problem) {
        guard let item = memo[index] else { throw fail("memo entry \(index) was never stored") }
        try push(item)
    }

    private mutating func put(_ index: Int) throws(Problem) {
        guard index < limits.maxMemoEntries else {
            throw .limit("memo index \(index) (at most \(limits.maxMemoEntries - 1))")
        }
        memo[index] = try top()
    }

    func checkCount(_ count: Int, _ what: String) throws(Problem) {
        guard count <= limits.maxContainerCount else {
            throw .limit("\(what) of more than \(limits.maxContainerCount) items")
        }
    }

    private func setItemTarget(_ opcode: String) throws(Problem) -> DictBox {
        let target = try top()
        guard case .dict(let dict) = target else {
            throw fail(
                "\(opcode) on a \(target.typeName): only dict, collections.OrderedDict and collections.Counter take items")
        }
        return dict
    }

    private mutating func setItem(_ dict: DictBox, key: PickleItem, value: PickleItem) throws(Problem) {
        let hashable = try hashableKey(key)
        try checkCount(dict.count + 1, "a dict")
        dict.set(hashable, value)
    }

    /// A dict key or set element: Python's hashable values (no list, dict or set inside).
    mutating func hashableKey(_ item: PickleItem) throws(Problem) -> PickleValue {
        switch item {
        case .list, .dict: throw fail("unhashable type: '\(item.typeName)' as a dict key or set element")
        case .value(.set): throw fail("unhashable type: 'set' as a dict key or set element")
        case .tuple(let items):
            var values: [PickleValue] = []
            for element in items { values.append(try hashableKey(element)) }
            try charge(values.count)
            return .tuple(values)
        case .global(let global):
            if case .dtype(let dtype) = global.kind { return .dtype(dtype) }
            throw fail("a global (\(global.name)) as a dict key is not supported by Anneal")
        case .value(let value): return value
        }
    }

    /// LONG1's little-endian two's-complement integer.
    static func decodeLong(_ data: ArraySlice<UInt8>) -> PickleValue {
        guard !data.isEmpty else { return .int(0) }
        if data.count <= 8 {
            var bits: UInt64 = 0
            for byte in data.reversed() { bits = bits << 8 | UInt64(byte) }
            let unused = UInt64(64 - 8 * data.count)
            // Sign-extend from the top byte.
            return .int(Int(Int64(bitPattern: bits << unused) >> Int64(unused)))
        }
        return .integer(PythonInt(twosComplement: data))
    }
}
