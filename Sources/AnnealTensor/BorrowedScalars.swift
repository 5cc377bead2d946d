/// Float32 elements a tensor reads without owning them: memory that stays
/// valid and unchanged while this object lives (`owner` keeps it so, e.g. a
/// read-only mapping of a checkpoint file that unmaps when released).
///
/// A tensor built on it (``Tensor/init(shape:borrowing:)``) copies nothing
/// until it is first written; then it copies the elements into storage of
/// its own, so value semantics hold and the borrowed memory is never written.
public final class BorrowedScalars: @unchecked Sendable {
    // @unchecked: the memory is immutable for the object's lifetime and
    // `owner` is only kept alive, never used.
    /// The elements.
    public let buffer: UnsafeBufferPointer<Float>
    /// What keeps `buffer` valid.
    public let owner: AnyObject

    /// Elements at `buffer`, valid and unchanged as long as `owner` lives.
    public init(_ buffer: UnsafeBufferPointer<Float>, owner: AnyObject) {
        precondition(
            buffer.isEmpty || Int(bitPattern: buffer.baseAddress) % MemoryLayout<Float>.alignment == 0,
            "borrowed float32 elements must be 4-byte aligned, got address \(String(describing: buffer.baseAddress))")
        self.buffer = buffer
        self.owner = owner
    }
}
