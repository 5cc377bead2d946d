import Anneal
import Foundation
import Testing

/// The generator (`Scripts/goldens.py`) and the registry must name the same
/// scheduler types, with the same metadata: a type PyTorch records goldens
/// for that Anneal cannot build, or the reverse, fails here by name.
@Suite("Scheduler registry")
struct RegistryTests {
    /// `Scripts/goldens.py`, found from this file.
    static let generator: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("Scripts/goldens.py"), encoding: .utf8)) ?? ""
    }()

    /// The quoted names in the generator's `NAME = {...}` or `NAME = (...)`.
    static func quotedNames(in assignment: String) -> [String] {
        guard let start = generator.range(of: "\n\(assignment) = ") else { return [] }
        let rest = generator[start.upperBound...]
        guard let close = rest.firstIndex(where: { $0 == "}" || $0 == ")" }) else { return [] }
        var names: [String] = []
        for line in rest[..<close].split(separator: "\n") {
            // `"StepLR": lr_scheduler.StepLR,` in the dict; `("A", "B")` in a tuple.
            let parts = line.split(separator: "\"", omittingEmptySubsequences: false)
            for index in stride(from: 1, to: parts.count, by: 2) { names.append(String(parts[index])) }
        }
        return names
    }

    @Test("The generator's scheduler classes are the registry's names")
    func generatorClassesMatchRegistry() {
        #expect(!Self.generator.isEmpty, "Scripts/goldens.py was not found or not readable")
        let generated = Set(Self.quotedNames(in: "SCHEDULER_CLASSES"))
        // The built-ins: `shared` may also hold what other tests in this
        // process registered (AnnealExtensionTests).
        let builtIns = SchedulerRegistry(SchedulerRegistry.builtIns)
        let registered = builtIns.names
        #expect(SchedulerRegistry.shared.names.isSuperset(of: registered))
        #expect(generated.count == 16, "SCHEDULER_CLASSES as read: \(generated.sorted())")
        #expect(
            generated == registered,
            "only in goldens.py: \(generated.subtracting(registered).sorted()); only in the registry: \(registered.subtracting(generated).sorted())")
    }

    @Test("Children and last_epoch as the generator treats them")
    func generatorMetadataMatchesRegistry() throws {
        let nested = Set(Self.quotedNames(in: "NESTED_TYPES"))
        let noLastEpoch = Set(Self.quotedNames(in: "NO_LAST_EPOCH_ARG"))
        #expect(!nested.isEmpty && !noLastEpoch.isEmpty)
        let builtIns = SchedulerRegistry(SchedulerRegistry.builtIns)
        for name in builtIns.names.sorted() {
            let entry = try #require(builtIns.entry(named: name))
            #expect(entry.takesChildSchedulers == nested.contains(name), "\(name): takesChildSchedulers")
            #expect(entry.takesLastEpoch == !noLastEpoch.contains(name), "\(name): takesLastEpoch")
        }
    }
}
