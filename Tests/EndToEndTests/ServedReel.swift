import Foundation
import ReelTestSupport

/// A `reel serve` process on a free port, stopped (SIGTERM) when released.
final class ServedReel: @unchecked Sendable {
    // @unchecked: the process is only touched from init, stop() and deinit.
    let process = Process()
    let port: Int
    let stderrURL: URL
    private let scratch: TemporaryDirectory

    var base: String { "http://127.0.0.1:\(port)" }

    /// - Parameter arguments: more `reel serve` arguments, after the defaults (e.g. `--watch DIR`).
    init(library: URL, media: URL, arguments: [String] = []) async throws {
        scratch = try TemporaryDirectory(prefix: "serve")
        stderrURL = scratch.appending("stderr")
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        port = try Self.freePort()
        process.executableURL = URL(fileURLWithPath: ReelBinary.path)
        process.arguments = ["serve", "--library", library.path, "--media", media.path, "--port", String(port), "--log-level", "warning"] + arguments
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            if (try? await ProcessRunner.run("curl", ["-sf", "\(base)/healthz"], timeout: .seconds(5)))?.status == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw MissingValue(description: "reel serve did not start: \(stderr)")
    }

    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM and waits for the exit status without blocking a cooperative thread
    /// (in-process servers of other tests need them); a server that has not exited after 30 s
    /// is killed and reported as -1.
    func stop() async -> Int32 {
        if process.isRunning { process.terminate() }
        if await eventually(within: .seconds(30), { !process.isRunning }) { return process.terminationStatus }
        Glibc.kill(process.processIdentifier, SIGKILL)
        _ = await eventually(within: .seconds(5)) { !process.isRunning }
        return -1
    }

    deinit {
        // Foundation reaps the child; nothing here may block.
        if process.isRunning { process.terminate() }
    }

    /// A port the kernel reports free now (bind to 0, read it back, close).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw MissingValue(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

