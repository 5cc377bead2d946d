import Anneal

extension Kernels {
    /// One parameter's update, op by op, as far as its Python scalars go:
    /// the first op whose scalar PyTorch refuses (``float32Scalar(_:)``: an
    /// `alpha=`, `value=` or `lerp` weight out of float32's range) or whose
    /// Python arithmetic raises (`ZeroDivisionError`), with its error.
    ///
    /// ```swift
    /// var checks = Kernels.ScalarChecks<Stage>()
    /// let negativeLR = checks.checked(-lr, at: .update)   // Float(-lr), noted when out of range
    /// if let (stage, error) = checks.failure { /* do what the ops before `stage` did, then throw error */ }
    /// ```
    ///
    /// PyTorch converts a scalar only when the op runs, so the ops before
    /// the failing one have already written memory; the optimizers compute
    /// every scalar first, then reproduce exactly those writes. `mul_`,
    /// `add_` and `/` by a Python float do not check (they round to `inf` or
    /// 0); their scalars stay plain `Float(...)`.
    struct ScalarChecks<Stage> {
        /// The first op that raises and its error; `nil` when none does.
        private(set) var failure: (stage: Stage, error: PythonError)?

        /// `Float(value)` for the op `stage`, noting PyTorch's overflow error
        /// when it is the first to fail (the value is then `Float(value)`, unused).
        mutating func checked(_ value: Double, at stage: Stage) -> Float {
            do {
                return try float32Scalar(value)
            } catch {
                if failure == nil { failure = (stage, error) }
                return Float(value)
            }
        }

        /// `body()` (Python's arithmetic for the op `stage`), or `fallback`
        /// when it raises, noting the error when it is the first.
        mutating func python(_ stage: Stage, fallback: Double, _ body: () throws(PythonError) -> Double) -> Double {
            do {
                return try body()
            } catch {
                if failure == nil { failure = (stage, error) }
                return fallback
            }
        }
    }

    /// Runs `body` (a whole update in place), then puts back the `count`
    /// elements each of `restored` held before: the update as far as the
    /// buffers PyTorch had written when an op raised.
    static func restoring(
        _ restored: [UnsafeMutablePointer<Float>?], count: Int, _ body: () -> Void
    ) {
        let saved = restored.map { pointer in pointer.map { Array(UnsafeBufferPointer(start: $0, count: count)) } }
        body()
        for (pointer, values) in zip(restored, saved) {
            guard let pointer, let values else { continue }
            values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
        }
    }

    /// `buffer.mul_(factor)` with a Python float: `x * Float(factor)` (no check).
    static func scale(_ buffer: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        for i in 0..<count { buffer[i] *= factor }
    }
}
