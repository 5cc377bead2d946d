#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `value` with `digits` digits after the point, as Python's `f"{value:.5f}"`
/// (both round the exact binary value correctly, ties to even: glibc's
/// `printf` and CPython's `dtoa` agree digit for digit).
///
/// ```swift
/// fixed(0.001, digits: 5)      // "0.00100"
/// fixed(1e-6, digits: 5)       // "0.00000"
/// ```
public func fixed(_ value: Double, digits: Int) -> String {
    precondition((0...40).contains(digits), "digits must be in 0...40, got \(digits)")
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return cFormat("%.\(digits)f", value)
}

/// `value` zero-padded to `width` digits, as Python's `f"{value:02d}"`.
///
/// ```swift
/// zeroPadded(7, width: 2)   // "07"
/// ```
public func zeroPadded(_ value: Int, width: Int) -> String {
    let digits = String(value.magnitude)
    let padding = String(repeating: "0", count: Swift.max(0, width - digits.count - (value < 0 ? 1 : 0)))
    return (value < 0 ? "-" : "") + padding + digits
}

private func cFormat(_ format: String, _ value: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 512)
    let written = withVaList([value]) { arguments in
        vsnprintf(&buffer, buffer.count, format, arguments)
    }
    precondition(written >= 0 && written < buffer.count, "formatting \(value) with \(format) failed")
    return String(decoding: buffer[..<Int(written)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
