import Foundation
import HLSServer
import Hummingbird
import HummingbirdTesting
import Logging
import ReelTestSupport
import Testing

/// The connection handling of the fast path, over raw sockets: pipelined requests, some
/// answered below the HTTP codec and some handed to Hummingbird, come back whole and in order;
/// a body, HTTP/1.0, `Connection: close` and split heads are handled as RFC 9112 says.
@Suite("Fast path connections")
struct FastPathTests {
    /// One response parsed from the bytes received.
    struct Exchange {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
    }

    /// Splits `bytes` into responses, given the method of each request (HEAD has no body);
    /// fails when the bytes are not exactly that many well-formed responses.
    static func responses(_ bytes: [UInt8], methods: [String]) throws -> [Exchange] {
        var exchanges: [Exchange] = []
        var position = 0
        for method in methods {
            let rest = bytes[position...]
            guard let end = rest.indices.first(where: { rest[$0...].starts(with: [13, 10, 13, 10]) }) else {
                throw Failure("response \(exchanges.count + 1) of \(methods.count) has no complete head")
            }
            let lines = String(decoding: bytes[position..<end], as: UTF8.self).components(separatedBy: "\r\n")
            let statusLine = lines[0].split(separator: " ")
            guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1", let status = Int(statusLine[1]) else { throw Failure("bad status line \(lines[0])") }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { throw Failure("bad field line \(line)") }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = method == "HEAD" || status == 304 || status == 204 ? 0 : Int(headers["content-length"] ?? "0") ?? 0
            position = end + 4 + length
            guard position <= bytes.count else { throw Failure("response \(exchanges.count + 1) is cut short") }
            exchanges.append(Exchange(status: status, headers: headers, body: Array(bytes[(end + 4)..<position])))
        }
        guard position == bytes.count else { throw Failure("\(bytes.count - position) bytes after the last response") }
        return exchanges
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func request(_ method: String = "GET", _ target: String, _ fields: String = "") -> String {
        "\(method) \(target) HTTP/1.1\r\nHost: reel\r\n\(fields)\r\n"
    }

    static func serve(_ tree: ServedTree, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await HTTPConformanceTests.makeServer(tree).makeApplication().test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    @Test func pipelinedRequestsOfBothPathsAnswerInOrder() async throws {
        let tree = try ServedTree()
        let requests: [(method: String, target: String, fields: String)] = [
            ("GET", "/hls/clip/copy/seg-00000.m4s", ""),
            ("GET", "/healthz", ""),
            ("HEAD", "/media/movie.mp4", ""),
            ("GET", "/hls/clip/copy/seg-00000.m4s", "Range: bytes=10-19\r\n"),
            ("GET", "/api/assets/clip", ""),
            ("GET", "/hls/live/copy/index.m3u8?_HLS_msn=0", ""),
            ("OPTIONS", "/hls/clip/master.m3u8", ""),
            ("GET", "/media/movie.mp4", "Range: bytes=0-0,4999-4999\r\n"),
            ("GET", "/nope", ""),
            ("GET", "/media/movie.mp4", "Connection: close\r\n"),
        ]
        let payload = requests.map { Self.request($0.method, $0.target, $0.fields) }.joined()
        try await Self.serve(tree) { port in
            // Twice: first while the small-file cache fills, then from it.
            for round in 1...2 {
                let (bytes, closed) = try await RawHTTP.exchangeBytes(port: port, chunks: [(Array(payload.utf8), .zero)])
                #expect(closed, "round \(round): closed after Connection: close")
                let answers = try Self.responses(bytes, methods: requests.map(\.method))
                #expect(answers.map(\.status) == [200, 200, 200, 206, 200, 200, 204, 206, 404, 200], "round \(round)")
                #expect(answers[0].body == Array(ServedTree.segmentBytes))
                #expect(String(decoding: answers[1].body, as: UTF8.self) == "ok\n")
                #expect(answers[2].headers["content-length"] == "5000" && answers[2].body.isEmpty)
                #expect(answers[3].body == Array(ServedTree.segmentBytes[10..<20]))
                #expect(answers[3].headers["content-range"] == "bytes 10-19/1000")
                #expect(String(decoding: answers[5].body, as: UTF8.self) == ServedTree.eventPlaylist)
                #expect(answers[7].headers["content-type"]?.hasPrefix("multipart/byteranges; boundary=") == true)
                #expect(answers[9].body == Array(ServedTree.movieBytes))
                #expect(answers[9].headers["connection"] == "close")
                for answer in answers { #expect(answer.headers["date"] != nil && answer.headers["access-control-allow-origin"] == "*") }
            }
        }
    }

    /// A request with a body is past what the fast path delimits: the connection goes to
    /// Hummingbird, which still answers the file and the request after it.
    @Test func requestWithBodyHandsTheConnectionOn() async throws {
        let tree = try ServedTree()
        let payload = Self.request("GET", "/hls/clip/copy/seg-00000.m4s", "Content-Length: 5\r\n") + "hello"
            + Self.request("GET", "/media/movie.mp4", "Range: bytes=100-199\r\nConnection: close\r\n")
        try await Self.serve(tree) { port in
            let (bytes, closed) = try await RawHTTP.exchangeBytes(port: port, chunks: [(Array(payload.utf8), .zero)])
            let answers = try Self.responses(bytes, methods: ["GET", "GET"])
            #expect(closed)
            #expect(answers.map(\.status) == [200, 206])
            #expect(answers[0].body == Array(ServedTree.segmentBytes))
            #expect(answers[1].body == Array(ServedTree.movieBytes[100..<200]))
        }
    }

    /// HTTP/1.0 without keep-alive: one response, `Connection: close`, then the server closes.
    @Test func http10ClosesAfterItsResponse() async throws {
        let tree = try ServedTree()
        try await Self.serve(tree) { port in
            let (bytes, closed) = try await RawHTTP.exchangeBytes(
                port: port, chunks: [(Array("GET /hls/clip/copy/seg-00000.m4s HTTP/1.0\r\n\r\nGET /healthz HTTP/1.0\r\n\r\n".utf8), .zero)]
            )
            let answers = try Self.responses(bytes, methods: ["GET"])
            #expect(closed)
            #expect(answers[0].status == 200 && answers[0].headers["connection"] == "close")
            #expect(answers[0].body == Array(ServedTree.segmentBytes))
        }
    }

    /// A head that arrives in pieces is answered once whole.
    @Test func headSplitAcrossReads() async throws {
        let tree = try ServedTree()
        let pieces = ["GET /hls/clip/copy/se", "g-00000.m4s HTTP/1.1\r\nHo", "st: reel\r\nRange: bytes=0-4\r\nConnection: close\r", "\n\r\n"]
        try await Self.serve(tree) { port in
            let (bytes, closed) = try await RawHTTP.exchangeBytes(port: port, chunks: pieces.map { (Array($0.utf8), .milliseconds(30)) })
            let answers = try Self.responses(bytes, methods: ["GET"])
            #expect(closed)
            #expect(answers.first?.status == 206 && answers.first?.body == Array(ServedTree.segmentBytes[0..<5]))
        }
    }

    /// A file above the small-file cache's limit goes out by sendfile: whole, in ranges, and
    /// pipelined behind itself. It fills the write buffer past its high water mark: Hummingbird,
    /// answering next (`/healthz`, then the whole connection once a body comes), still learns
    /// when the channel is writable and streams the same file.
    @Test func largeFileBySendfile() async throws {
        let tree = try ServedTree()
        let large = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        try Data(large).write(to: tree.media.appendingPathComponent("large.mp4"))
        let payload = Self.request("GET", "/media/large.mp4")
            + Self.request("GET", "/healthz")
            + Self.request("GET", "/media/large.mp4", "Range: bytes=1000000-1999999\r\n")
            + Self.request("GET", "/media/large.mp4", "Range: bytes=0-9,2999990-\r\n")
            + Self.request("HEAD", "/media/large.mp4")
            + Self.request("GET", "/media/large.mp4", "Content-Length: 2\r\n") + "{}"
            + Self.request("GET", "/media/large.mp4", "Connection: close\r\n")
        try await Self.serve(tree) { port in
            let (bytes, closed) = try await RawHTTP.exchangeBytes(port: port, chunks: [(Array(payload.utf8), .zero)], timeout: .seconds(30))
            let answers = try Self.responses(bytes, methods: ["GET", "GET", "GET", "GET", "HEAD", "GET", "GET"])
            #expect(closed)
            #expect(answers.map(\.status) == [200, 200, 206, 206, 200, 200, 200])
            #expect(answers[0].body == large)
            #expect(answers[2].body == Array(large[1_000_000..<2_000_000]))
            let text = String(decoding: answers[3].body, as: UTF8.self)
            #expect(text.contains("Content-Range: bytes 0-9/3000000") && text.contains("Content-Range: bytes 2999990-2999999/3000000"))
            #expect(answers[4].headers["content-length"] == "3000000")
            #expect(answers[5].body == large && answers[6].body == large)
        }
    }

    /// A file's head and body go straight to the socket (ChannelSocket) when the channel holds
    /// nothing for it; a file larger than the socket buffers take at once goes on through NIO,
    /// and what is pipelined behind it, by either path, follows it intact.
    @Test func fileResponsesGoStraightToTheSocket() async throws {
        let tree = try ServedTree()
        let pattern = { (count: Int, seed: Int) in (0..<count).map { UInt8(truncatingIfNeeded: ($0 &+ seed) &* 2_654_435_761 >> 13) } }
        let large = pattern(2_000_000, 1)
        let huge = pattern(24_000_000, 2)
        try Data(large).write(to: tree.media.appendingPathComponent("large.mp4"))
        try Data(huge).write(to: tree.media.appendingPathComponent("huge.mp4"))
        try await Self.serve(tree) { port in
            let direct = "reel_http_direct_file_responses_total"
            let before = try await BlockingReloadTests.metric(direct, port: port)
            for (fields, expected) in [("", large), ("Range: bytes=1000000-1999999\r\n", Array(large[1_000_000..<2_000_000]))] {
                let (bytes, _) = try await RawHTTP.exchangeBytes(port: port, chunks: [(Array(Self.request("GET", "/media/large.mp4", fields + "Connection: close\r\n").utf8), .zero)])
                #expect(try Self.responses(bytes, methods: ["GET"])[0].body == expected)
            }
            #expect(try await BlockingReloadTests.metric(direct, port: port) - before == 2, "the socket's descriptor was not found: file responses went through NIO")

            let payload = Self.request("GET", "/media/huge.mp4") + Self.request("GET", "/healthz")
                + Self.request("GET", "/media/large.mp4", "Range: bytes=0-9\r\n") + Self.request("GET", "/media/large.mp4", "Connection: close\r\n")
            let (bytes, closed) = try await RawHTTP.exchangeBytes(port: port, chunks: [(Array(payload.utf8), .zero)], timeout: .seconds(30))
            let answers = try Self.responses(bytes, methods: ["GET", "GET", "GET", "GET"])
            #expect(closed && answers.map(\.status) == [200, 200, 206, 200])
            #expect(answers[0].body == huge && answers[2].body == Array(large[0..<10]) && answers[3].body == large)
        }
    }
}
