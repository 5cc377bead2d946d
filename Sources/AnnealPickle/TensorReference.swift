/// A storage a pickle refers to by persistent id
/// `('storage', storage_type, key, location, numel)`: its bytes are the
/// archive's record `data/<key>`.
///
/// ```swift
/// // ('storage', torch.FloatStorage, '0', 'cpu', 6)
/// StorageReference(key: "0", dtype: .float32, location: "cpu", count: 6).byteCount   // 24
/// ```
public struct StorageReference: Sendable, Hashable {
    /// The record key: the bytes are in `data/<key>`.
    public var key: String
    /// The element type (`torch.UntypedStorage` is ``TorchDType/uint8``).
    public var dtype: TorchDType
    /// Where it was saved from (`"cpu"`, `"cuda:0"`).
    public var location: String
    /// The number of elements (`numel`).
    public var count: Int
    /// `count × dtype.elementSize`, checked when the reference is read.
    public var byteCount: Int
    /// Whether the pickle names it `torch.storage.UntypedStorage` (bytes,
    /// loaded as an `UntypedStorage`) rather than a typed storage class.
    public var isUntyped: Bool

    public init(key: String, dtype: TorchDType, location: String, count: Int, isUntyped: Bool = false) {
        self.key = key
        self.dtype = dtype
        self.location = location
        self.count = count
        self.isUntyped = isUntyped
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.elementSize ?? 1)
        self.byteCount = overflow ? Int.max : bytes
    }
}

/// A tensor of a pickle (`torch._utils._rebuild_tensor_v2`, or
/// `_rebuild_tensor_v3`, or `_rebuild_parameter` around one): a strided
/// view of a storage. Its ``dtype`` is the storage's (v2) or its own (v3,
/// over an untyped storage: `torch.uint16`, the float8s, ...); several
/// tensors of different dtypes may view one untyped storage.
///
/// ```swift
/// // x = torch.arange(6.).reshape(2, 3).t()
/// tensor.shape          // [3, 2]
/// tensor.strides        // [1, 3]
/// tensor.storageOffset  // 0
/// // y = torch.arange(3, dtype=torch.int32).to(torch.uint16): _rebuild_tensor_v3
/// tensor.dtype          // .uint16
/// tensor.storage.dtype  // .uint8 (an UntypedStorage of 6 bytes)
/// ```
public struct TensorReference: Sendable, Hashable {
    public var storage: StorageReference
    /// The element type (the storage's, unless the tensor was rebuilt by `_rebuild_tensor_v3`).
    public var dtype: TorchDType
    /// In elements of ``dtype``.
    public var storageOffset: Int
    public var shape: [Int]
    /// In elements; never negative.
    public var strides: [Int]
    public var requiresGrad: Bool
    /// Whether it is a `torch.nn.Parameter`.
    public var isParameter: Bool

    /// A view of `storage`, of the storage's dtype unless `dtype` is given.
    public init(
        storage: StorageReference, dtype: TorchDType? = nil, storageOffset: Int, shape: [Int], strides: [Int],
        requiresGrad: Bool = false, isParameter: Bool = false
    ) {
        self.storage = storage
        self.dtype = dtype ?? storage.dtype
        self.storageOffset = storageOffset
        self.shape = shape
        self.strides = strides
        self.requiresGrad = requiresGrad
        self.isParameter = isParameter
    }

    /// Whether torch.save writes it with `_rebuild_tensor_v3` (and torch.load
    /// needs it): its dtype has no typed storage, or is not its storage's.
    public var isRebuiltByV3: Bool { dtype.isSavedUntyped || dtype.storageTypeName == nil || dtype != storage.dtype }

    /// The number of elements (the product of ``shape``), `nil` past `Int.max`.
    public var elementCount: Int? {
        var total = 1
        for dimension in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            total = product
        }
        return total
    }

    /// The view's bytes (elements × element size), `nil` past `Int.max`.
    public var byteCount: Int? {
        guard let count = elementCount else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
        return overflow ? nil : bytes
    }

    /// Whether the elements are contiguous in row-major order.
    public var isContiguous: Bool {
        var expected = 1
        for (dimension, stride) in zip(shape, strides).reversed() where dimension != 1 {
            if stride != expected { return false }
            expected = expected &* dimension
        }
        return true
    }
}
