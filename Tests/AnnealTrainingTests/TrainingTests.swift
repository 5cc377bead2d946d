import Anneal
import AnnealSpec
import AnnealTensor
import AnnealTraining
import Testing

@Suite("Training loop")
struct TrainingTests {
    static func spec(_ json: JSONValue) throws -> TrainingSpec { try TrainingSpec(json: json) }

    static let stepLR: JSONValue = [
        "optimizer": ["type": "AdamW", "options": ["lr": 0.001]],
        "scheduler": ["type": "StepLR", "args": ["step_size": 5, "gamma": 0.1]],
    ]

    /// The first document prints `Epoch N: LR = ...` for AdamW(lr=1e-3) and StepLR(5, 0.1).
    @Test func firstDocumentLearningRates() throws {
        let experiment = Experiment.seed1
        var rng = Xoshiro256StarStar(seed: 0)
        let trainer = try Trainer(
            model: experiment.model(using: &rng), dataset: experiment.dataset(using: &rng), batchSize: 2,
            spec: try Self.spec(Self.stepLR), rng: rng
        ) { try hyperparametersOnly(.adamW, lr: 0.001, count: $0.count) }
        let lines = try trainer.train(epochs: 20).map { "Epoch \($0.epoch): LR = \(fixed($0.lr, digits: 5))" }
        let document = (1...20).map { epoch in
            "Epoch \(epoch): LR = " + (epoch < 5 ? "0.00100" : epoch < 10 ? "0.00010" : epoch < 15 ? "0.00001" : "0.00000")
        }
        #expect(lines == document)
    }

    /// The first document's setup end to end with AnnealOptim's AdamW: the
    /// document's rates, and a loss that falls. Seed 3 because the
    /// document's model ends in a ReLU: for seed 0 (and about 40% of
    /// initializations, in PyTorch too) every output is 0 at the start, no
    /// gradient flows, and the loss never moves.
    @Test func firstDocumentWithAdamW() throws {
        let spec = try Self.spec(Self.stepLR)
        let live = try Trainer(experiment: .seed1, spec: spec, seed: 3).train(epochs: 20)
        #expect(live.map { fixed($0.lr, digits: 5) }[0..<5] == ["0.00100", "0.00100", "0.00100", "0.00100", "0.00010"])
        #expect(live.allSatisfy { $0.loss.isFinite })
        #expect(live.last!.loss < live.first!.loss)
        let dead = try Trainer(experiment: .seed1, spec: spec, seed: 0).train(epochs: 3)
        #expect(Set(dead.map(\.loss)).count == 1, "the output ReLU is 0 for every input")
    }

    /// The third document's built-in run: CosineAnnealingLR(T_max=20, eta_min=1e-3) on SGD(lr=0.1).
    @Test func thirdDocumentLearningRates() throws {
        let spec = try Self.spec([
            "optimizer": ["type": "SGD", "options": ["lr": 0.1]],
            "scheduler": ["type": "CosineAnnealingLR", "args": ["T_max": 20, "eta_min": 0.001]],
        ])
        var rng = Xoshiro256StarStar(seed: 7)
        let dataset = Experiment.seed3.dataset(using: &rng)
        let model = Experiment.seed3.model(using: &rng)
        let trainer = try Trainer(model: model, dataset: dataset, batchSize: 512, spec: spec, rng: rng) {
            try PlainSGD($0, lr: 0.1)
        }
        let records = try trainer.train(epochs: 20)
        let document = [
            "0.099391", "0.097577", "0.094605", "0.090546", "0.085502", "0.079595", "0.072973", "0.065796", "0.058244",
            "0.050500", "0.042756", "0.035204", "0.028027", "0.021405", "0.015498", "0.010454", "0.006395", "0.003423",
            "0.001609", "0.001000",
        ]
        #expect(records.map { fixed($0.lr, digits: 6) } == document)
        // The loss falls as the document's does (8.16 → 0.15 there, with PyTorch's random data).
        #expect(records.last!.loss < records.first!.loss / 10)
        #expect(Experiment.seed3.logLine(records[0]).hasPrefix("epoch 01 | lr=0.099391 | loss="))
    }

