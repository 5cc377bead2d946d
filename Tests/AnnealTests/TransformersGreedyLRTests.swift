import Anneal
import Testing

/// transformers' `GreedyLR`, against transformers 5.23.0 (values printed by
/// `GreedyLR(SGD([p], lr=0.1), ...)` stepped with `optimizer.step();
/// scheduler.step(metric)`).
@Suite("Transformers GreedyLR")
struct TransformersGreedyLRTests {
    @Test("smooth: the state dict in transformers' key order, with _streaming_avg")
    func smoothState() throws {
        let optimizer = try sgd(0.1)
        let scheduler = try GreedyLR(optimizer: optimizer, patience: 1, smooth: true, windowSize: 3)
        for metric in [1.0, 0.8, 0.9, 0.7] {
            try optimizer.step()
            try scheduler.step(.metric(metric, epoch: nil))
        }
        // transformers: {'factor': 0.95, 'min_lrs': [0.001], 'max_lrs': [1.0], 'patience': 1, 'verbose': False,
        // 'cooldown': 0, 'warmup': 0, 'cooldown_counter': 0, 'warmup_counter': 0, 'mode': 'min',
        // 'threshold': 1e-06, 'threshold_mode': 'abs', 'best': 0.8000000000000002, 'num_bad_epochs': 0,
        // 'num_good_epochs': 1, 'eps': 1e-08, 'last_epoch': 4, 'smooth': True, 'window_size': 3,
        // 'reset_start': 500, 'reset_start_original': 500, '_last_lr': [0.10526315789473685],
        // '_init_lrs': [0.1], '_streaming_avg': {'window_size': 3, 'values': [0.8, 0.9, 0.7],
        // 'sum': 2.4000000000000004}}
        let state = try #require(scheduler.stateDict().objectValue)
        #expect(state.keys == [
            "factor", "min_lrs", "max_lrs", "patience", "verbose", "cooldown", "warmup", "cooldown_counter",
            "warmup_counter", "mode", "threshold", "threshold_mode", "best", "num_bad_epochs", "num_good_epochs",
            "eps", "last_epoch", "smooth", "window_size", "reset_start", "reset_start_original", "_last_lr",
            "_init_lrs", "_streaming_avg",
        ])
        #expect(state["best"] == .double(0.8000000000000002))
        #expect(state["num_good_epochs"] == .int(1))
        #expect(state["_last_lr"] == .array([.double(0.10526315789473685)]))
        #expect(
            state["_streaming_avg"]
                == .object(["window_size": .int(3), "values": [0.8, 0.9, 0.7], "sum": .double(2.4000000000000004)]))

        // Loading sets the groups' rates to _last_lr, as transformers does.
        let other = try sgd(0.1)
        let reloaded = try GreedyLR(optimizer: other, patience: 1, smooth: true, windowSize: 3)
        try reloaded.loadStateDict(.object(state))
        #expect(other.paramGroups[0].lr == 0.10526315789473685)
        #expect(reloaded.stateDict() == .object(state))
        // A state without the window (smooth=False) is another configuration's.
        var plain = state
        _ = plain.removeValue(forKey: "_streaming_avg")
        expectPythonError("KeyError") { try reloaded.loadStateDict(.object(plain)) }
    }

    @Test("reset_start reductions at min_lr reset to the initial rates")
    func reset() throws {
        let optimizer = try sgd(0.1)
        let scheduler = try GreedyLR(optimizer: optimizer, factor: 0.5, patience: 0, minLR: 0.02, resetStart: 2)
        var rates: [Double] = []
        for _ in 0..<8 {
            try optimizer.step()
            try scheduler.step(.metric(1.0, epoch: nil))
            rates.append(optimizer.paramGroups[0].lr)
        }
        // transformers: [0.2, 0.1, 0.05, 0.025, 0.02, 0.1, 0.2, 0.1], reset_start 2
        expectClose(rates, [0.2, 0.1, 0.05, 0.025, 0.02, 0.1, 0.2, 0.1])
        #expect(scheduler.resetStart == 2)
    }

    @Test("transformers' argument errors")
    func errors() throws {
        expectPythonError("ValueError", "Factor should be < 1.0.") { _ = try GreedyLR(optimizer: try sgd(0.1), factor: 1.0) }
        expectPythonError("ValueError", "mode median is unknown!") { _ = try GreedyLR(optimizer: try sgd(0.1), mode: "median") }
        expectPythonError("ValueError", "expected 1 min_lrs, got 2") {
            _ = try GreedyLR(optimizer: try sgd(0.1), minLR: [0.1, 0.2])
        }
        let scheduler = try GreedyLR(optimizer: try sgd(0.1))
        expectPythonError("TypeError") { try scheduler.step(.next) }
        #expect(scheduler.stepSignature == .metrics)
    }
}
