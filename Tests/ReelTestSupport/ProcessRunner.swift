import Foundation

/// The outcome of a finished child process.
public struct ProcessResult: Sendable {
    public let status: Int32
    /// True when the process ended by a signal rather than by exiting (a crash, or our timeout).
    public let signaled: Bool
    public let timedOut: Bool
    public let stdout: Data
    public let stderr: Data

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    /// Non-empty lines of stderr.
    public var stderrLines: [String] { stderrText.split(separator: "\n").map(String.init) }
}

/// Runs programs for tests: output goes to temporary files (no pipe deadlocks) and a
/// timeout turns a hang into a test failure instead of a stuck run.
public enum ProcessRunner {
    public static func run(
        _ executable: String,
        _ arguments: [String],
        stdin: Data? = nil,
        timeout: Duration = .seconds(120),
        currentDirectory: URL? = nil
    ) async throws -> ProcessResult {
        let scratch = try TemporaryDirectory(prefix: "proc")
        let outURL = scratch.url.appendingPathComponent("stdout")
        let errURL = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)

        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        if let stdin {
            let inURL = scratch.url.appendingPathComponent("stdin")
            try stdin.write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }

        let finished = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in finished.continuation.finish() }
        try process.run()

        let timedOut = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in finished.stream {}
                return false
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return !Task.isCancelled
            }
            let first = await group.next()!
            if first {
                process.terminate()
                for await _ in finished.stream {}
            }
            group.cancelAll()
            return first
        }
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return ProcessResult(
            status: process.terminationStatus,
            signaled: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut,
            stdout: try Data(contentsOf: outURL),
            stderr: try Data(contentsOf: errURL)
        )
    }
}
