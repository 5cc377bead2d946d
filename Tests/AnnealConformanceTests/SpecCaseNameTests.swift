import AnnealJSON
import AnnealSpec
import Testing

// A spec's `optimizer.type` and `script[i].op` name cases of an enum; an
// unknown name is an error at that key listing every case in order.

@Suite("Spec case names")
struct SpecCaseNameTests {
    static func spec(optimizer: String = "SGD", op: String = "step") -> JSONValue {
        ["format": "anneal-trace/1", "name": "t", "optimizer": ["type": .string(optimizer)], "script": [["op": .string(op)]]]
    }

    @Test func knownNamesAreRead() throws {
        let spec = try TraceSpec(json: Self.spec(optimizer: "AdamW", op: "step"))
        #expect(spec.optimizer.kind == .adamW)
        #expect(spec.script.map(\.kind) == [.step])
    }

    @Test(arguments: [
        (spec(optimizer: "SDG"), "optimizer.type",
         "unknown optimizer \"SDG\" (expected one of SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam, ASGD, Rprop, Adafactor)"),
        (spec(op: "jump"), "script[0].op",
         "unknown op \"jump\" (expected one of step, optimizer_step, scheduler_step, set_lr, state_dict, reload, rebuild, step_update)"),
    ])
    func unknownNamesListTheCases(_ json: JSONValue, _ location: String, _ message: String) {
        #expect(throws: SpecError(location: location, message: message)) {
            _ = try TraceSpec(json: json)
        }
    }
}
