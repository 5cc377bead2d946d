import AnnealTensor
import Testing

@Suite("Modules")
struct ModuleTests {
    /// The first document's model: `fc1`, `fc2`, `fc3` with a ReLU after each.
    static func documentModel(_ rng: inout Xoshiro256StarStar) -> Sequential {
        Sequential(named: [
            ("fc1", Linear(inFeatures: 1, outFeatures: 32, using: &rng)), ("relu1", ReLU()),
            ("fc2", Linear(inFeatures: 32, outFeatures: 10, using: &rng)), ("relu2", ReLU()),
            ("fc3", Linear(inFeatures: 10, outFeatures: 1, using: &rng)), ("relu3", ReLU()),
        ])
    }

    @Test func parametersInPyTorchOrderWithNames() {
        var rng = Xoshiro256StarStar(seed: 0)
        let model = Self.documentModel(&rng)
        let names = ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"]
        #expect(model.parameters().map(\.name) == names)
        #expect(model.namedParameters().map(\.name) == names)
        #expect(model.parameters().map(\.value.shape) == [[32, 1], [32], [10, 32], [10], [1, 10], [1]])

        let numbered = Sequential([Linear(inFeatures: 10, outFeatures: 32, using: &rng), ReLU(), Linear(inFeatures: 32, outFeatures: 1, using: &rng)])
        #expect(numbered.parameters().map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        let nested = Sequential(named: [("encoder", numbered), ("head", Linear(inFeatures: 1, outFeatures: 1, bias: false, using: &rng))])
        #expect(nested.parameters().map(\.name) == ["encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias", "head.weight"])
    }

    /// PyTorch's default: U(-1/sqrt(in), 1/sqrt(in)) for weights and biases.
    @Test(arguments: [1, 10, 32])
    func linearInitializationBounds(_ inFeatures: Int) {
        var rng = Xoshiro256StarStar(seed: UInt64(inFeatures))
        let layer = Linear(inFeatures: inFeatures, outFeatures: 200, using: &rng)
        let bound = Float(1 / Double(inFeatures).squareRoot())
        for values in [layer.weight.value.scalars, layer.bias!.value.scalars] {
            #expect(values.allSatisfy { abs($0) <= bound })
            #expect(values.map(abs).max()! > bound * 0.9, "the whole interval is used")
        }
        // The draws are the generator's, weights first, then the bias.
        var replay = Xoshiro256StarStar(seed: UInt64(inFeatures))
        #expect(layer.weight.value == Tensor.uniform([200, inFeatures], -bound, bound, using: &replay))
        #expect(layer.bias!.value == Tensor.uniform([200], -bound, bound, using: &replay))
    }

    @Test func linearForwardIsAnAffineMap() {
        let layer = Linear(weight: Tensor(rows: [[1, 2], [3, 4], [5, 6]]), bias: Tensor([0.5, 0, -0.5]))
        #expect(layer(Tensor(rows: [[1, 1], [0, 2]])) == Tensor(rows: [[3.5, 7, 10.5], [4.5, 8, 11.5]]))
        let noBias = Linear(weight: Tensor(rows: [[2]]), bias: nil)
        #expect(noBias(Tensor(rows: [[3]])) == Tensor(rows: [[6]]))
        #expect(noBias.parameters().count == 1)
    }

    @Test func reluPassesGradientOnlyWherePositive() {
        let relu = ReLU()
        #expect(relu(Tensor(rows: [[-1, 0, 2]])) == Tensor(rows: [[0, 0, 2]]))
        #expect(relu.backward(Tensor(rows: [[5, 5, 5]])) == Tensor(rows: [[0, 0, 5]]))
    }

    @Test func mseLoss() {
        let (loss, gradient) = MSELoss().lossAndGradient(Tensor([1, 3]), Tensor([0, 1]))
        #expect(loss == 2.5)
        #expect(gradient == Tensor([1, 2]))
        #expect(MSELoss()(Tensor([2]), Tensor([0])) == 4)
    }

    @Test func crossEntropyIsStable() {
        let ce = CrossEntropyLoss()
        #expect(abs(ce(Tensor(rows: [[0, 0]]), classes: [1]) - 0.693_147_2) < 1e-6)
        // Huge logits: the row maximum is subtracted first.
        let (loss, gradient) = ce.lossAndGradient(Tensor(rows: [[1000, 0], [0, 1000]]), classes: [0, 0])
        #expect(loss.isFinite && abs(loss - 500) < 1e-3)
        #expect(gradient.scalars.allSatisfy { $0.isFinite })
        #expect(abs(gradient.scalars[2] + 0.5) < 1e-6, "(softmax - onehot) / N for the wrong row")
    }

    /// The first document trains its regression with `nn.CrossEntropyLoss()`
    /// on `[N, 1]` outputs and float targets: PyTorch reads the targets as
    /// class probabilities over one class, `log_softmax` of one column is 0,
    /// and the loss and every gradient are 0 (PyTorch prints `-0.`): the
    /// model never changes. `MSELoss` is the loss it needs.
    @Test func crossEntropyOnOneColumnCannotFitARegression() {
        var rng = Xoshiro256StarStar(seed: 3)
        let model = Self.documentModel(&rng)
        let x = Tensor.arange(0, 1, step: 0.5).reshaped([-1, 1])
        let labels = x.sin() + x.squared()
        let (loss, gradient) = CrossEntropyLoss().lossAndGradient(model(x), probabilities: labels)
        #expect(loss == 0)
        #expect(gradient.scalars.allSatisfy { $0 == 0 })
        model.backward(gradient)
        #expect(model.parameters().allSatisfy { $0.grad!.scalars.allSatisfy { $0 == 0 } })
        let (mse, _) = MSELoss().lossAndGradient(model(x), labels)
        #expect(mse > 0)
    }

    @Test func zeroGradOnAParameter() {
        let p = Parameter(Tensor([1, 2]))
        p.accumulateGradient(Tensor([0.5, 0.5]))
        p.accumulateGradient(Tensor([0.5, 0.5]))
        #expect(p.grad == Tensor([1, 1]))
        p.zeroGrad(setToNone: false)
        #expect(p.grad == Tensor([0, 0]))
        p.zeroGrad()
        #expect(p.grad == nil)
    }
}
