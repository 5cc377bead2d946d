// A single fast pass over the input, before json-c sees it, for what json-c
// does not check (or checks too leniently) in strict mode:
//
// - UTF-8 validity. json-c's JSON_TOKENER_VALIDATE_UTF8 lets encoded
//   surrogates (ED A0 80) and code points above U+10FFFF through.
// - A UTF-8 byte order mark, which Python's `json.loads` rejects too.
// - The JSON number grammar. json-c 0.16 accepts `1.`, `1.e5` and `-01`
//   even with JSON_TOKENER_STRICT.
// - Unescaped control characters inside strings (json-c accepts a raw tab
//   or newline; Python's json module, in its default strict mode, does not).
// - Control characters between tokens other than JSON's four whitespace
//   characters, for a clearer message (json-c reports `[1\v]` as "number
//   expected").
// - Single quotes: json-c 0.16 accepts `{'a': 1}` even in strict mode.
// - Integers outside Int64. json-c saturates them to INT64_MIN/UINT64_MAX
//   without keeping their text; the parser rewrites them as floats instead
//   (see `JSONValue.parseBuffer`).
//
// The scanner tracks only whether it is inside a string, which is exact for
// a well-formed prefix of a JSON text. Its verdict past the first structural
// error may be wrong, so the parser reports whichever of the scanner's and
// json-c's errors comes first.

/// What the pre-scan found.
internal struct PrescanResult {
    /// The first problem, as a byte offset and a message.
    var error: (offset: Int, message: String)?
    /// The byte ranges of integer tokens outside `Int64`, in order.
    var oversizedIntegers: [Range<Int>] = []
}

/// Scans `bytes` (see the comment at the top of this file).
internal func prescanJSON(_ bytes: UnsafeBufferPointer<UInt8>) -> PrescanResult {
    var result = PrescanResult()
    let n = bytes.count
    if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
        result.error = (0, "unexpected UTF-8 byte order mark (BOM) at the start of the input")
        return result
    }
    var i = 0
    while i < n {
        let byte = bytes[i]
        switch byte {
        case UInt8(ascii: "\""):
            // A string: find its end, checking UTF-8 and control characters.
            i += 1
            scan: while i < n {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    break scan
                } else if c == UInt8(ascii: "\\") {
                    // Skip an escaped quote or backslash; any other escaped
                    // character is scanned normally (json-c checks escapes).
                    i += 1
                    if i < n && (bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "\\")) {
                        i += 1
                    }
                } else if c < 0x20 {
                    result.error = (i, "unescaped control character \(unicodeName(UInt32(c))) in a string")
                    return result
                } else if c < 0x80 {
                    i += 1
                } else {
                    let length = utf8SequenceLength(bytes, at: i)
                    if length == 0 {
                        result.error = (i, invalidUTF8Message(bytes, at: i))
                        return result
                    }
                    i += length
                }
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if byte == UInt8(ascii: "-") && i + 1 < n && bytes[i + 1] == UInt8(ascii: "I") {
                i += 1  // -Infinity: json-c reads the rest.
                continue
            }
            switch scanNumber(bytes, from: i) {
            case .invalid(let offset, let reason):
                var end = i + 1
                while end < n && isNumberByte(bytes[end]) { end += 1 }
                let token = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self)
                result.error = (offset, "invalid number '\(token)': \(reason)")
                return result
            case .integer(let digitsStart, let end):
                if end - digitsStart >= 19 && isOutsideInt64(bytes, digitsStart: digitsStart, end: end) {
                    result.oversizedIntegers.append(i..<end)
                }
                i = end
            case .float(let end):
                i = end
            }
        case 0x20, 0x09, 0x0A, 0x0D:
            i += 1
        case UInt8(ascii: "'"):
            // json-c 0.16 accepts single-quoted object keys in strict mode.
            result.error = (i, "unexpected character ''' (JSON strings use double quotes)")
            return result
        case 0..<0x20, 0x7F:
            result.error = (i, "unexpected character \(unicodeName(UInt32(byte)))")
            return result
        case 0x80...:
            let length = utf8SequenceLength(bytes, at: i)
            if length == 0 {
                result.error = (i, invalidUTF8Message(bytes, at: i))
                return result
            }
            i += length
        default:
            i += 1
        }
    }
    return result
}

@inline(__always)
private func isDigit(_ b: UInt8) -> Bool {
    b &- UInt8(ascii: "0") < 10
}

