#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax cross-entropy of logits: PyTorch's `nn.CrossEntropyLoss()`
/// (`reduction='mean'`, no class weights, no label smoothing), the loss
/// for classification.
///
/// The input is logits `[N, C]`. The target is either class indices
/// (`loss = mean_i(logsumexp(x_i) − x_i[t_i])`) or class probabilities
/// `[N, C]` (`loss = mean_i(−Σ_c t_ic · log_softmax(x_i)_c)`), as PyTorch
/// accepts both. The log-softmax is stable (the row maximum is subtracted
/// before `exp`), and each row is computed in `Double` and rounded to
/// `Float`. The gradient is `(softmax(x_i) · Σ_c t_ic − t_i) / N`.
///
/// With a single column (C = 1), `log_softmax` is identically 0, so the loss
/// and its gradient are 0 whatever the input: cross-entropy cannot fit a
/// regression target.
///
/// ```swift
/// let ce = CrossEntropyLoss()
/// let logits = Tensor(rows: [[2, 0], [0, 2]])
/// let (loss, gradient) = ce.lossAndGradient(logits, classes: [0, 1])
/// // loss ≈ 0.1269 (−log(e²/(e²+1))); gradient[0] ≈ [−0.0596, 0.0596]
/// ```
public struct CrossEntropyLoss: Sendable {
    /// The mean-reduced loss.
    public init() {}

    /// The loss for class-index targets, as `criterion(logits, classes).item()`.
    ///
    /// ```swift
    /// CrossEntropyLoss()(Tensor(rows: [[0, 0]]), classes: [1])   // log 2 ≈ 0.6931
    /// ```
    public func callAsFunction(_ logits: Tensor, classes: [Int]) -> Float {
        lossAndGradient(logits, classes: classes).loss
    }

    /// The loss and `∂loss/∂logits` for class indices `classes` (one per
    /// row, each in `0 ..< C`).
    ///
    /// ```swift
    /// let (loss, gradient) = CrossEntropyLoss().lossAndGradient(model(x), classes: labels)
    /// model.backward(gradient)
    /// ```
    public func lossAndGradient(_ logits: Tensor, classes: [Int]) -> (loss: Float, gradient: Tensor) {
        let (rows, columns) = Self.dimensions(logits)
        precondition(classes.count == rows, "CrossEntropyLoss needs \(rows) class indices, got \(classes.count)")
        for (row, target) in classes.enumerated() {
            precondition(
                target >= 0 && target < columns, "class index \(target) of row \(row) out of range 0..<\(columns)")
        }
        return compute(logits, rows, columns) { row, column in column == classes[row] ? 1 : 0 }
    }

    /// The loss and `∂loss/∂logits` for class probabilities `probabilities`
    /// (`[N, C]`, like the logits; PyTorch's soft targets).
    ///
    /// ```swift
    /// let (loss, _) = CrossEntropyLoss().lossAndGradient(Tensor(rows: [[0, 0]]), probabilities: Tensor(rows: [[0.5, 0.5]]))
    /// // loss ≈ 0.6931
    /// ```
    public func lossAndGradient(_ logits: Tensor, probabilities: Tensor) -> (loss: Float, gradient: Tensor) {
        let (rows, columns) = Self.dimensions(logits)
        precondition(
            probabilities.shape == logits.shape,
            "CrossEntropyLoss probabilities must have the logits' shape \(logits.shape), got \(probabilities.shape)")
        return probabilities.withUnsafeBufferPointer { t in
            compute(logits, rows, columns) { row, column in Double(t[row * columns + column]) }
        }
    }

    private static func dimensions(_ logits: Tensor) -> (Int, Int) {
        precondition(
            logits.rank == 2 && logits.shape[0] > 0 && logits.shape[1] > 0,
            "CrossEntropyLoss needs logits [N, C] with N, C > 0, got shape \(logits.shape)")
        return (logits.shape[0], logits.shape[1])
    }

    /// Row by row: the stable log-softmax, the loss and the gradient for
    /// target weights `target(row, column)`.
    private func compute(
        _ logits: Tensor, _ rows: Int, _ columns: Int, _ target: (Int, Int) -> Double
    ) -> (loss: Float, gradient: Tensor) {
        var total: Double = 0
        let scale = 1 / Double(rows)
        let gradient = logits.withUnsafeBufferPointer { x in
            Tensor(shape: logits.shape) { g in
                for row in 0..<rows {
                    let base = row * columns
                    var maximum = -Double.infinity
                    for c in 0..<columns { maximum = Swift.max(maximum, Double(x[base + c])) }
                    var sumExp: Double = 0
                    for c in 0..<columns { sumExp += exp(Double(x[base + c]) - maximum) }
                    let logSumExp = maximum + log(sumExp)
                    var targetMass: Double = 0
                    for c in 0..<columns {
                        let t = target(row, c)
                        targetMass += t
                        total -= t * (Double(x[base + c]) - logSumExp)
                    }
                    for c in 0..<columns {
                        let softmax = exp(Double(x[base + c]) - logSumExp)
                        g[base + c] = Float((softmax * targetMass - target(row, c)) * scale)
                    }
                }
            }
        }
        return (Float(total * scale), gradient)
    }
}