    /// The trainer does what the document's loop does, batch by batch.
    @Test func oneEpochEqualsTheHandWrittenLoop() throws {
        var rng = Xoshiro256StarStar(seed: 5)
        let dataset = Experiment.seed1.dataset(using: &rng)
        var first = rng
        var second = rng
        let model = Experiment.seed1.model(using: &first)
        let reference = Experiment.seed1.model(using: &second)
        let spec = try Self.spec(["optimizer": ["type": "SGD", "options": ["lr": 1e-4]]])
        let trainer = try Trainer(model: model, dataset: dataset, batchSize: 2, spec: spec, rng: first) {
            try PlainSGD($0, lr: 1e-4)
        }
        let record = try trainer.trainEpoch()

        let sgd = try PlainSGD(reference.parameters(), lr: 1e-4)
        var losses: [Double] = []
        for start in stride(from: 0, to: 20, by: 2) {
            let x = dataset.inputs.rows(start..<start + 2)
            let y = dataset.targets.rows(start..<start + 2)
            reference.zeroGrad()
            let (loss, gradient) = MSELoss().lossAndGradient(reference(x), y)
            reference.backward(gradient)
            try sgd.step()
            losses.append(Double(loss))
        }
        #expect(record.loss == losses.reduce(0, +) / 10)
        for (trained, expected) in zip(model.parameters(), reference.parameters()) {
            #expect(trained.value == expected.value, "\(trained.name!)")
        }
        #expect(record.epoch == 1 && record.lr == 1e-4)
    }

    /// ReduceLROnPlateau steps with the epoch's mean loss: with parameters
    /// that never change the loss never improves, so every epoch after the
    /// first is bad and (patience 0) cuts the rate.
    @Test func plateauStepsWithTheEpochLoss() throws {
        let spec = try Self.spec([
            "optimizer": ["type": "SGD", "options": ["lr": 0.1]],
            "scheduler": ["type": "ReduceLROnPlateau", "args": ["patience": 0, "factor": 0.5]],
        ])
        var rng = Xoshiro256StarStar(seed: 1)
        let trainer = try Trainer(
            model: Experiment.seed1.model(using: &rng), dataset: Experiment.seed1.dataset(using: &rng), batchSize: 2,
            spec: spec, rng: rng
        ) { try hyperparametersOnly(.sgd, lr: 0.1, count: $0.count) }
        let records = try trainer.train(epochs: 4)
        #expect(records.map(\.lr) == [0.1, 0.05, 0.025, 0.0125])
        #expect(Set(records.map(\.loss)).count == 1)
    }

    /// Shuffled epochs draw their order from the trainer's generator:
    /// restoring its saved state replays the same order and the same updates.
    @Test func shuffledRunsResumeExactly() throws {
        let spec = try Self.spec(["optimizer": ["type": "SGD", "options": ["lr": 1e-4]]])
        func make(_ rng: Xoshiro256StarStar, _ values: [Tensor]? = nil) throws -> Trainer {
            var rng = rng
            let dataset = Experiment.seed1.dataset(using: &rng)
            let model = Experiment.seed1.model(using: &rng)
            if let values { for (p, v) in zip(model.parameters(), values) { p.value = v } }
            return try Trainer(model: model, dataset: dataset, batchSize: 2, spec: spec, rng: rng, shuffle: true) {
                try PlainSGD($0, lr: 1e-4)
            }
        }
        let straight = try make(Xoshiro256StarStar(seed: 3))
        let all = try straight.train(epochs: 4)

        let interrupted = try make(Xoshiro256StarStar(seed: 3))
        _ = try interrupted.train(epochs: 2)
        let savedState = interrupted.rng.state
        let savedValues = interrupted.model.parameters().map(\.value)
        let resumed = try make(Xoshiro256StarStar(seed: 3), savedValues)
        resumed.rng.state = savedState
        let rest = try resumed.train(epochs: 2)
        #expect(rest.map(\.loss) == all[2...].map(\.loss))
        for (a, b) in zip(resumed.model.parameters(), straight.model.parameters()) { #expect(a.value == b.value) }
    }

    @Test func datasetBatches() {
        let data = Dataset(inputs: Tensor(rows: [[0], [1], [2], [3], [4]]), targets: Tensor(rows: [[0], [1], [4], [9], [16]]))
        #expect(data.batches(size: 2) == [0..<2, 2..<4, 4..<5])
        #expect(data.batch(2..<4, order: nil).targets == Tensor(rows: [[4], [9]]))
        #expect(data.batch(0..<2, order: [4, 0, 1, 2, 3]).inputs == Tensor(rows: [[4], [0]]))
    }

    @Test func firstDocumentData() {
        var rng = Xoshiro256StarStar(seed: 0)
        let data = Experiment.seed1.dataset(using: &rng)
        #expect(data.count == 20)
        #expect(data.inputs.rows(3..<4).item == 1.5)
        #expect(data.targets.rows(3..<4).item == Float(1.5).firstDocumentLabel)
        #expect(rng == Xoshiro256StarStar(seed: 0), "the first document's data is not random")
    }
}

extension Float {
    /// `sin(x) + x²` in float32, as the first document's labels.
    fileprivate var firstDocumentLabel: Float { Tensor([self]).sin().item + self * self }
}
