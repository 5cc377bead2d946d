/// Turning the stack's items into the value tree at STOP: depth-bounded
/// (a cycle, which Python allows and torch never writes, is refused as too
/// deep) and size-bounded (memo references are copied, so a pickle that
/// references one list a million times is refused past `maxValues`).
extension Unpickler {
    mutating func value(of item: PickleItem, depth: Int) throws(Problem) -> PickleValue {
        guard depth <= limits.maxDepth else {
            throw .limit("values nested deeper than \(limits.maxDepth) (or a container that contains itself)")
        }
        try charge(1)
        switch item {
        case .value(let value): return value
        case .global(let global):
            if case .dtype(let dtype) = global.kind { return .dtype(dtype) }
            throw fail("the result holds the global \(global.name) itself, which Anneal does not model")
        case .tuple(let items):
            var values: [PickleValue] = []
            values.reserveCapacity(items.count)
            for element in items { values.append(try value(of: element, depth: depth + 1)) }
            return .tuple(values)
        case .list(let list):
            var values: [PickleValue] = []
            values.reserveCapacity(list.items.count)
            for element in list.items { values.append(try value(of: element, depth: depth + 1)) }
            return .list(values)
        case .dict(let box):
            let entries = try dictionary(box, depth: depth)
            switch box.flavor {
            case .dict: return .dict(entries)
            case .counter: return .counter(entries)
            case .orderedDict:
                let attributes = try box.attributes.map { (a) throws(Problem) in try dictionary(a, depth: depth) }
                return .orderedDict(entries, attributes: attributes ?? PickleDict())
            }
        }
    }

    private mutating func dictionary(_ box: DictBox, depth: Int) throws(Problem) -> PickleDict {
        var result = PickleDict()
        for (key, element) in zip(box.keys, box.values) {
            result[key] = try value(of: element, depth: depth + 1)
        }
        return result
    }
}
