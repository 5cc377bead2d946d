import AnnealJSON
import Testing
@testable import AnnealOptim

/// An op whose Python scalar is out of float32's range raises where PyTorch's
/// does (`Kernels.float32Scalar`), and leaves the parameters and state as
/// PyTorch leaves them: the earlier parameters of the group updated, the
/// failing one's buffers as far as its ops got. Every case is this Python
/// (PyTorch 2.13, CPU), with `kind`, `options`, `key` and `value` per case:
///
/// ```python
/// a = torch.nn.Parameter(torch.tensor([0.5, -1.25, 3.0])); b = torch.nn.Parameter(torch.tensor([2.0, -0.75]))
/// opt = getattr(torch.optim, kind)([a, b], foreach=False, **options)
/// for p in (a, b): p.grad = (p.detach() - 1.0) * 0.5
/// opt.step()
/// opt.param_groups[0][key] = value
/// for p in (a, b): p.grad = (p.detach() - 1.0) * 0.5
/// opt.step()  # raises: print the error type, a, b and opt.state_dict()["state"]
/// ```
@Suite struct OverflowTests {
    struct Case: Sendable {
        var kind: OptimizerKind
        var options, key, value, error: String
        var a, b: [Double]
        var stateA, stateB: String

        init(
            _ kind: OptimizerKind, _ options: String, _ key: String, _ value: String, error: String, a: [Double],
            b: [Double], stateA: String, stateB: String
        ) {
            (self.kind, self.options, self.key, self.value, self.error) = (kind, options, key, value, error)
            (self.a, self.b, self.stateA, self.stateB) = (a, b, stateA, stateB)
        }
    }

