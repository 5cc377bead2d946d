import AnnealTensor
import Testing

/// Backward passes against central finite differences of the same network
/// evaluated in `Double`.
@Suite("Gradients by finite differences")
struct GradientTests {
    struct Case: Sendable, CustomTestStringConvertible {
        enum Loss: Sendable { case mse, classes, probabilities }
        let sizes: [Int]
        let finalReLU: Bool
        let loss: Loss
        let batch: Int
        let seed: UInt64
        var testDescription: String { "\(sizes.map(String.init).joined(separator: "-")) \(loss) batch \(batch) seed \(seed)" }
    }

    static let cases: [Case] = [
        Case(sizes: [3, 4, 2], finalReLU: false, loss: .mse, batch: 3, seed: 1),
        Case(sizes: [1, 32, 10, 1], finalReLU: true, loss: .mse, batch: 2, seed: 11),
        Case(sizes: [10, 8, 1], finalReLU: false, loss: .mse, batch: 5, seed: 3),
        Case(sizes: [4, 6, 3], finalReLU: false, loss: .classes, batch: 4, seed: 4),
        Case(sizes: [2, 5, 5, 4], finalReLU: false, loss: .probabilities, batch: 3, seed: 5),
    ]

    @Test(arguments: cases)
    func analyticGradientsMatchFiniteDifferences(_ c: Case) {
        var rng = Xoshiro256StarStar(seed: c.seed)
        var modules: [any Module] = []
        for layer in 0..<(c.sizes.count - 1) {
            modules.append(Linear(inFeatures: c.sizes[layer], outFeatures: c.sizes[layer + 1], using: &rng))
            if layer < c.sizes.count - 2 || c.finalReLU { modules.append(ReLU()) }
        }
        let model = Sequential(modules)
        let x = Tensor.normal([c.batch, c.sizes[0]], using: &rng)
        let outputs = c.sizes.last!
        let target: Tensor
        var classes: [Int] = []
        switch c.loss {
        case .mse: target = Tensor.normal([c.batch, outputs], using: &rng)
        case .classes:
            classes = (0..<c.batch).map { _ in rng.int(below: outputs) }
            target = Tensor(shape: [c.batch, outputs]) { t in
                for i in 0..<t.count { t[i] = i % outputs == classes[i / outputs] ? 1 : 0 }
            }
        case .probabilities:
            let raw = Tensor.uniform([c.batch, outputs], 0.1, 1, using: &rng)
            target = raw / raw.sum(alongAxis: 1).reshaped([-1, 1])
        }

        // Analytic gradients (float32).
        let output = model(x)
        let gradient: Tensor
        switch c.loss {
        case .mse: gradient = MSELoss().lossAndGradient(output, target).gradient
        case .classes: gradient = CrossEntropyLoss().lossAndGradient(output, classes: classes).gradient
        case .probabilities: gradient = CrossEntropyLoss().lossAndGradient(output, probabilities: target).gradient
        }
        let inputGradient = model.backward(gradient)

        // The same function in Double.
        let reference = DoubleMLP(model, finalReLU: c.finalReLU)
        let targetRows = rows(target.scalars, width: outputs)
        func loss(_ net: DoubleMLP, _ input: [[Double]]) -> (Double, Double) {
            let (out, kink) = net.forward(input)
            return (c.loss == .mse ? doubleMSE(out, targetRows) : doubleCrossEntropy(out, targetRows), kink)
        }
        let h = 1e-6
        let inputRows = rows(x.scalars, width: c.sizes[0])
        #expect(loss(reference, inputRows).1 > 1e-4, "a ReLU input too close to 0 for a finite difference")

        func check(_ analytic: Float, _ plus: Double, _ minus: Double, _ what: String) {
            let numeric = (plus - minus) / (2 * h)
            #expect(
                abs(Double(analytic) - numeric) <= 1e-4 * max(1, abs(numeric)),
                "\(what): analytic \(analytic), numeric \(numeric)")
        }
        let linears = model.children.compactMap { $0.module as? Linear }
        for (layer, linear) in linears.enumerated() {
            let weightGradient = linear.weight.grad!.scalars
            for o in 0..<linear.outFeatures {
                for i in 0..<linear.inFeatures {
                    var up = reference
                    var down = reference
                    up.weights[layer][o][i] += h
                    down.weights[layer][o][i] -= h
                    check(
                        weightGradient[o * linear.inFeatures + i], loss(up, inputRows).0, loss(down, inputRows).0,
                        "layer \(layer) weight[\(o), \(i)]")
                }
                var up = reference
                var down = reference
                up.biases[layer][o] += h
                down.biases[layer][o] -= h
                check(linear.bias!.grad!.scalars[o], loss(up, inputRows).0, loss(down, inputRows).0, "layer \(layer) bias[\(o)]")
            }
        }
        for r in 0..<c.batch {
            for i in 0..<c.sizes[0] {
                var up = inputRows
                var down = inputRows
                up[r][i] += h
                down[r][i] -= h
                check(inputGradient.scalars[r * c.sizes[0] + i], loss(reference, up).0, loss(reference, down).0, "input[\(r), \(i)]")
            }
        }
    }

    /// A second backward pass before zeroing adds to the gradients, as in PyTorch.
    @Test(arguments: [true, false])
    func gradientsAccumulateUntilZeroed(_ setToNone: Bool) {
        var rng = Xoshiro256StarStar(seed: 8)
        let model = Sequential([Linear(inFeatures: 3, outFeatures: 4, using: &rng), ReLU(), Linear(inFeatures: 4, outFeatures: 1, using: &rng)])
        let x = Tensor.normal([5, 3], using: &rng)
        let y = Tensor.normal([5, 1], using: &rng)
        func pass() { model.backward(MSELoss().lossAndGradient(model(x), y).gradient) }
        pass()
        let once = model.parameters().map { $0.grad! }
        pass()
        for (parameter, single) in zip(model.parameters(), once) {
            #expect(parameter.grad! == single * 2, "\(parameter.name!)")
        }
        model.zeroGrad(setToNone: setToNone)
        for parameter in model.parameters() {
            if setToNone {
                #expect(parameter.grad == nil)
            } else {
                #expect(parameter.grad! == Tensor.zeros(parameter.value.shape))
            }
        }
        pass()
        for (parameter, single) in zip(model.parameters(), once) {
            #expect(parameter.grad! == single, "\(parameter.name!) after zeroGrad(setToNone: \(setToNone))")
        }
    }
}
