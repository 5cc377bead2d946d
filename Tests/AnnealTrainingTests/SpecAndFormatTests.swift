import Anneal
import AnnealSpec
import AnnealTraining
import Testing

@Suite("Training spec and formatting")
struct SpecAndFormatTests {
    @Test func bareAndTraceSpecsAreRead() throws {
        let bare = try TrainingSpec(json: [
            "optimizer": ["type": "AdamW", "options": ["lr": 0.001]],
            "scheduler": [["type": "LinearLR", "args": [:]], ["type": "ExponentialLR", "args": ["gamma": 0.9]]],
        ])
        #expect(bare.optimizer.kind == .adamW)
        #expect(bare.schedulers.map(\.type) == ["LinearLR", "ExponentialLR"])
        let trace = try TrainingSpec(json: [
            "format": "anneal-trace/1", "name": "t", "optimizer": ["type": "SGD", "options": ["lr": 0.1]],
            "script": [["op": "step", "repeat": 3]],
        ])
        #expect(trace.optimizer.kind == .sgd && trace.schedulers.isEmpty)
    }

    static let invalid: [(JSONValue, String)] = [
        (JSONValue.array([]), ""),
        (["scheduler": ["type": "StepLR", "args": ["step_size": 1]]], "optimizer"),
        (["optimizer": ["type": "SGD"], "epochs": 3], "epochs"),
        (["optimizer": ["type": "SparseAdam"]], "optimizer.type"),
        (["optimizer": ["type": "SGD", "param_groups": [["lr": 0.1], ["lr": 0.2]]]], "optimizer.param_groups"),
        (["optimizer": ["type": "SGD"], "scheduler": ["type": "NoSuchLR"]], "scheduler.type"),
    ]

    @Test(arguments: invalid)
    func invalidSpecsNameThePlace(_ json: JSONValue, _ location: String) {
        #expect {
            _ = try TrainingSpec(json: json)
        } throws: { error in
            (error as? SpecError)?.location == location
        }
    }

    @Test(arguments: [
        (0.001, 5, "0.00100"), (0.0001, 5, "0.00010"), (1.0000000000000002e-05, 5, "0.00001"),
        (1.0000000000000002e-06, 5, "0.00000"), (0.0993908270190958, 6, "0.099391"), (0.125, 2, "0.12"),
        (0.375, 2, "0.38"), (2.5, 0, "2"), (-1.5, 1, "-1.5"), (8.15594, 4, "8.1559"),
    ])
    func fixedFormatsAsPython(_ value: Double, _ digits: Int, _ expected: String) {
        #expect(fixed(value, digits: digits) == expected)
    }

    @Test func zeroPadding() {
        #expect(zeroPadded(7, width: 2) == "07")
        #expect(zeroPadded(20, width: 2) == "20")
        #expect(zeroPadded(123, width: 2) == "123")
        #expect(zeroPadded(-3, width: 3) == "-03")
    }
}
