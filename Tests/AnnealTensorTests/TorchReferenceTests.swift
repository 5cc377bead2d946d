import AnnealTensor
import Testing

/// Forward and backward passes against PyTorch 2.13 on the same weights
/// (ReferenceCases.generated.swift, from make_reference.py). Float32 sums
/// run in another order than PyTorch's BLAS, so values agree to a few ULPs
/// of the largest magnitude, not bit for bit.
@Suite("PyTorch reference passes")
struct TorchReferenceTests {
    @Test(arguments: torchMLPCases)
    func forwardAndBackwardMatchPyTorch(_ c: TorchMLPCase) {
        let model = c.model()
        let x = Tensor(shape: [c.batch, c.sizes[0]], scalars: c.input)
        let output = model(x)
        expectClose(output.scalars, c.output, "output")
        let loss: Float
        let gradient: Tensor
        switch c.kind {
        case .mse:
            (loss, gradient) = MSELoss().lossAndGradient(output, Tensor(shape: output.shape, scalars: c.target))
        case .classes:
            (loss, gradient) = CrossEntropyLoss().lossAndGradient(output, classes: c.classes)
        case .probabilities:
            (loss, gradient) = CrossEntropyLoss().lossAndGradient(
                output, probabilities: Tensor(shape: output.shape, scalars: c.target))
        }
        expectClose([loss], [c.loss], "loss")
        let inputGradient = model.backward(gradient)
        let parameters = model.parameters()
        #expect(parameters.count == c.gradients.count)
        for (parameter, expected) in zip(parameters, c.gradients) {
            expectClose(parameter.grad!.scalars, expected, parameter.name!)
        }
        expectClose(inputGradient.scalars, c.inputGradient, "input gradient")
    }
}
