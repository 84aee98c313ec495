import Foundation
import HLSServer
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ReelTestSupport
import Testing

/// Idle and stalled connections are closed; the limits answer with their RFC 9110 statuses.
@Suite("Connection limits")
struct ConnectionLimitTests {
    static func app(_ tree: ServedTree) throws -> some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return try ReelServer(
            options: ServerOptions(host: "127.0.0.1", port: 0, library: tree.library.path, media: tree.media.path,
                                   idleTimeout: .seconds(1), headDeadline: .seconds(2)),
            logger: logger
        ).makeApplication()
    }

    @Test func idleConnectionIsClosed() async throws {
        let tree = try ServedTree()
        try await Self.app(tree).test(.live) { client in
            let port = try #require(client.port)
            let started = ContinuousClock.now
            let (response, closed) = try await RawHTTP.exchange(port: port, request: [], timeout: .seconds(10))
            #expect(closed && response.isEmpty)
            // The timeout is 1 s; the bound is loose because parallel suites share two cores.
            #expect(ContinuousClock.now - started < .seconds(12))
        }
    }

    @Test func stalledHeadIsClosed() async throws {
        let tree = try ServedTree()
        try await Self.app(tree).test(.live) { client in
            let port = try #require(client.port)
            // A slowloris client: a byte every 0.5 s keeps the idle timer from firing.
            let chunks = [([UInt8]("GET /healthz HTTP/1.1\r\n".utf8), Duration.zero)]
                + (0..<12).map { _ in ([UInt8]("X".utf8), Duration.milliseconds(500)) }
            let started = ContinuousClock.now
            let (response, closed) = try await RawHTTP.exchange(port: port, chunks: chunks, timeout: .seconds(20))
            #expect(closed && response.isEmpty, "\(response)")
            // The head deadline is 2 s; without it the trickle would hold the connection for 6 s and more.
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func limitsAnswerWithStatusCodes() async throws {
        let tree = try ServedTree()
        try await Self.app(tree).test(.live) { client in
            let port = try #require(client.port)
            let longLine = Array("GET /\(String(repeating: "a", count: 8200)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            #expect(try await RawHTTP.exchange(port: port, request: longLine).response.hasPrefix("HTTP/1.1 414 "))
            let fine = Array("GET /\(String(repeating: "a", count: 8000)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            let fineResponse = try await RawHTTP.exchange(port: port, request: fine, timeout: .seconds(15)).response
            #expect(fineResponse.hasPrefix("HTTP/1.1 404 "), "\(fineResponse.prefix(200))")
            let bigHead = Array(("GET /healthz HTTP/1.1\r\n" + String(repeating: "X-A: \(String(repeating: "b", count: 1000))\r\n", count: 70) + "\r\n").utf8)
            #expect(try await RawHTTP.exchange(port: port, request: bigHead).response.hasPrefix("HTTP/1.1 431 "))
        }
    }
}
