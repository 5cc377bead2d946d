extension Xoshiro256StarStar {
    /// Shuffles `elements` in place by the Fisher–Yates (Durstenfeld)
    /// algorithm: for `i` from `count − 1` down to 1, swap element `i` with
    /// element `int(below: i + 1)`. Every permutation is equally likely, and
    /// the result depends only on the generator's state (`count − 1` bounded
    /// draws), so restoring a saved ``state`` reproduces the order.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 1)
    /// var order = Array(0..<10)
    /// rng.shuffle(&order)   // a permutation of 0..<10
    /// ```
    public mutating func shuffle<C: MutableCollection & RandomAccessCollection>(_ elements: inout C) {
        let count = elements.count
        guard count > 1 else { return }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = int(below: i + 1)
            if j != i {
                elements.swapAt(elements.index(elements.startIndex, offsetBy: i), elements.index(elements.startIndex, offsetBy: j))
            }
        }
    }

    /// A random permutation of `0 ..< count` (``shuffle(_:)`` of the
    /// identity), as `torch.randperm(count)` is used for a shuffled epoch.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 1)
    /// rng.permutation(5).sorted()   // [0, 1, 2, 3, 4]
    /// ```
    public mutating func permutation(_ count: Int) -> [Int] {
        precondition(count >= 0, "permutation(_:) needs a count >= 0, got \(count)")
        var order = Array(0..<count)
        shuffle(&order)
        return order
    }
}
