import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ReelTestSupport
import Testing

/// A `reel ingest` process running in the background (usually `--realtime`), for tests that
/// watch an asset while it is being written.
final class LiveIngest: @unchecked Sendable {
    // @unchecked: the process is only touched from the test that owns the value.
    let process = Process()
    let started = ContinuousClock.now
    private let stderrURL: URL
    private let scratch: TemporaryDirectory

    /// - Parameters:
    ///   - standardInput: a file the process reads as its standard input (for `INPUT` `-`).
    ///   - inputPipe: a pipe the test writes the standard input into, as a live source would.
    init(_ arguments: [String], standardInput: URL? = nil, inputPipe: Pipe? = nil) throws {
        scratch = try TemporaryDirectory(prefix: "live-ingest")
        stderrURL = scratch.appending("stderr")
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: ReelBinary.path)
        process.arguments = ["ingest"] + arguments + ["--progress", "never"]
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = try inputPipe ?? standardInput.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        try process.run()
    }

    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
    var isRunning: Bool { process.isRunning }

    /// Waits for the exit status without blocking a cooperative thread.
    func exitStatus(within limit: Duration = .seconds(120)) async -> Int32? {
        guard await eventually(within: limit, { !process.isRunning }) else { return nil }
        return process.terminationStatus
    }

    func kill(_ signal: Int32) {
        Glibc.kill(process.processIdentifier, signal)
    }

    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    /// The pictures ffmpeg plays from `master` while this ingest (2-second segments) runs, from
    /// its first segment on: the master must be served within three target durations of the
    /// start and before the ingest ends, and the ingest must then end with status 0.
    func videoPlayedWhileRunning(master: String) async throws -> [String] {
        let available = await eventually(within: .seconds(6)) { (try? await HTTP.get(master))?.status == 200 }
        #expect(available, "master playlist not served within 3 target durations: \(stderr)")
        #expect(isRunning, "the ingest finished before playback started")
        // ffmpeg starts a live (EVENT) playlist near its end unless told otherwise.
        let played = try await FrameHashes.of(master, stream: "0:v:0", inputOptions: ["-live_start_index", "0"])
        #expect(await exitStatus() == 0, "\(stderr)")
        return played
    }
}

/// A plain HTTP GET for tests (no caching), returning status and body.
enum HTTP {
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.timeoutIntervalForRequest = 60
        return URLSession(configuration: configuration)
    }()

    static func get(_ url: String) async throws -> (status: Int, body: Data) {
        let (data, response) = try await session.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}
