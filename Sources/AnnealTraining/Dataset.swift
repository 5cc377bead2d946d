import AnnealTensor

/// Inputs and targets with one example per row: PyTorch's `TensorDataset`,
/// read in batches as its `DataLoader` does.
///
/// ```swift
/// let data = Dataset(inputs: Tensor(rows: [[0], [1], [2]]), targets: Tensor(rows: [[0], [1], [4]]))
/// data.batches(size: 2)   // rows 0..<2, then 2..<3 (the last batch may be smaller)
/// ```
public struct Dataset: Sendable {
    /// `[count, features]`.
    public var inputs: Tensor
    /// `[count, outputs]`.
    public var targets: Tensor

    /// A dataset of `inputs` and `targets` with as many rows.
    public init(inputs: Tensor, targets: Tensor) {
        precondition(inputs.rank >= 1 && targets.rank >= 1, "a dataset needs rows, got \(inputs.shape) and \(targets.shape)")
        precondition(
            inputs.shape[0] == targets.shape[0],
            "\(inputs.shape[0]) inputs but \(targets.shape[0]) targets")
        self.inputs = inputs
        self.targets = targets
    }

    /// The number of examples.
    public var count: Int { inputs.shape[0] }

    /// The row ranges of consecutive batches of `size` (`DataLoader` with
    /// `shuffle=False, drop_last=False`: the last batch holds the rest).
    ///
    /// ```swift
    /// Dataset(inputs: .zeros([5, 1]), targets: .zeros([5, 1])).batches(size: 2)   // [0..<2, 2..<4, 4..<5]
    /// ```
    public func batches(size: Int) -> [Range<Int>] {
        precondition(size > 0, "batch size must be positive, got \(size)")
        return stride(from: 0, to: count, by: size).map { $0..<Swift.min($0 + size, count) }
    }

    /// The batch at `rows` of `order` (the identity when `order` is `nil`):
    /// inputs and targets.
    ///
    /// ```swift
    /// let (x, y) = data.batch(0..<2, order: nil)
    /// ```
    public func batch(_ rows: Range<Int>, order: [Int]?) -> (inputs: Tensor, targets: Tensor) {
        if let order {
            let indices = Array(order[rows])
            return (inputs.rows(at: indices), targets.rows(at: indices))
        }
        return (inputs.rows(rows), targets.rows(rows))
    }
}
