/// A `torch.dtype`, under torch's name (`torch.float32` is ``float32``).
///
/// ```swift
/// TorchDType(storageTypeName: "FloatStorage")   // .float32
/// TorchDType.bfloat16.elementSize               // 2
/// ```
public enum TorchDType: String, Sendable, Hashable, CaseIterable {
    case float64, float32, float16, bfloat16
    case int64, int32, int16, int8, uint8, bool
    case complex128, complex64, complex32
    case uint16, uint32, uint64
    case float8_e4m3fn, float8_e4m3fnuz, float8_e5m2, float8_e5m2fnuz, float8_e8m0fnu, float4_e2m1fn_x2
    case qint8, qint32, quint8, quint4x2, quint2x4
    case bits1x8, bits2x4, bits4x2, bits8, bits16
    case uint1, uint2, uint3, uint4, uint5, uint6, uint7
    case int1, int2, int3, int4, int5, int6, int7

    /// torch's name, `torch.float32`.
    public var torchName: String { "torch." + rawValue }

    /// Bytes per element (`torch._utils._element_size`), `nil` for the sub-byte
    /// dtypes torch has no storage of (`uint1` ... `int7`).
    public var elementSize: Int? {
        switch self {
        case .float64, .int64, .complex64, .uint64: 8
        case .float32, .int32, .complex32, .uint32, .qint32: 4
        case .float16, .bfloat16, .int16, .uint16, .bits16: 2
        case .complex128: 16
        case .int8, .uint8, .bool, .qint8, .quint8, .quint4x2, .quint2x4, .bits1x8, .bits2x4, .bits4x2, .bits8,
            .float8_e4m3fn, .float8_e4m3fnuz, .float8_e5m2, .float8_e5m2fnuz, .float8_e8m0fnu, .float4_e2m1fn_x2:
            1
        case .uint1, .uint2, .uint3, .uint4, .uint5, .uint6, .uint7, .int1, .int2, .int3, .int4, .int5, .int6, .int7:
            nil
        }
    }

    /// Bytes per element as a tensor holds them (`torch.dtype.itemsize`):
    /// ``elementSize``, and 1 for the sub-byte dtypes (`uint1` ... `int7`),
    /// which torch keeps one to a byte.
    public var itemSize: Int { elementSize ?? 1 }

    /// Whether Anneal decodes this dtype's elements (``TorchFile/elements(of:limit:)``):
    /// every number type but the packed ones (`float4_e2m1fn_x2`, `bits*`,
    /// sub-byte and quantized dtypes), float8s widened exactly.
    public var isDecodable: Bool {
        switch self {
        case .float64, .float32, .float16, .bfloat16, .int64, .int32, .int16, .int8, .uint8, .bool, .complex128,
            .complex64, .complex32, .uint16, .uint32, .uint64, .float8_e4m3fn, .float8_e4m3fnuz, .float8_e5m2,
            .float8_e5m2fnuz, .float8_e8m0fnu:
            true
        default: false
        }
    }

    /// Whether a tensor of this dtype can require gradients (torch's
    /// `dtype.is_floating_point or dtype.is_complex`).
    public var canRequireGrad: Bool {
        switch self {
        case .float64, .float32, .float16, .bfloat16, .float8_e4m3fn, .float8_e4m3fnuz, .float8_e5m2, .float8_e5m2fnuz,
            .float8_e8m0fnu, .float4_e2m1fn_x2, .complex128, .complex64, .complex32:
            true
        default: false
        }
    }

    /// Whether it is a quantized dtype (`qint8`, `quint8`, `qint32`, `quint4x2`, `quint2x4`).
    public var isQuantized: Bool {
        switch self {
        case .qint8, .qint32, .quint8, .quint4x2, .quint2x4: true
        default: false
        }
    }

    /// Whether torch.save writes tensors of this dtype with
    /// `_rebuild_tensor_v3` over an untyped storage (`torch.storage._new_dtypes()`:
    /// the dtypes without a legacy typed-storage class).
    public var isSavedUntyped: Bool {
        switch self {
        case .float8_e5m2, .float8_e4m3fn, .float8_e5m2fnuz, .float8_e4m3fnuz, .float8_e8m0fnu, .float4_e2m1fn_x2,
            .bits8, .bits16, .bits1x8, .bits2x4, .bits4x2, .complex32, .uint16, .uint32, .uint64:
            true
        default: false
        }
    }

    /// The legacy storage class names of `torch.storage._dtype_to_storage_type_map()`.
    static let storageTypes: [String: TorchDType] = [
        "DoubleStorage": .float64, "FloatStorage": .float32, "HalfStorage": .float16, "LongStorage": .int64,
        "IntStorage": .int32, "ShortStorage": .int16, "CharStorage": .int8, "ByteStorage": .uint8,
        "BoolStorage": .bool, "BFloat16Storage": .bfloat16, "ComplexDoubleStorage": .complex128,
        "ComplexFloatStorage": .complex64, "QInt8Storage": .qint8, "QInt32Storage": .qint32,
        "QUInt8Storage": .quint8, "QUInt4x2Storage": .quint4x2, "QUInt2x4Storage": .quint2x4,
    ]

    /// The dtype of a legacy storage class (`FloatStorage` → ``float32``).
    public init?(storageTypeName: String) {
        guard let dtype = Self.storageTypes[storageTypeName] else { return nil }
        self = dtype
    }

    /// The legacy storage class name of the dtype, where it has one.
    public var storageTypeName: String? { Self.storageTypes.first { $0.value == self }?.key }
}
