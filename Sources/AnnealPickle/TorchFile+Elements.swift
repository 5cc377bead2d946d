/// One element of a tensor, decoded from its dtype.
///
/// ```swift
/// try file.elements(of: tensor, limit: 3)   // [.float(0.0), .float(3.0), .float(1.0)]
/// ```
public enum TensorElement: Sendable, Hashable, CustomStringConvertible {
    /// float16, bfloat16, float32, float64 and the float8s, widened exactly.
    case float(Double)
    case signed(Int64)
    case unsigned(UInt64)
    case bool(Bool)
    case complex(real: Double, imaginary: Double)

    public var description: String {
        switch self {
        case .float(let value): Self.format(value)
        case .signed(let value): String(value)
        case .unsigned(let value): String(value)
        case .bool(let value): value ? "True" : "False"
        case .complex(let re, let im): "(\(Self.format(re))\(im.sign == .minus ? "-" : "+")\(Self.format(abs(im)))j)"
        }
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return "\(value)"
    }
}

extension TorchFile {
    /// The storage element index of each of the tensor's elements, in
    /// row-major order (at most `limit`: an expanded view, stride 0, may
    /// have far more elements than its storage, and a hostile file can
    /// claim 2^62 of them in a few bytes).
    public func storageIndices(of tensor: TensorReference, limit: Int) -> [Int] {
        guard let count = tensor.elementCount, count > 0, limit > 0 else { return [] }
        let wanted = min(count, limit)
        var result: [Int] = []
        result.reserveCapacity(wanted)
        var position = [Int](repeating: 0, count: tensor.shape.count)
        var index = tensor.storageOffset
        while result.count < wanted {
            result.append(index)
            // Advance the last dimension, carrying (bounds were validated when the tensor was read).
            var dimension = tensor.shape.count - 1
            while dimension >= 0 {
                position[dimension] += 1
                index += tensor.strides[dimension]
                if position[dimension] < tensor.shape[dimension] { break }
                index -= tensor.strides[dimension] * position[dimension]
                position[dimension] = 0
                dimension -= 1
            }
            if dimension < 0 { break }
        }
        return result
    }

    /// Each element's bytes, little-endian, in row-major order (at most `limit`).
    public func elementBytes(of tensor: TensorReference, limit: Int) throws(TorchFileError) -> [[UInt8]] {
        let size = tensor.dtype.itemSize
        let indices = storageIndices(of: tensor, limit: limit)
        let swap = isBigEndian && size > 1
        let result: [[UInt8]]? = withStorageBytes(tensor.storage) { bytes in
            indices.map { index in
                let start = index * size
                var element = Array(bytes[start..<start + size])
                if swap {
                    // complex numbers swap each half.
                    let part = tensor.dtype == .complex64 || tensor.dtype == .complex128 || tensor.dtype == .complex32 ? size / 2 : size
                    for lane in stride(from: 0, to: size, by: part) { element[lane..<lane + part].reverse() }
                }
                return element
            }
        }
        guard let result else {
            throw TorchFileError(file: file, problem: .missingRecord("data/" + tensor.storage.key))
        }
        return result
    }

    /// The tensor's elements, decoded, in row-major order (at most `limit`).
    public func elements(of tensor: TensorReference, limit: Int) throws(TorchFileError) -> [TensorElement] {
        guard tensor.dtype.isDecodable else {
            throw TorchFileError(
                file: file,
                problem: .storage(key: tensor.storage.key, reason: "Anneal does not decode \(tensor.dtype.torchName) elements"))
        }
        return try elementBytes(of: tensor, limit: limit).map { Self.decode($0, tensor.dtype) }
    }

