/// A Python `int` of any size, as pickle's LONG1 stores it: little-endian
/// two's complement bytes, the fewest that hold the value.
///
/// Anneal only carries such ints from a file to a file and prints them, so
/// this is a value with a decimal `description`, not an arithmetic type
/// (AnnealPickle stays free of a big-number library and of Foundation,
/// which keeps a reader's process small: see `make bench-torch-files`).
///
/// ```swift
/// let big = PythonInt(twosComplement: [0, 0, 0, 0, 0, 0, 0, 0, 1])   // 2**64
/// big.description      // "18446744073709551616"
/// PythonInt(-5).int    // -5
/// ```
public struct PythonInt: Sendable, Hashable, CustomStringConvertible {
    /// Little-endian two's complement, the shortest form (empty for 0).
    public let twosComplement: [UInt8]

    /// The value of little-endian two's complement `bytes` (any length; empty is 0).
    public init(twosComplement bytes: some Collection<UInt8>) {
        var digits = Array(bytes)
        // A top byte of 0 above a non-negative byte, or 0xFF above a
        // negative one, only extends the sign.
        while digits.count > 1 {
            let top = digits[digits.count - 1]
            let belowIsNegative = digits[digits.count - 2] & 0x80 != 0
            guard (top == 0 && !belowIsNegative) || (top == 0xFF && belowIsNegative) else { break }
            digits.removeLast()
        }
        if digits == [0] { digits = [] }
        twosComplement = digits
    }

    public init(_ value: Int) {
        self.init(twosComplement: (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) })
    }

    public var isNegative: Bool { (twosComplement.last ?? 0) & 0x80 != 0 }

    /// The value as an `Int`, `nil` beyond 64 bits.
    public var int: Int? {
        guard twosComplement.count <= 8 else { return nil }
        var bits: UInt64 = isNegative ? .max : 0
        for (index, byte) in twosComplement.enumerated() {
            bits &= ~(0xFF << (8 * UInt64(index)))
            bits |= UInt64(byte) << (8 * UInt64(index))
        }
        return Int(Int64(bitPattern: bits))
    }

    /// Decimal, as Python's `repr`.
    public var description: String {
        // The magnitude in 32-bit limbs (least significant first).
        var bytes = twosComplement
        if isNegative {
            // Negate: invert and add one.
            var carry = 1
            for index in bytes.indices {
                let sum = Int(~bytes[index]) + carry
                bytes[index] = UInt8(truncatingIfNeeded: sum)
                carry = sum >> 8
            }
        }
        var limbs: [UInt32] = stride(from: 0, to: bytes.count, by: 4).map { start in
            bytes[start..<min(start + 4, bytes.count)].enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * $1.offset) }
        }
        var chunks: [UInt32] = []  // base 10^9, least significant first
        while limbs.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for index in limbs.indices.reversed() {
                let value = remainder << 32 | UInt64(limbs[index])
                limbs[index] = UInt32(value / 1_000_000_000)
                remainder = value % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
        }
        guard let top = chunks.last else { return "0" }
        var text = isNegative ? "-" : ""
        text += String(top)
        for chunk in chunks.dropLast().reversed() {
            let digits = String(chunk)
            text += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return text
    }
}
