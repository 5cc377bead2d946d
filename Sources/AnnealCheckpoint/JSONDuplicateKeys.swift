import AnnealJSON

/// The first key that appears twice in one object of a JSON text, with the
/// keys leading to that object (`[]` for the top level), or `nil`.
///
/// The JSON parser keeps the last of repeated keys, as Python does; a
/// checkpoint reader must not (two tensors under one name would make one of
/// them silently vanish), so it looks for repeats itself. `bytes` must be a
/// text the JSON parser accepted: the scan tracks only strings and nesting.
func firstDuplicateKey(in bytes: [UInt8]) -> (path: [String], key: String)? {
    /// One open object or array: the keys seen so far (objects), whether the
    /// next string is a key, and the key under which it was opened.
    struct Frame {
        var isObject: Bool
        var keys: Set<String> = []
        var expectsKey: Bool
        var lastKey: String?
    }
    var stack: [Frame] = []
    var index = 0
    let count = bytes.count
    while index < count {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "{"):
            stack.append(Frame(isObject: true, expectsKey: true))
            index += 1
        case UInt8(ascii: "["):
            stack.append(Frame(isObject: false, expectsKey: false))
            index += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            if !stack.isEmpty { stack.removeLast() }
            index += 1
        case UInt8(ascii: ","):
            if !stack.isEmpty, stack[stack.count - 1].isObject { stack[stack.count - 1].expectsKey = true }
            index += 1
        case UInt8(ascii: "\""):
            let start = index
            var hasEscape = false
            index += 1
            while index < count && bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\") {
                    hasEscape = true
                    index += 1
                }
                index += 1
            }
            index += 1
            guard let top = stack.indices.last, stack[top].isObject, stack[top].expectsKey else { continue }
            let raw = Array(bytes[start..<min(index, count)])
            let key: String
            if hasEscape {
                key = (try? JSONValue.parse(bytes: raw))?.stringValue ?? String(decoding: raw, as: UTF8.self)
            } else {
                key = String(decoding: raw.dropFirst().dropLast(), as: UTF8.self)
            }
            stack[top].expectsKey = false
            if !stack[top].keys.insert(key).inserted {
                let path = stack.dropLast().compactMap(\.lastKey)
                return (path, key)
            }
            stack[top].lastKey = key
        default:
            index += 1
        }
    }
    return nil
}
