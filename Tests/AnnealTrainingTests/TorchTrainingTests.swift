import Anneal
import AnnealTraining
import Testing

/// A PyTorch run started from Anneal's data and initial weights (TrainingReference.generated.swift).
struct TorchTrainingCase: Sendable, CustomTestStringConvertible {
    let name: String
    let experiment: Experiment
    let seed: UInt64
    /// The training spec, as JSON text.
    let spec: String
    /// Per epoch: the mean batch loss and `get_last_lr()[0]` after the scheduler step.
    let losses: [Double]
    let lrs: [Double]

    var testDescription: String { name }
}

/// Whole training runs against PyTorch 2.13 from the same starting point.
/// The rates must be PyTorch's to the bit; the losses agree to float32
/// rounding of the forward and backward passes (matrix products summed in
/// another order), which 20 epochs of training carry along but do not blow up.
@Suite("Training against PyTorch")
struct TorchTrainingTests {
    @Test(arguments: torchTrainingCases)
    func trainingMatchesPyTorch(_ c: TorchTrainingCase) throws {
        let spec = try TrainingSpec(json: try JSONValue.parse(c.spec))
        let records = try Trainer(experiment: c.experiment, spec: spec, seed: c.seed).train(epochs: c.losses.count)
        #expect(records.map(\.lr) == c.lrs)
        for (record, expected) in zip(records, c.losses) {
            #expect(
                abs(record.loss - expected) <= 2e-6 * abs(expected),
                "epoch \(record.epoch): loss \(record.loss), PyTorch \(expected)")
        }
    }
}
