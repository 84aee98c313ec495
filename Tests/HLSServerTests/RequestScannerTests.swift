import Foundation
@testable import HLSServer
import NIOCore
import NIOEmbedded
import NIOHTTP1
import ReelTestSupport
import Testing

/// The fast path's request-head scanner, on its own and against SwiftNIO's decoder (llhttp): it
/// accepts only what the decoder accepts, and reads it the same way.
@Suite("Request scanner")
struct RequestScannerTests {
    static func scan(_ text: String) -> RequestScanner.Result {
        Array(text.utf8).withUnsafeBytes { RequestScanner.scan($0) }
    }

    static func request(_ text: String) -> RequestScanner.Request? {
        if case .request(let request) = scan(text) { return request }
        return nil
    }

    @Test func readsAFileRequest() throws {
        let head = "\r\nGET /media/a%20b.mp4?x=1 HTTP/1.1\r\nHost: reel\r\nrAnGe: bytes=0-9\r\nIf-None-Match: \"a\"\r\nif-none-match: \"b\"\r\n"
            + "If-Modified-Since:\tSat, 05 Dec 2026 10:00:00 GMT \r\nContent-Length: 0\r\n\r\nGET /next"
        let request = try #require(Self.request(head))
        #expect(request.target == "/media/a%20b.mp4?x=1" && !request.isHead && request.isHTTP11 && request.keepAlive)
        #expect(request.conditions == FileRequestHeaders(ifNoneMatch: "\"a\", \"b\"", ifModifiedSince: "Sat, 05 Dec 2026 10:00:00 GMT", range: "bytes=0-9"))
        #expect(request.length == head.utf8.count - "GET /next".utf8.count)
    }

    @Test(arguments: [
        ("HEAD /hls/a/master.m3u8 HTTP/1.1\r\n\r\n", true, true),
        ("GET /hls/a/master.m3u8 HTTP/1.1\r\nConnection: Keep-Alive, CLOSE\r\n\r\n", false, false),
        ("GET /hls/a/master.m3u8 HTTP/1.0\r\n\r\n", false, false),
        ("GET /hls/a/master.m3u8 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", false, true),
    ])
    func methodsAndConnections(head: String, isHead: Bool, keepAlive: Bool) throws {
        let request = try #require(Self.request(head))
        #expect(request.isHead == isHead && request.keepAlive == keepAlive)
    }

    @Test(arguments: [
        // Complete heads the fast path leaves to Hummingbird, whole: (head, its length is known).
        ("POST /hls/a HTTP/1.1\r\nHost: x\r\n\r\n", true),
        ("GET /api/assets HTTP/1.1\r\n\r\n", true),
        ("GET /hls/a HTTP/2.0\r\n\r\n", true),
        ("GET /hls/a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", false),
        ("GET /hls/a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", false),
        ("GET /hls/a HTTP/1.1\r\nExpect: 100-continue\r\n\r\n", false),
        ("GET /hls/a HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", false),
        ("GET /hls/a HTTP/1.1\r\nHost : x\r\n\r\n", false),
        ("GET /hls/a HTTP/1.1\r\nHo(st: x\r\n\r\n", false),
        ("GET /hls/a HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", false),
        ("GET /hls/a HTTP/1.1\r\nHost: a\u{1}b\r\n\r\n", false),
        ("GET /hls/a HTTP/1.1\nHost: x\r\n\r\n", false),
        ("GET /hls/a\u{7F} HTTP/1.1\r\n\r\n", true),
    ])
    func unsupported(head: String, lengthKnown: Bool) {
        guard case .unsupported(let length) = Self.scan(head) else { Issue.record("accepted: \(head.debugDescription)"); return }
        #expect((length != nil) == lengthKnown, "\(head.debugDescription)")
    }

    @Test(arguments: ["", "GET /hls/a HTTP/1.1", "GET /hls/a HTTP/1.1\r", "GET /hls/a HTTP/1.1\r\nRange: bytes=0-1\r\n", "\r\n"])
    func incomplete(head: String) {
        #expect(Self.scan(head) == .incomplete)
    }

    /// What SwiftNIO's decoder makes of `bytes`: the first request's method, target, version
    /// and fields, or nil when it rejects them or finds no complete head.
    static func decoded(_ bytes: [UInt8]) -> HTTPRequestHead? {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)))
        defer { _ = try? channel.finish() }
        guard (try? channel.writeInbound(ByteBuffer(bytes: bytes))) != nil,
              case .head(let head)? = try? channel.readInbound(as: HTTPServerRequestPart.self) else { return nil }
        return head
    }

    /// Mutations of well-formed heads (bytes replaced, inserted or dropped, from the characters
    /// that matter to HTTP's grammar): whatever the scanner accepts, the decoder accepts too and
    /// reads as the same method, target, version, connection and conditional fields.
    @Test func acceptsOnlyWhatSwiftNIOAccepts() throws {
        let seeds = [
            "GET /media/movie.mp4 HTTP/1.1\r\nHost: reel\r\nRange: bytes=0-99\r\n\r\n",
            "HEAD /hls/clip/copy/index.m3u8?_HLS_msn=3 HTTP/1.1\r\nIf-None-Match: \"x\"\r\nConnection: close\r\n\r\n",
            "GET /hls/clip/master.m3u8 HTTP/1.0\r\nIf-Range: Sat, 05 Dec 2026 10:00:00 GMT\r\nContent-Length: 0\r\n\r\n",
        ]
        let alphabet = Array(" \t\r\n:,/?%\"-0aAzZ~\u{7F}\u{0}\u{80}".utf8)
        var random = SeededRandom(seed: 2026_12_05)
        var accepted = 0
        for round in 0..<3000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[index] = alphabet.randomElement(using: &random)!
                case 1: bytes.insert(alphabet.randomElement(using: &random)!, at: index)
                default: bytes.remove(at: index)
                }
            }
            guard case .request(let request) = bytes.withUnsafeBytes({ RequestScanner.scan($0) }) else { continue }
            accepted += 1
            let context = String(decoding: bytes, as: UTF8.self).debugDescription
            let head = try #require(Self.decoded(Array(bytes[..<request.length])), "the decoder refuses \(context)")
            #expect(head.method == (request.isHead ? .HEAD : .GET), "\(context)")
            #expect(head.uri == request.target, "\(context)")
            #expect(head.version == (request.isHTTP11 ? .http1_1 : .http1_0), "\(context)")
            // llhttp keeps whitespace after a field's value, which RFC 9110 §5.5 excludes from
            // it (and so reads `Connection: close<TAB>` as keep-alive); compared without it.
            let values = { (name: String) in head.headers[name].map { $0.trimmingCharacters(in: .whitespaces) } }
            let joined = { (name: String) in values(name).isEmpty ? nil : values(name).joined(separator: ", ") }
            let options = values("Connection").flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let keepAlive = !options.contains("close") && (head.version == .http1_1 || options.contains("keep-alive"))
            #expect(keepAlive == request.keepAlive, "\(context)")
            #expect(joined("Range") == request.conditions.range, "\(context)")
            #expect(joined("If-None-Match") == request.conditions.ifNoneMatch, "\(context)")
            #expect(values("If-Range").first == request.conditions.ifRange, "\(context)")
        }
        // The mutations leave enough heads intact for the comparison to mean something.
        #expect(accepted > 300)
    }
}
