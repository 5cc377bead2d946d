/// A dense float32 tensor: contiguous row-major storage and a shape, with
/// value semantics (copies share storage until one of them is written).
///
/// This is the minimal core the optimizers and small models need; elementwise
/// kernels work on the storage through ``withUnsafeMutableBufferPointer(_:)``.
public struct Tensor: Sendable {
    /// The extent of each dimension; `[]` for a scalar.
    public private(set) var shape: [Int]

    /// The elements, unless ``borrowed`` holds them (then empty).
    ///
    /// Invariant: exactly one of `storage` and `borrowed` holds the
    /// `shape.reduce(1, *)` elements; `borrowed` is `nil` for a tensor
    /// that has been written.
    @usableFromInline var storage: [Float]

    /// Read-only elements that live outside the tensor (a checkpoint
    /// file's mapped pages, see ``init(shape:borrowing:)``), shared by
    /// every copy until one is written, which copies them into `storage`.
    @usableFromInline var borrowed: BorrowedScalars?

    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    /// (Reading it copies the elements of a tensor that borrows them.)
    public var scalars: [Float] {
        get { borrowed.map { Array($0.buffer) } ?? storage }
        set {
            precondition(newValue.count == Self.count(of: shape), "scalars count \(newValue.count) does not match shape \(shape)")
            storage = newValue
            borrowed = nil
        }
        _modify {
            makeOwned()
            yield &storage
            precondition(storage.count == Self.count(of: shape), "scalars count \(storage.count) does not match shape \(shape)")
        }
    }

    /// A tensor of `shape` holding `scalars` (row-major).
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(scalars.count == Self.count(of: shape), "\(scalars.count) scalars for shape \(shape)")
        self.shape = shape
        self.storage = scalars
        self.borrowed = nil
    }

    /// A tensor of `shape` whose elements are `elements`' (its count must be
    /// the shape's), read in place: copies share them, and the first write
    /// to any copy gives that copy its own storage.
    ///
    /// ```swift
    /// let tensor = Tensor(shape: [2, 3], borrowing: BorrowedScalars(view, owner: mapping))
    /// ```
    public init(shape: [Int], borrowing elements: BorrowedScalars) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(
            elements.buffer.count == Self.count(of: shape), "\(elements.buffer.count) borrowed scalars for shape \(shape)")
        self.shape = shape
        self.storage = []
        self.borrowed = elements.buffer.isEmpty ? nil : elements
    }

    /// Whether the elements are still borrowed (nothing has written them).
    public var isBorrowingScalars: Bool { borrowed != nil }

    /// Copies borrowed elements into storage of the tensor's own now, as
    /// its first write would (nothing to do for other tensors): to pay for
    /// the copy at a chosen moment, e.g. spread over threads.
    public mutating func ownScalars() { makeOwned() }

    /// A 1-D tensor of `scalars`.
    public init(_ scalars: [Float]) {
        self.init(shape: [scalars.count], scalars: scalars)
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: ScalarStorage.filled(value, count: Self.count(of: shape)))
    }

    /// The number of elements.
    public var count: Int { borrowed?.buffer.count ?? storage.count }

    static func count(of shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Direct access to the elements, for kernels (one pass, SIMD-friendly).
    /// Copies the storage first if another tensor shares it.
    ///
    /// ```swift
    /// tensor.withUnsafeMutableBufferPointer { buffer in
    ///     for i in buffer.indices { buffer[i] *= 2 }
    /// }
    /// ```
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        makeOwned()
        return try storage.withUnsafeMutableBufferPointer(body)
    }

    /// Read-only access to the elements, for kernels.
    ///
    /// ```swift
    /// let total = tensor.withUnsafeBufferPointer { $0.reduce(0, +) }
    /// ```
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Float>) throws(E) -> R) throws(E) -> R {
        if let borrowed { return try body(borrowed.buffer) }
        return try storage.withUnsafeBufferPointer(body)
    }

    /// Copies borrowed elements into the tensor's own storage (before a write).
    @inlinable
    mutating func makeOwned() {
        guard let elements = borrowed else { return }
        storage = ScalarStorage.copy(of: elements.buffer)
        borrowed = nil
    }
}

extension Tensor: Equatable {
    /// Equal shapes and elements (`==` per element, as `[Float]` compares,
    /// including its shortcut: a tensor equals its unwritten copies).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        if lhs.borrowed == nil && rhs.borrowed == nil { return lhs.storage == rhs.storage }
        if let a = lhs.borrowed, let b = rhs.borrowed, a === b { return true }
        return lhs.withUnsafeBufferPointer { a in rhs.withUnsafeBufferPointer { b in a.elementsEqual(b) } }
    }
}