    static let cases: [Case] = [
        Case(.sgd, "{\"lr\": 0.1, \"momentum\": 0.9, \"nesterov\": true}", "momentum", "1e+300", error: "RuntimeError",
             a: [0.5475000143051147, -1.0362499952316284, 2.809999942779541], b: [1.9049999713897705, -0.5837500095367432],
             stateA: "{\"momentum_buffer\": [-Infinity, -Infinity, Infinity]}", stateB: "{\"momentum_buffer\": [0.5, -0.875]}"),
        Case(.sgd, "{\"lr\": 0.1, \"momentum\": 0.9}", "dampening", "1e+300", error: "RuntimeError",
             a: [0.5249999761581421, -1.1375000476837158, 2.9000000953674316], b: [1.9500000476837158, -0.6625000238418579],
             stateA: "{\"momentum_buffer\": [-0.22499999403953552, -1.0124999284744263, 0.8999999761581421]}", stateB: "{\"momentum_buffer\": [0.5, -0.875]}"),
        Case(.sgd, "{\"lr\": 0.1, \"momentum\": 0.9, \"weight_decay\": 0.1}", "lr", "1e+300", error: "RuntimeError",
             a: [0.5199999809265137, -1.125, 2.869999885559082], b: [1.9299999475479126, -0.6549999713897705],
             stateA: "{\"momentum_buffer\": [-0.36800000071525574, -2.299999952316284, 2.3919997215270996]}", stateB: "{\"momentum_buffer\": [0.699999988079071, -0.949999988079071]}"),
        Case(.sgd, "{\"lr\": 0.1, \"momentum\": 0.9}", "weight_decay", "1e+300", error: "RuntimeError",
             a: [0.5249999761581421, -1.1375000476837158, 2.9000000953674316], b: [1.9500000476837158, -0.6625000238418579],
             stateA: "{\"momentum_buffer\": [-0.25, -1.125, 1.0]}", stateB: "{\"momentum_buffer\": [0.5, -0.875]}"),
        Case(.adam, "{\"lr\": 0.01, \"amsgrad\": true}", "lr", "1e+300", error: "RuntimeError",
             a: [0.5099999904632568, -1.2400000095367432, 2.990000009536743], b: [1.9900000095367432, -0.7400000095367432],
             stateA: "{\"step\": 2.0, \"exp_avg\": [-0.04700000211596489, -0.21325001120567322, 0.18950000405311584], \"exp_avg_sq\": [0.00012246250116731972, 0.002518759574741125, 0.00198902515694499], \"max_exp_avg_sq\": [0.00012246250116731972, 0.002518759574741125, 0.00198902515694499]}", stateB: "{\"step\": 1.0, \"exp_avg\": [0.05000000074505806, -0.08749999850988388], \"exp_avg_sq\": [0.0002500000118743628, 0.0007656250381842256], \"max_exp_avg_sq\": [0.0002500000118743628, 0.0007656250381842256]}"),
        Case(.adam, "{\"lr\": 0.01}", "weight_decay", "1e+300", error: "RuntimeError",
             a: [0.5099999904632568, -1.2400000095367432, 2.990000009536743], b: [1.9900000095367432, -0.7400000095367432],
             stateA: "{\"step\": 2.0, \"exp_avg\": [-0.02500000037252903, -0.11250000447034836, 0.10000000149011612], \"exp_avg_sq\": [6.25000029685907e-05, 0.0012656251201406121, 0.0010000000474974513]}", stateB: "{\"step\": 1.0, \"exp_avg\": [0.05000000074505806, -0.08749999850988388], \"exp_avg_sq\": [0.0002500000118743628, 0.0007656250381842256]}"),
        Case(.adam, "{\"lr\": 0.01}", "betas", "[1e+300, 0.999]", error: "RuntimeError",
             a: [0.5099999904632568, -1.2400000095367432, 2.990000009536743], b: [1.9900000095367432, -0.7400000095367432],
             stateA: "{\"step\": 2.0, \"exp_avg\": [-0.02500000037252903, -0.11250000447034836, 0.10000000149011612], \"exp_avg_sq\": [6.25000029685907e-05, 0.0012656251201406121, 0.0010000000474974513]}", stateB: "{\"step\": 1.0, \"exp_avg\": [0.05000000074505806, -0.08749999850988388], \"exp_avg_sq\": [0.0002500000118743628, 0.0007656250381842256]}"),
        Case(.adam, "{\"lr\": 0.01}", "betas", "[0.9, 1e+300]", error: "RuntimeError",
             a: [0.5099999904632568, -1.2400000095367432, 2.990000009536743], b: [1.9900000095367432, -0.7400000095367432],
             stateA: "{\"step\": 2.0, \"exp_avg\": [-0.04700000211596489, -0.21325001120567322, 0.18950000405311584], \"exp_avg_sq\": [Infinity, Infinity, Infinity]}", stateB: "{\"step\": 1.0, \"exp_avg\": [0.05000000074505806, -0.08749999850988388], \"exp_avg_sq\": [0.0002500000118743628, 0.0007656250381842256]}"),
        Case(.adam, "{\"lr\": 0.01, \"amsgrad\": true}", "betas", "[1.0, 0.999]", error: "ZeroDivisionError",
             a: [0.5099999904632568, -1.2400000095367432, 2.990000009536743], b: [1.9900000095367432, -0.7400000095367432],
             stateA: "{\"step\": 2.0, \"exp_avg\": [-0.02500000037252903, -0.11250000447034836, 0.10000000149011612], \"exp_avg_sq\": [0.00012246250116731972, 0.002518759574741125, 0.00198902515694499], \"max_exp_avg_sq\": [6.25000029685907e-05, 0.0012656251201406121, 0.0010000000474974513]}", stateB: "{\"step\": 1.0, \"exp_avg\": [0.05000000074505806, -0.08749999850988388], \"exp_avg_sq\": [0.0002500000118743628, 0.0007656250381842256], \"max_exp_avg_sq\": [0.0002500000118743628, 0.0007656250381842256]}"),
        Case(.adamW, "{\"lr\": 0.01, \"weight_decay\": 0.1}", "lr", "1e+38", error: "RuntimeError",
             a: [-5.09500023819021e+36, 1.238749941253866e+37, -2.986999842944223e+37], b: [1.9880000352859497, -0.7392500042915344],
             stateA: "{\"step\": 2.0, \"exp_avg\": [-0.04702499881386757, -0.21318751573562622, 0.18934999406337738], \"exp_avg_sq\": [0.00012258505739737302, 0.0025173600297421217, 0.0019860423635691404]}", stateB: "{\"step\": 1.0, \"exp_avg\": [0.05000000074505806, -0.08749999850988388], \"exp_avg_sq\": [0.0002500000118743628, 0.0007656250381842256]}"),
        Case(.adamW, "{\"lr\": 0.01, \"weight_decay\": 0.1}", "betas", "[1e+300, 0.999]", error: "RuntimeError",
             a: [0.5089905261993408, -1.2375112771987915, 2.984013080596924], b: [1.9880000352859497, -0.7392500042915344],
             stateA: "{\"step\": 2.0, \"exp_avg\": [-0.02500000037252903, -0.11250000447034836, 0.10000000149011612], \"exp_avg_sq\": [6.25000029685907e-05, 0.0012656251201406121, 0.0010000000474974513]}", stateB: "{\"step\": 1.0, \"exp_avg\": [0.05000000074505806, -0.08749999850988388], \"exp_avg_sq\": [0.0002500000118743628, 0.0007656250381842256]}"),
        Case(.rmsprop, "{\"lr\": 0.01, \"centered\": true, \"momentum\": 0.5}", "lr", "1e+300", error: "RuntimeError",
             a: [0.6005037426948547, -1.1494961977005005, 2.89949631690979], b: [1.8994961977005005, -0.6494961977005005],
             stateA: "{\"step\": 2.0, \"square_avg\": [0.001017743139527738, 0.024080520495772362, 0.018920214846730232], \"momentum_buffer\": [-11.348925590515137, -12.02096939086914, 11.999595642089844], \"grad_avg\": [-0.004472481086850166, -0.02188497968018055, 0.01939748041331768]}", stateB: "{\"step\": 1.0, \"square_avg\": [0.0024999999441206455, 0.007656250149011612], \"momentum_buffer\": [10.050375938415527, -10.05037784576416], \"grad_avg\": [0.004999999888241291, -0.008750000037252903]}"),
        Case(.rmsprop, "{\"lr\": 0.01, \"centered\": true}", "alpha", "1e+300", error: "RuntimeError",
             a: [0.6005037426948547, -1.1494961977005005, 2.89949631690979], b: [1.8994961977005005, -0.6494961977005005],
             stateA: "{\"step\": 2.0, \"square_avg\": [Infinity, Infinity, Infinity], \"grad_avg\": [-0.0024999999441206455, -0.011249999515712261, 0.009999999776482582]}", stateB: "{\"step\": 1.0, \"square_avg\": [0.0024999999441206455, 0.007656250149011612], \"grad_avg\": [0.004999999888241291, -0.008750000037252903]}"),
        Case(.rmsprop, "{\"lr\": 0.01, \"momentum\": 0.5}", "weight_decay", "1e+300", error: "RuntimeError",
             a: [0.5999999642372131, -1.149999976158142, 2.9000000953674316], b: [1.899999976158142, -0.6500000357627869],
             stateA: "{\"step\": 2.0, \"square_avg\": [0.0006249999860301614, 0.012656249105930328, 0.009999999776482582], \"momentum_buffer\": [-9.999996185302734, -10.0, 9.999999046325684]}", stateB: "{\"step\": 1.0, \"square_avg\": [0.0024999999441206455, 0.007656250149011612], \"momentum_buffer\": [9.999998092651367, -9.999999046325684]}"),
    ]

    @Test(arguments: cases)
    func raisesWithPyTorchsState(_ c: Case) throws {
        let a = threeValues()
        let b = Parameter(Tensor([2.0, -0.75]))
        let options = try #require(try JSONValue.parse(c.options).objectValue)
        let optimizer = try makeOptimizer(c.kind, groups: [ParameterGroup(parameters: [a, b])], options: options)
        try run(optimizer, [a, b], steps: 1)
        optimizer.paramGroups[0][c.key] = try JSONValue.parse(c.value)
        let error = pythonError { try run(optimizer, [a, b], steps: 1) }
        #expect(error?.type == c.error)
        #expect(bits(a.value.scalars) == bits(float32(c.a)))
        #expect(bits(b.value.scalars) == bits(float32(c.b)))
        let state = { (p: Parameter) -> JSONValue? in
            (optimizer as? SGD)?.state(of: p).map(JSONValue.object) ?? (optimizer as? Adam)?.state(of: p).map(JSONValue.object)
                ?? (optimizer as? RMSprop)?.state(of: p).map(JSONValue.object)
        }
        #expect(state(a) == (try JSONValue.parse(c.stateA)))
        #expect(state(b) == (try JSONValue.parse(c.stateB)))
    }
}
