import AnnealTensor
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One PyTorch forward/backward pass on fixed weights (ReferenceCases.generated.swift).
struct TorchMLPCase: Sendable, CustomTestStringConvertible {
    enum Loss: Sendable { case mse, classes, probabilities }

    let name: String
    /// Layer widths, input first: `[3, 5, 4, 2]` is 3→5→4→2.
    let sizes: [Int]
    /// Whether a ReLU follows the last layer too (the first document's model).
    let finalReLU: Bool
    let kind: Loss
    /// Weight, bias, weight, bias, ... (row-major), PyTorch's `parameters()` order.
    let parameters: [[Float]]
    let input: [Float]
    let target: [Float]
    let classes: [Int]
    let output: [Float]
    let loss: Float
    let gradients: [[Float]]
    let inputGradient: [Float]

    var testDescription: String { name }

    var batch: Int { input.count / sizes[0] }

    /// The model with the case's weights, as `nn.Sequential` names it.
    func model() -> Sequential {
        var modules: [any Module] = []
        for layer in 0..<(sizes.count - 1) {
            let (n, m) = (sizes[layer], sizes[layer + 1])
            modules.append(
                Linear(
                    weight: Tensor(shape: [m, n], scalars: parameters[2 * layer]),
                    bias: Tensor(shape: [m], scalars: parameters[2 * layer + 1])))
            if layer < sizes.count - 2 || finalReLU { modules.append(ReLU()) }
        }
        return Sequential(modules)
    }
}

/// Expects `got` to match `expected` elementwise within `relative` of the
/// largest expected magnitude (at least 1): float32 sums in another order.
func expectClose(
    _ got: [Float], _ expected: [Float], relative: Float = 1e-6, _ context: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(got.count == expected.count, "\(context): \(got.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    let scale = max(1, expected.map(abs).max() ?? 0)
    for (index, (g, e)) in zip(got, expected).enumerated() {
        #expect(
            abs(g - e) <= relative * scale, "\(context)[\(index)]: expected \(e), got \(g) (difference \(abs(g - e)))",
            sourceLocation: sourceLocation)
    }
}

/// The same multilayer perceptron evaluated in `Double`, for finite differences.
struct DoubleMLP {
    /// Per layer: weight `[out][in]` and bias `[out]`.
    var weights: [[[Double]]]
    var biases: [[Double]]
    var finalReLU: Bool

    init(_ model: Sequential, finalReLU: Bool) {
        let linears = model.children.compactMap { $0.module as? Linear }
        weights = linears.map { layer in
            let w = layer.weight.value.scalars.map(Double.init)
            return (0..<layer.outFeatures).map { Array(w[$0 * layer.inFeatures..<($0 + 1) * layer.inFeatures]) }
        }
        biases = linears.map { $0.bias!.value.scalars.map(Double.init) }
        self.finalReLU = finalReLU
    }

    /// The outputs for `rows` inputs, and the smallest |pre-activation| that
    /// went through a ReLU (a finite difference straddling 0 would be wrong).
    func forward(_ input: [[Double]]) -> (output: [[Double]], nearestKink: Double) {
        var nearest = Double.infinity
        var x = input
        for layer in weights.indices {
            let applyReLU = layer < weights.count - 1 || finalReLU
            x = x.map { row in
                (0..<weights[layer].count).map { o in
                    var z = biases[layer][o]
                    for i in row.indices { z += weights[layer][o][i] * row[i] }
                    if applyReLU {
                        nearest = min(nearest, abs(z))
                        return max(z, 0)
                    }
                    return z
                }
            }
        }
        return (x, nearest)
    }
}

/// Mean squared error in `Double`.
func doubleMSE(_ output: [[Double]], _ target: [[Double]]) -> Double {
    var total = 0.0
    for (o, t) in zip(output.joined(), target.joined()) { total += (o - t) * (o - t) }
    return total / Double(output.joined().count)
}

/// Cross-entropy of logits against class probabilities (one-hot for class indices), in `Double`.
func doubleCrossEntropy(_ logits: [[Double]], _ probabilities: [[Double]]) -> Double {
    var total = 0.0
    for (row, target) in zip(logits, probabilities) {
        let m = row.max()!
        let lse = m + log(row.map { exp($0 - m) }.reduce(0, +))
        for (x, t) in zip(row, target) { total -= t * (x - lse) }
    }
    return total / Double(logits.count)
}

/// Splits a row-major buffer into rows of `width`.
func rows(_ flat: [Float], width: Int) -> [[Double]] {
    stride(from: 0, to: flat.count, by: width).map { flat[$0..<($0 + width)].map(Double.init) }
}
