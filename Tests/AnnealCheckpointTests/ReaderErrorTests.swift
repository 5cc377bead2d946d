import AnnealJSON
import Testing

@testable import AnnealCheckpoint

#if canImport(Glibc)
import Glibc
#endif

/// Every reader error, from the committed files in `Fixtures/checkpoints/`.
@Suite("Reader errors (Fixtures/checkpoints)")
struct ReaderErrorTests {
    /// Set `ANNEAL_WRITE_FIXTURES=1` to write the fixtures anew.
    static let rewrite = getenv("ANNEAL_WRITE_FIXTURES").map { String(cString: $0) == "1" } ?? false

    @Test("The committed fixture is what the catalog builds", arguments: Fixture.allCases)
    func fixtureIsReproducible(fixture: Fixture) throws {
        let bytes = try fixture.bytes()
        if Self.rewrite { writeBytes(bytes, to: fixture.path) }
        let committed = try #require(readBytes(fixture.path), "missing \(fixture.path)")
        #expect(committed == bytes, "\(fixture.fileName) differs from the catalog (ANNEAL_WRITE_FIXTURES=1 rewrites it)")
    }

    @Test("Each malformed file gives its own error, naming the file", arguments: Fixture.allCases.filter { $0 != .valid })
    func malformedFileIsRejected(fixture: Fixture) {
        do {
            _ = try Checkpoint.read(from: fixture.path)
            Issue.record("\(fixture.fileName) was accepted")
        } catch {
            #expect(fixture.isExpected(error.problem), "\(fixture.fileName): unexpected \(error.problem)")
            #expect(error.file == fixture.path)
            #expect(error.description.hasPrefix(fixture.path + ": "))
        }
    }

    @Test("The valid fixture reads back as the checkpoint it was written from")
    func validFixtureReads() throws {
        let checkpoint = try Checkpoint.read(from: Fixture.valid.path)
        #expect(checkpoint == Fixture.base)
        #expect(checkpoint.source == Fixture.valid.path)
    }

    @Test("Fixtures give distinct errors")
    func errorsAreDistinct() throws {
        var messages: [String: Fixture] = [:]
        for fixture in Fixture.allCases where fixture != .valid {
            let bytes = try fixture.bytes()
            do throws(CheckpointError) {
                _ = try Checkpoint.decode(bytes, file: fixture.fileName)
            } catch {
                let message = error.problem.description
                #expect(messages[message] == nil, "\(fixture) and \(messages[message]!) give the same message: \(message)")
                messages[message] = fixture
            }
        }
        #expect(messages.count == Fixture.allCases.count - 1)
    }

    @Test("Messages name the problem readably")
    func messages() throws {
        func message(_ fixture: Fixture) throws -> String {
            let bytes = try fixture.bytes()
            do throws(CheckpointError) {
                _ = try Checkpoint.decode(bytes, file: "f.safetensors")
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(try message(.empty) == "f.safetensors: file too short: 0 bytes, a safetensors file starts with an 8-byte header length")
        #expect(try message(.duplicateTensorName) == "f.safetensors: duplicate tensor name 'x' in the header")
        #expect(try message(.offsetsGap) == "f.safetensors: tensor 'y': data begins at 8 where the previous tensor ended at 4: leaves a gap of 4 bytes")
        #expect(try message(.byteLengthMismatch) == "f.safetensors: tensor 'x': F32 [2] needs 8 bytes, data_offsets give 4")
        #expect(try message(.unsupportedVersion) == "f.safetensors: unsupported manifest version 2 (this reader knows version 1)")
        #expect(try message(.checksumMismatch).contains("tensor 'optim.state.2.exp_avg': data checksum mismatch"))
        #expect(try message(.headerNotJSON).hasPrefix("f.safetensors: header is not valid JSON: line 1, column"))
    }

    @Test("A missing file and a directory are I/O errors naming the path")
    func unreadable() {
        #expect(throws: CheckpointError.self) { try Checkpoint.read(from: "/nonexistent/checkpoint.safetensors") }
        do {
            _ = try Checkpoint.read(from: repositoryFile("Fixtures/checkpoints"))
            Issue.record("a directory was read")
        } catch {
            #expect(error.problem == .io(operation: "open", reason: "is a directory"))
        }
    }
}
