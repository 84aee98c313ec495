import Foundation
import ReelTestSupport
import Testing

/// The FFmpeg wrappers free what they allocate, on success and failure paths (valgrind memcheck).
@Suite("No leaks under valgrind", .enabled(if: Valgrind.isInstalled), .serialized)
struct LeakTests {
    @Test(arguments: [
        ["probe", "h264-aac.mp4"], ["probe", "hevc-aac.mp4"], ["probe", "empty.mp4"], ["probe", "truncated.mp4"],
        ["probe", "truncated-tail.mp4"], ["ingest", "h264-aac.mp4", "--format", "fmp4"],
        ["ingest", "h264-aac.mkv", "--format", "ts", "--single-file"], ["ingest", "h264-aac.ts", "--format", "fmp4"],
        ["ingest", "vp9-opus.webm", "--format", "ts"],
        ["ingest", "text-as.mp4"],
    ])
    func leaksNothing(arguments: [String]) async throws {
        let binary = try await Valgrind.readableCopyOfReel()
        let library = try TemporaryDirectory(prefix: "library")
        var command = [arguments[0], Fixture.path(arguments[1])] + arguments.dropFirst(2)
        if arguments[0] == "ingest" { command += ["--library", library.path, "--progress", "never"] }
        let result = try await ProcessRunner.run(
            "/usr/bin/valgrind",
            ["--leak-check=full", "--errors-for-leak-kinds=definite,indirect", "--show-leak-kinds=definite,indirect",
             "--error-exitcode=99", binary.path] + command,
            timeout: .seconds(300)
        )
        #expect(result.status != 99, "valgrind reported errors:\n\(result.stderrText)")
        #expect(result.stderrText.contains("definitely lost: 0 bytes") || result.stderrText.contains("All heap blocks were freed"),
                "\(result.stderrText)")
        #expect(result.stderrText.contains("ERROR SUMMARY: 0 errors"), "\(result.stderrText)")
    }
}

enum Valgrind {
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/valgrind") }

    /// valgrind 3.19 cannot read the DWARF 5 the Swift compiler emits, so it runs a copy of
    /// `reel` without debug sections (same code, no line numbers in reports).
    static func readableCopyOfReel() async throws -> TemporaryFile {
        let copy = try TemporaryFile(name: "reel")
        let result = try await ProcessRunner.run("/usr/bin/objcopy", ["--strip-debug", ReelBinary.path, copy.path])
        guard result.status == 0 else { throw MissingValue(description: "objcopy failed: \(result.stderrText)") }
        return copy
    }
}

/// A file in its own temporary directory, removed with it.
final class TemporaryFile: Sendable {
    let directory: TemporaryDirectory
    let path: String

    init(name: String) throws {
        directory = try TemporaryDirectory()
        path = directory.appending(name).path
    }
}