@inline(__always)
private func isNumberByte(_ b: UInt8) -> Bool {
    isDigit(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
        || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
}

private enum NumberScan {
    case integer(digitsStart: Int, end: Int)
    case float(end: Int)
    case invalid(offset: Int, reason: String)
}

/// Scans the number token starting at `bytes[start]` (a `-` or a digit)
/// against JSON's number grammar, `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`,
/// in one pass. A token that runs on with more number characters (`1-2`,
/// `1.5.2`) is invalid.
@inline(__always)
private func scanNumber(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> NumberScan {
    let n = bytes.count
    var k = start
    if bytes[k] == UInt8(ascii: "-") { k += 1 }
    let digitsStart = k
    guard k < n && isDigit(bytes[k]) else {
        return .invalid(offset: k, reason: "expected a digit after '-'")
    }
    if bytes[k] == UInt8(ascii: "0") {
        k += 1
        if k < n && isDigit(bytes[k]) {
            return .invalid(offset: k, reason: "leading zeros are not allowed")
        }
    } else {
        k += 1
        while k < n && isDigit(bytes[k]) { k += 1 }
    }
    var isInteger = true
    if k < n && bytes[k] == UInt8(ascii: ".") {
        isInteger = false
        k += 1
        guard k < n && isDigit(bytes[k]) else {
            return .invalid(offset: k, reason: "expected a digit after '.'")
        }
        k += 1
        while k < n && isDigit(bytes[k]) { k += 1 }
    }
    if k < n && (bytes[k] | 0x20) == UInt8(ascii: "e") {
        isInteger = false
        k += 1
        if k < n && (bytes[k] == UInt8(ascii: "+") || bytes[k] == UInt8(ascii: "-")) { k += 1 }
        guard k < n && isDigit(bytes[k]) else {
            return .invalid(offset: k, reason: "expected a digit in the exponent")
        }
        k += 1
        while k < n && isDigit(bytes[k]) { k += 1 }
    }
    if k < n && isNumberByte(bytes[k]) {
        return .invalid(offset: k, reason: "unexpected '\(Character(Unicode.Scalar(bytes[k])))' in a number")
    }
    return isInteger ? .integer(digitsStart: digitsStart, end: k) : .float(end: k)
}

/// Whether the integer token whose digits are `bytes[digitsStart..<end]`
/// (no leading zeros; negative when preceded by `-`) lies outside `Int64`.
private func isOutsideInt64(_ bytes: UnsafeBufferPointer<UInt8>, digitsStart: Int, end: Int) -> Bool {
    let digitCount = end - digitsStart
    if digitCount < 19 { return false }
    if digitCount > 19 { return true }
    let negative = digitsStart > 0 && bytes[digitsStart - 1] == UInt8(ascii: "-")
    let limit = negative ? "9223372036854775808" : "9223372036854775807"
    for (offset, limitByte) in limit.utf8.enumerated() {
        let b = bytes[digitsStart + offset]
        if b != limitByte { return b > limitByte }
    }
    return false
}

/// The length of the well-formed UTF-8 sequence at `bytes[i]` (a non-ASCII
/// lead byte), or 0 when it is ill-formed (Unicode Table 3-7: no overlong
/// forms, no surrogates, nothing above U+10FFFF).
internal func utf8SequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
    let n = bytes.count
    let lead = bytes[i]
    @inline(__always) func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
        k < n && bytes[k] >= low && bytes[k] <= high
    }
    switch lead {
    case 0xC2...0xDF:
        return continuation(i + 1) ? 2 : 0
    case 0xE0:
        return continuation(i + 1, 0xA0) && continuation(i + 2) ? 3 : 0
    case 0xE1...0xEC, 0xEE...0xEF:
        return continuation(i + 1) && continuation(i + 2) ? 3 : 0
    case 0xED:
        return continuation(i + 1, 0x80, 0x9F) && continuation(i + 2) ? 3 : 0
    case 0xF0:
        return continuation(i + 1, 0x90) && continuation(i + 2) && continuation(i + 3) ? 4 : 0
    case 0xF1...0xF3:
        return continuation(i + 1) && continuation(i + 2) && continuation(i + 3) ? 4 : 0
    case 0xF4:
        return continuation(i + 1, 0x80, 0x8F) && continuation(i + 2) && continuation(i + 3) ? 4 : 0
    default:
        return 0
    }
}

private func invalidUTF8Message(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> String {
    "invalid UTF-8: byte 0x\(hex2(bytes[i])) does not start a valid UTF-8 sequence"
}

/// `U+000A`-style name of a code point.
internal func unicodeName(_ value: UInt32) -> String {
    var hex = String(value, radix: 16, uppercase: true)
    while hex.count < 4 { hex = "0" + hex }
    return "U+" + hex
}

private func hex2(_ b: UInt8) -> String {
    let hex = String(b, radix: 16, uppercase: true)
    return b < 16 ? "0" + hex : hex
}
