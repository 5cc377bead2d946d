import Anneal
import Foundation
import Testing

/// The two recipes of `Examples/recipes/`, ported to Swift as the README
/// there shows, against the goldens the real packages recorded for them
/// (transformers 5.23.0's Trainer schedule, timm 1.0.31's ImageNet one):
/// every learning rate, bit for bit.
@Suite("Recipes")
struct RecipeTests {
    static let recipes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/recipes/golden")

    /// The first group's `lr` of every record of a golden.
    static func goldenRates(_ name: String) throws -> [Double] {
        let text = try String(contentsOf: recipes.appendingPathComponent(name), encoding: .utf8)
        let trace = try #require(try JSONValue.parse(text)["trace"]?.arrayValue)
        return try trace.map { try #require($0["lr"]?.arrayValue?.first?.doubleValue) }
    }

    @Test func huggingFaceTrainerCosine() throws {
        // TrainingArguments(learning_rate=5e-5, lr_scheduler_type="cosine", warmup_ratio=0.1, weight_decay=0.01)
        let trainingSteps = 1000
        let optimizer = try Optimizer(.adamW, options: ["lr": 5e-5, "weight_decay": 0.01])
        let scheduler = try Transformers.schedule(
            .cosine, optimizer: optimizer, warmupSteps: Int((0.1 * Double(trainingSteps)).rounded(.up)),
            trainingSteps: trainingSteps)
        var rates = [optimizer.paramGroups[0].lr]
        for _ in 0..<trainingSteps {
            try optimizer.step()
            try scheduler.step(.next)
            rates.append(optimizer.paramGroups[0].lr)
        }
        #expect(rates == (try Self.goldenRates("hf-trainer-cosine.json")))
    }

    @Test func timmImageNetCosinePerUpdate() throws {
        // train.py --sched cosine --sched-on-updates --warmup-epochs 5 --warmup-lr 1e-5 --min-lr 1e-6
        let (epochs, updatesPerEpoch) = (30, 20)
        let optimizer = try Optimizer(.sgd, options: ["lr": 0.4, "momentum": 0.9, "nesterov": true, "weight_decay": 2e-5])
        let scheduler = try Timm.CosineLRScheduler(
            optimizer: optimizer, tInitial: .int(epochs * updatesPerEpoch), lrMin: 1e-6,
            warmupT: .int(5 * updatesPerEpoch), warmupLRInit: 1e-5, tInEpochs: false)
        var rates = [optimizer.paramGroups[0].lr]
        var updates = 0
        for epoch in 0..<epochs {
            for _ in 0..<updatesPerEpoch {
                try optimizer.step()
                updates += 1
                try scheduler.step(.update(Epoch(updates), metric: nil))
                rates.append(optimizer.paramGroups[0].lr)
            }
            try scheduler.step(.epoch(Epoch(epoch + 1)))
            rates.append(optimizer.paramGroups[0].lr)
        }
        #expect(rates == (try Self.goldenRates("timm-imagenet-cosine.json")))
    }
}