    static func decode(_ b: [UInt8], _ dtype: TorchDType) -> TensorElement {
        func bits(_ range: Range<Int>) -> UInt64 {
            var value: UInt64 = 0
            for i in range.reversed() { value = value << 8 | UInt64(b[i]) }
            return value
        }
        switch dtype {
        case .float64: return .float(Double(bitPattern: bits(0..<8)))
        case .float32: return .float(Double(Float(bitPattern: UInt32(bits(0..<4)))))
        case .float16: return .float(halfToDouble(UInt16(bits(0..<2))))
        case .bfloat16: return .float(Double(Float(bitPattern: UInt32(bits(0..<2)) << 16)))
        case .int64: return .signed(Int64(bitPattern: bits(0..<8)))
        case .int32: return .signed(Int64(Int32(bitPattern: UInt32(bits(0..<4)))))
        case .int16: return .signed(Int64(Int16(bitPattern: UInt16(bits(0..<2)))))
        case .int8: return .signed(Int64(Int8(bitPattern: b[0])))
        case .uint8: return .unsigned(UInt64(b[0]))
        case .uint16: return .unsigned(bits(0..<2))
        case .uint32: return .unsigned(bits(0..<4))
        case .uint64: return .unsigned(bits(0..<8))
        case .bool: return .bool(b[0] != 0)
        case .complex64:
            return .complex(
                real: Double(Float(bitPattern: UInt32(bits(0..<4)))),
                imaginary: Double(Float(bitPattern: UInt32(bits(4..<8)))))
        case .complex128: return .complex(real: Double(bitPattern: bits(0..<8)), imaginary: Double(bitPattern: bits(8..<16)))
        case .complex32: return .complex(real: halfToDouble(UInt16(bits(0..<2))), imaginary: halfToDouble(UInt16(bits(2..<4))))
        case .float8_e4m3fn: return .float(float8(b[0], exponentBits: 4, bias: 7, finite: true, unsignedZero: false))
        case .float8_e4m3fnuz: return .float(float8(b[0], exponentBits: 4, bias: 8, finite: true, unsignedZero: true))
        case .float8_e5m2: return .float(float8(b[0], exponentBits: 5, bias: 15, finite: false, unsignedZero: false))
        case .float8_e5m2fnuz: return .float(float8(b[0], exponentBits: 5, bias: 16, finite: true, unsignedZero: true))
        case .float8_e8m0fnu:
            // An exponent alone: 2^(bits - 127), 0xFF is NaN.
            return .float(b[0] == 0xFF ? .nan : Double(sign: .plus, exponent: Int(b[0]) - 127, significand: 1))
        default: return .unsigned(bits(0..<b.count))
        }
    }

    /// A float8 (`torch.float8_*`, after the OCP and "fnuz" formats) to Double, exactly.
    /// `finite`: no infinities, and NaN is the all-ones pattern (e4m3fn) or,
    /// with `unsignedZero`, the negative zero's pattern 0x80 (the fnuz formats).
    /// Otherwise (e5m2) the largest exponent is IEEE's infinity and NaN.
    static func float8(_ byte: UInt8, exponentBits: Int, bias: Int, finite: Bool, unsignedZero: Bool) -> Double {
        let mantissaBits = 7 - exponentBits
        let negative = byte & 0x80 != 0
        let exponent = Int(byte >> mantissaBits) & ((1 << exponentBits) - 1)
        let mantissa = Int(byte) & ((1 << mantissaBits) - 1)
        let top = (1 << exponentBits) - 1
        if unsignedZero, byte == 0x80 { return .nan }
        if !finite, exponent == top { return mantissa == 0 ? (negative ? -.infinity : .infinity) : .nan }
        if finite, !unsignedZero, exponent == top, mantissa == (1 << mantissaBits) - 1 { return .nan }
        // Subnormal: 0.m × 2^(1 - bias); normal: 1.m × 2^(e - bias).
        let significand = exponent == 0 ? Double(mantissa) : Double((1 << mantissaBits) | mantissa)
        let magnitude = Double(sign: .plus, exponent: max(exponent, 1) - bias - mantissaBits, significand: significand)
        return negative ? -magnitude : magnitude
    }

    /// IEEE binary16 to Double, exactly.
    static func halfToDouble(_ h: UInt16) -> Double {
        let sign: Double = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1F)
        let fraction = Double(h & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
