import Testing

@testable import AnnealCheckpoint

#if canImport(Glibc)
import Glibc
#endif

/// `anneal checkpoint inspect` and `anneal checkpoint verify`: output and
/// exit statuses (0 valid, 64 bad arguments, 65 invalid input).
@Suite("anneal checkpoint")
struct CommandLineTests {
    func anneal(_ arguments: String...) throws -> ProcessResult {
        let executable = try #require(builtExecutable("anneal"), "anneal is not built beside the tests")
        return runProcess(executable, arguments)
    }

    @Test("inspect prints counters, optimizer, schedulers and tensors")
    func inspect() throws {
        let result = try anneal("checkpoint", "inspect", Fixture.valid.path)
        #expect(result.status == 0, "\(result.standardError)")
        let output = result.standardOutput
        for expected in [
            "Anneal checkpoint, format version 1, verified", "step 3, epoch 1", "model: 3 parameters, 12 elements",
            "optimizer: Adam, 1 param group", "group 0: 3 parameters, lr ", "state: 3 parameters with exp_avg, step, visits",
            "schedulers: 2", "0 StepLR: last_epoch 3, _last_lr [", "1 ExponentialLR:", "rng: xoshiro256** ",
            #"metadata: {"note": "sample", "seed": 7}"#, "    model.fc.weight        F32  [3, 2]  24 B\n",
            "    optim.state.0.step     F32  []      4 B\n",
        ] {
            #expect(output.contains(expected), "missing \(expected) in:\n\(output)")
        }
    }

    @Test("inspect of an invalid file: exit 65 with the file and the reason")
    func inspectInvalid() throws {
        let result = try anneal("checkpoint", "inspect", Fixture.checksumMismatch.path)
        #expect(result.status == 65)
        #expect(result.standardError.contains("\(Fixture.checksumMismatch.path): tensor 'optim.state.2.exp_avg': data checksum mismatch"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test("verify FILE: 0 when valid, 65 with the reason when not", arguments: [Fixture.valid, .dataTruncated, .unknownDType, .manifestDigestMismatch, .empty])
    func verifyFile(fixture: Fixture) throws {
        let result = try anneal("checkpoint", "verify", fixture.path)
        if fixture == .valid {
            #expect(result.status == 0)
            #expect(result.standardOutput == "\(fixture.path): valid (step 3, epoch 1, 9 tensors, 108 bytes of data)\n")
        } else {
            #expect(result.status == 65)
            #expect(result.standardError.hasPrefix("anneal checkpoint verify: \(fixture.path): "))
        }
    }

    @Test("verify DIR: every file, temporary files, and the one a resume would load")
    func verifyDirectory() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        var result = try anneal("checkpoint", "verify", directory)
        #expect(result.status == 65)
        #expect(result.standardError.contains("no checkpoint-*.safetensors files"))

        let store = try CheckpointStore(directory: directory)
        for steps in [1, 2] { try store.save(try sampleCheckpoint(steps: steps)) }
        result = try anneal("checkpoint", "verify", directory)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("resume would load \(store.path(step: 2))"))

        var damaged = readBytes(store.path(step: 2))!
        damaged[damaged.count - 1] ^= 1
        writeBytes(damaged, to: store.path(step: 2))
        writeBytes([0], to: directory + "/.checkpoint-00000003.safetensors.tmp-1-ff")
        result = try anneal("checkpoint", "verify", directory)
        #expect(result.status == 65)
        #expect(result.standardOutput.contains("\(store.path(step: 1)): valid (step 1)"))
        #expect(result.standardOutput.contains("\(store.path(step: 2)): INVALID: tensor 'optim.state.2.step': data checksum mismatch"))
        #expect(result.standardOutput.contains("temporary file of an interrupted save (ignored)"))
        #expect(result.standardOutput.contains("resume would load \(store.path(step: 1))"))
        #expect(result.standardError.contains("1 of 2 checkpoints invalid"))
    }

    @Test("Bad arguments: exit 64")
    func badArguments() throws {
        #expect(try anneal("checkpoint", "inspect").status == 64)
        #expect(try anneal("checkpoint", "verify", "a", "b").status == 64)
        #expect(try anneal("checkpoint", "frobnicate").status == 64)
    }
}
