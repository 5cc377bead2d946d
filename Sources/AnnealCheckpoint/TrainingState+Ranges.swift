import AnnealJSON

extension TrainingState {
    /// The largest magnitude of an integer in the state handed to the
    /// optimizer's and the schedulers' `loadStateDict`: 2^53, where doubles
    /// stop holding every integer. Schedulers hold epochs and counts exactly
    /// up to `Int.max` and raise `PythonError.beyondAnneal` past it, but a
    /// value near `Int.max` (which a checksum-correct file can hold) would
    /// only fail some steps later, mid-run; refused here, it fails before
    /// anything is loaded, naming the key. No real run comes near 2^53
    /// epochs or steps.
    public static let largestStateInteger = 1 << 53

    /// Throws ``CheckpointError/Problem/manifestInvalid(path:problem:)``,
    /// naming the key path, for the first integer of the optimizer's param
    /// groups and scalar state or of a scheduler's state beyond
    /// ``largestStateInteger`` in magnitude, or a float `last_epoch` beyond
    /// it or not finite (`CyclicLR` converts it to an `Int`).
    func checkStateIntegers(_ manifest: CheckpointManifest, file: String) throws(CheckpointError) {
        func check(_ value: JSONValue, at path: String) throws(CheckpointError) {
            if let (where_, number) = firstOutOfRange(value, at: path) {
                throw CheckpointError(
                    file: file,
                    .manifestInvalid(
                        path: where_,
                        problem: "\(number) is out of range (integers in saved state must be within ±2^53, \(Self.largestStateInteger))"))
            }
        }
        if let optimizer = manifest.optimizer {
            for (index, group) in optimizer.paramGroups.enumerated() {
                try check(group, at: "optimizer.param_groups[\(index)]")
            }
            for (position, entry) in optimizer.state.enumerated() {
                try check(.object(entry.scalars), at: "optimizer.state[\(position)].scalars")
            }
        }
        for (index, scheduler) in manifest.schedulers.enumerated() {
            try check(scheduler.state, at: "schedulers[\(index)].state")
        }
    }

    /// The key path and text of the first out-of-range integer in `value`,
    /// or of an epoch (`last_epoch`, which PyTorch lets be a float) that is
    /// not a finite number within the same range.
    private func firstOutOfRange(_ value: JSONValue, at path: String) -> (String, String)? {
        switch value {
        case .int(let number):
            return number.magnitude > UInt(Self.largestStateInteger) ? (path, String(number)) : nil
        case .double(let number) where path.hasSuffix(".last_epoch"):
            return number.isFinite && number.magnitude <= Double(Self.largestStateInteger) ? nil : (path, value.serialized())
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = firstOutOfRange(item, at: "\(path)[\(index)]") { return found }
            }
            return nil
        case .object(let object):
            for key in object.keys.sorted() {
                // Keys too: MultiStepLR's milestones are an object keyed by the epochs.
                if let number = Int(key), number.magnitude > UInt(Self.largestStateInteger) {
                    return ("\(path).\(key)", key)
                }
                if let found = firstOutOfRange(object[key]!, at: "\(path).\(key)") { return found }
            }
            return nil
        default:
            return nil
        }
    }
}
