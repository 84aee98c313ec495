import Foundation

/// The `reel` executable built next to the test bundle (or `$REEL_BINARY`).
public enum ReelBinary {
    public static var path: String {
        if let override = ProcessInfo.processInfo.environment["REEL_BINARY"] { return override }
        let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
        // On Linux the test runner is `<build dir>/<package>PackageTests.xctest`.
        if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("reel").path
    }

    /// Runs `reel` with `arguments`.
    public static func run(_ arguments: [String], stdin: Data? = nil, timeout: Duration = .seconds(120), currentDirectory: URL? = nil) async throws -> ProcessResult {
        try await ProcessRunner.run(path, arguments, stdin: stdin, timeout: timeout, currentDirectory: currentDirectory)
    }
}
