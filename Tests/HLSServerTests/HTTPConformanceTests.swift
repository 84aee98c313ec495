import Foundation
import HTTPTypes
import HLSServer
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// What a case expects of the response body.
enum ExpectedBody: Sendable {
    case ignore
    case empty
    /// Bytes `range` of the 1000-byte segment.
    case segment(Range<Int>)
    /// Bytes `range` of the 5000-byte movie.
    case movie(Range<Int>)
    /// A multipart/byteranges body whose parts are these ranges of the segment.
    case segmentParts([Range<Int>])
}

/// One request and what RFC 9110/9111 and SPEC say the answer must be. In header values,
/// `{etag}` stands for the file's ETag, fetched first.
struct HTTPCase: Sendable, CustomTestStringConvertible {
    var name: String
    var method: HTTPRequest.Method = .get
    var path: String
    var headers: [String: String] = [:]
    var status: Int
    /// Header values that must match exactly; nil means the header must be absent.
    var expect: [String: String?] = [:]
    var body: ExpectedBody = .ignore

    var testDescription: String { name }
}

let segment = "/hls/clip/copy/seg-00000.m4s"
let immutable = "public, max-age=31536000, immutable"

let conformanceCases: [HTTPCase] = [
    // Plain responses: types, validators, cache policy.
    HTTPCase(name: "GET segment", path: segment, status: 200,
             expect: ["Content-Type": "video/iso.segment", "Cache-Control": immutable, "Accept-Ranges": "bytes", "Content-Length": "1000",
                      "Last-Modified": ServedTree.lastModified, "ETag": "{etag}"], body: .segment(0..<1000)),
    HTTPCase(name: "HEAD segment", method: .head, path: segment, status: 200,
             expect: ["Content-Length": "1000", "ETag": "{etag}", "Accept-Ranges": "bytes"], body: .empty),
    HTTPCase(name: "init segment", path: "/hls/clip/copy/init.mp4", status: 200, expect: ["Content-Type": "video/mp4", "Cache-Control": immutable]),
    HTTPCase(name: "VOD playlist", path: "/hls/clip/copy/index.m3u8", status: 200,
             expect: ["Content-Type": "application/vnd.apple.mpegurl", "Cache-Control": "public, max-age=3600"]),
    HTTPCase(name: "growing playlist: half the target duration", path: "/hls/live/copy/index.m3u8", status: 200,
             expect: ["Cache-Control": "public, max-age=3"]),
    HTTPCase(name: "master of a ready asset", path: "/hls/clip/master.m3u8", status: 200, expect: ["Cache-Control": "public, max-age=3600"]),
    HTTPCase(name: "master of an ingesting asset", path: "/hls/live/master.m3u8", status: 200, expect: ["Cache-Control": "public, max-age=3"]),
    HTTPCase(name: "media file", path: "/media/movie.mp4", status: 200,
             expect: ["Content-Type": "video/mp4", "Cache-Control": "public, max-age=3600", "Accept-Ranges": "bytes"], body: .movie(0..<5000)),
    HTTPCase(name: "encoded space in a media path", path: "/media/sub%20dir/clip.webm", status: 200, expect: ["Content-Type": "video/webm"]),
    HTTPCase(name: "symlink inside the root", path: "/media/alias.mp4", status: 200, body: .movie(0..<5000)),

    // Ranges (RFC 9110 §14).
    HTTPCase(name: "range 0-99", path: segment, headers: ["Range": "bytes=0-99"], status: 206,
             expect: ["Content-Range": "bytes 0-99/1000", "Content-Length": "100", "ETag": "{etag}"], body: .segment(0..<100)),
    HTTPCase(name: "open range 900-", path: segment, headers: ["Range": "bytes=900-"], status: 206,
             expect: ["Content-Range": "bytes 900-999/1000"], body: .segment(900..<1000)),
    HTTPCase(name: "suffix range -100", path: segment, headers: ["Range": "bytes=-100"], status: 206,
             expect: ["Content-Range": "bytes 900-999/1000"], body: .segment(900..<1000)),
    HTTPCase(name: "last byte past EOF is clamped", path: segment, headers: ["Range": "bytes=990-2000"], status: 206,
             expect: ["Content-Range": "bytes 990-999/1000"], body: .segment(990..<1000)),
    HTTPCase(name: "suffix longer than the file", path: segment, headers: ["Range": "bytes=-2000"], status: 206,
             expect: ["Content-Range": "bytes 0-999/1000"], body: .segment(0..<1000)),
    HTTPCase(name: "start at EOF: 416", path: segment, headers: ["Range": "bytes=1000-"], status: 416,
             expect: ["Content-Range": "bytes */1000", "Cache-Control": "no-store"]),
    HTTPCase(name: "zero-length suffix: 416", path: segment, headers: ["Range": "bytes=-0"], status: 416, expect: ["Content-Range": "bytes */1000"]),
    HTTPCase(name: "reversed range is invalid: ignored", path: segment, headers: ["Range": "bytes=5-2"], status: 200,
             expect: ["Content-Range": nil], body: .segment(0..<1000)),
    HTTPCase(name: "unknown unit: ignored", path: segment, headers: ["Range": "items=0-5"], status: 200, body: .segment(0..<1000)),
    HTTPCase(name: "garbage range: ignored", path: segment, headers: ["Range": "bytes=abc"], status: 200, body: .segment(0..<1000)),
    HTTPCase(name: "two ranges: multipart", path: segment, headers: ["Range": "bytes=0-9,200-209"], status: 206,
             expect: ["Content-Range": nil], body: .segmentParts([0..<10, 200..<210])),
    HTTPCase(name: "three ranges out of order: sorted parts", path: segment, headers: ["Range": "bytes=500-509, 0-9,-10"], status: 206,
             body: .segmentParts([0..<10, 500..<510, 990..<1000])),
    HTTPCase(name: "nearby ranges merge (a part header costs more than the gap)", path: segment, headers: ["Range": "bytes=0-9,20-29"], status: 206,
             expect: ["Content-Range": "bytes 0-29/1000"], body: .segment(0..<30)),
    HTTPCase(name: "first and last byte: multipart", path: segment, headers: ["Range": "bytes=0-0,-1"], status: 206,
             body: .segmentParts([0..<1, 999..<1000])),
    HTTPCase(name: "overlapping ranges coalesce", path: segment, headers: ["Range": "bytes=0-9,5-19"], status: 206,
             expect: ["Content-Range": "bytes 0-19/1000"], body: .segment(0..<20)),
    HTTPCase(name: "repeated whole-file ranges never amplify", path: segment, headers: ["Range": "bytes=0-999,0-999,0-999,0-999"], status: 206,
             expect: ["Content-Range": "bytes 0-999/1000", "Content-Length": "1000"], body: .segment(0..<1000)),
    HTTPCase(name: "many small ranges collapse to one", path: segment,
             headers: ["Range": "bytes=" + stride(from: 0, to: 900, by: 30).map { "\($0)-\($0 + 1)" }.joined(separator: ",")], status: 206,
             expect: ["Content-Range": "bytes 0-871/1000"], body: .segment(0..<872)),
    HTTPCase(name: "unsatisfiable parts are dropped", path: segment, headers: ["Range": "bytes=2000-3000,0-1"], status: 206,
             expect: ["Content-Range": "bytes 0-1/1000"], body: .segment(0..<2)),
    HTTPCase(name: "HEAD with a range", method: .head, path: segment, headers: ["Range": "bytes=0-99"], status: 206,
             expect: ["Content-Range": "bytes 0-99/1000", "Content-Length": "100"], body: .empty),
    HTTPCase(name: "range on a media file", path: "/media/movie.mp4", headers: ["Range": "bytes=4000-"], status: 206,
             expect: ["Content-Range": "bytes 4000-4999/5000"], body: .movie(4000..<5000)),

    // Conditional requests (RFC 9110 §13), in §13.2.2 order.
    HTTPCase(name: "If-None-Match matches: 304", path: segment, headers: ["If-None-Match": "{etag}"], status: 304,
             expect: ["ETag": "{etag}", "Cache-Control": immutable, "Last-Modified": ServedTree.lastModified], body: .empty),
    HTTPCase(name: "If-None-Match weak comparison", path: segment, headers: ["If-None-Match": "W/{etag}"], status: 304, body: .empty),
    HTTPCase(name: "If-None-Match in a list", path: segment, headers: ["If-None-Match": "\"a\", {etag}, \"b\""], status: 304),
    HTTPCase(name: "If-None-Match other: 200", path: segment, headers: ["If-None-Match": "\"other\""], status: 200, body: .segment(0..<1000)),
    HTTPCase(name: "If-None-Match *", path: segment, headers: ["If-None-Match": "*"], status: 304),
    HTTPCase(name: "If-Modified-Since Last-Modified: 304", path: segment, headers: ["If-Modified-Since": ServedTree.lastModified], status: 304),
    HTTPCase(name: "If-Modified-Since earlier: 200", path: segment, headers: ["If-Modified-Since": "Sun, 31 Dec 2023 00:00:00 GMT"], status: 200),
    HTTPCase(name: "If-Modified-Since invalid: ignored", path: segment, headers: ["If-Modified-Since": "yesterday"], status: 200),
    HTTPCase(name: "If-Modified-Since one second after Last-Modified: 304", path: segment,
             headers: ["If-Modified-Since": "Mon, 01 Jan 2024 00:00:01 GMT"], status: 304,
             expect: ["Last-Modified": ServedTree.lastModified, "ETag": "{etag}"], body: .empty),
    HTTPCase(name: "If-Modified-Since in the future: 304", path: segment, headers: ["If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"],
             status: 304, expect: ["Last-Modified": ServedTree.lastModified], body: .empty),
    HTTPCase(name: "If-Modified-Since with two dates: ignored", path: segment,
             headers: ["If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT, Fri, 01 Jan 2100 00:00:00 GMT"], status: 200, body: .segment(0..<1000)),
    HTTPCase(name: "If-None-Match overrides If-Modified-Since", path: segment,
             headers: ["If-None-Match": "\"other\"", "If-Modified-Since": ServedTree.lastModified], status: 200),
    HTTPCase(name: "If-Match matches: 200", path: segment, headers: ["If-Match": "{etag}"], status: 200),
    HTTPCase(name: "If-Match other: 412", path: segment, headers: ["If-Match": "\"other\""], status: 412, expect: ["Cache-Control": "no-store"]),
    HTTPCase(name: "If-Match is strong: weak tag fails", path: segment, headers: ["If-Match": "W/{etag}"], status: 412),
    HTTPCase(name: "If-Match *", path: segment, headers: ["If-Match": "*"], status: 200),
    HTTPCase(name: "If-Unmodified-Since earlier: 412", path: segment, headers: ["If-Unmodified-Since": "Sun, 31 Dec 2023 00:00:00 GMT"], status: 412),
    HTTPCase(name: "If-Unmodified-Since Last-Modified: 200", path: segment, headers: ["If-Unmodified-Since": ServedTree.lastModified], status: 200),
    HTTPCase(name: "If-Unmodified-Since one second before Last-Modified: 412", path: segment,
             headers: ["If-Unmodified-Since": "Sun, 31 Dec 2023 23:59:59 GMT"], status: 412),
    HTTPCase(name: "If-Unmodified-Since in the future: 200", path: segment, headers: ["If-Unmodified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"],
             status: 200, body: .segment(0..<1000)),
    HTTPCase(name: "If-Match wins over If-Unmodified-Since", path: segment,
             headers: ["If-Match": "{etag}", "If-Unmodified-Since": "Sun, 31 Dec 2023 00:00:00 GMT"], status: 200),
    HTTPCase(name: "If-Range ETag matches: 206", path: segment, headers: ["If-Range": "{etag}", "Range": "bytes=0-9"], status: 206, body: .segment(0..<10)),
    HTTPCase(name: "If-Range ETag differs: 200", path: segment, headers: ["If-Range": "\"other\"", "Range": "bytes=0-9"], status: 200, body: .segment(0..<1000)),
    HTTPCase(name: "If-Range weak ETag never matches", path: segment, headers: ["If-Range": "W/{etag}", "Range": "bytes=0-9"], status: 200),
    HTTPCase(name: "If-Range date equal to Last-Modified: 206", path: segment,
             headers: ["If-Range": ServedTree.lastModified, "Range": "bytes=0-9"], status: 206, body: .segment(0..<10)),
    HTTPCase(name: "If-Range other date: 200", path: segment, headers: ["If-Range": "Tue, 02 Jan 2024 00:00:00 GMT", "Range": "bytes=0-9"], status: 200),
    HTTPCase(name: "If-Range date one second after Last-Modified: 200", path: segment,
             headers: ["If-Range": "Mon, 01 Jan 2024 00:00:01 GMT", "Range": "bytes=0-9"], status: 200, body: .segment(0..<1000)),
    HTTPCase(name: "304 takes precedence over Range", path: segment, headers: ["If-None-Match": "{etag}", "Range": "bytes=0-9"], status: 304),
    HTTPCase(name: "412 takes precedence over Range", path: segment, headers: ["If-Match": "\"other\"", "Range": "bytes=0-9"], status: 412),

    // Paths never leave the roots; dotfiles and directories are not served.
    HTTPCase(name: "dot-dot segment", path: "/hls/clip/../clip/master.m3u8", status: 404, expect: ["Cache-Control": "no-store"]),
    HTTPCase(name: "encoded dot-dot", path: "/hls/clip/%2e%2e/clip/master.m3u8", status: 404),
    HTTPCase(name: "encoded dot-dot, mixed case", path: "/media/%2E%2e/outside.txt", status: 404),
    HTTPCase(name: "encoded slash", path: "/hls/clip%2fmaster.m3u8", status: 404),
    HTTPCase(name: "double encoding", path: "/hls/%252e%252e/clip/master.m3u8", status: 404),
    HTTPCase(name: "absolute symlink out of the root", path: "/media/escape.mp4", status: 404),
    HTTPCase(name: "relative symlink out of the root", path: "/media/escape-relative.mp4", status: 404),
    HTTPCase(name: "dotfile in media", path: "/media/.hidden.mp4", status: 404),
    HTTPCase(name: "dotfile in the library", path: "/hls/.hidden", status: 404),
    HTTPCase(name: "dotfile in an asset", path: "/hls/clip/.staging", status: 404),
    HTTPCase(name: "encoded NUL", path: "/media/movie.mp4%00.txt", status: 404),
    HTTPCase(name: "encoded backslash", path: "/media/..%5coutside.txt", status: 404),
    HTTPCase(name: "directory", path: "/hls/clip/copy", status: 404),
    HTTPCase(name: "directory with slash", path: "/hls/clip/copy/", status: 404),
    HTTPCase(name: "empty segment", path: "/hls/clip//master.m3u8", status: 404),
    HTTPCase(name: "missing file", path: "/hls/clip/copy/seg-99999.m4s", status: 404, expect: ["Cache-Control": "no-store"]),
    HTTPCase(name: "unknown route", path: "/nope", status: 404, expect: ["Cache-Control": "no-store"]),

    // CORS, methods, the other routes.
    HTTPCase(name: "CORS on a file", path: segment, headers: ["Origin": "https://player.example"], status: 200,
             expect: ["Access-Control-Allow-Origin": "*"]),
    HTTPCase(name: "CORS preflight allows Range", method: .options, path: segment,
             headers: ["Origin": "https://player.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "range"],
             status: 204, expect: ["Access-Control-Allow-Origin": "*"]),
    HTTPCase(name: "POST is not allowed", method: .post, path: segment, status: 405, expect: ["Allow": "GET, HEAD, OPTIONS", "Cache-Control": "no-store"]),
    HTTPCase(name: "health", path: "/healthz", status: 200, expect: ["Cache-Control": "no-cache"]),
    HTTPCase(name: "asset list", path: "/api/assets", status: 200, expect: ["Content-Type": "application/json", "Cache-Control": "no-cache"]),
    HTTPCase(name: "one asset", path: "/api/assets/clip", status: 200, expect: ["Content-Type": "application/json"]),
    HTTPCase(name: "unknown asset", path: "/api/assets/nope", status: 404, expect: ["Cache-Control": "no-store"]),
    HTTPCase(name: "page", path: "/", status: 200, expect: ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache"]),
    HTTPCase(name: "HEAD page", method: .head, path: "/", status: 200, body: .empty),
    HTTPCase(name: "media list", path: "/api/media", status: 200, expect: ["Content-Type": "application/json", "Cache-Control": "no-cache"]),

    // The page's own files: served from memory, revalidated on every use.
    HTTPCase(name: "page stylesheet", path: "/static/reel.css", status: 200,
             expect: ["Content-Type": "text/css; charset=utf-8", "Cache-Control": "no-cache", "ETag": "{etag}"]),
    HTTPCase(name: "page script", path: "/static/reel.js", status: 200,
             expect: ["Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache", "ETag": "{etag}"]),
    HTTPCase(name: "page icon", path: "/static/icon.svg", status: 200, expect: ["Content-Type": "image/svg+xml", "Cache-Control": "no-cache"]),
    HTTPCase(name: "HEAD page script", method: .head, path: "/static/reel.js", status: 200, expect: ["ETag": "{etag}"], body: .empty),
    HTTPCase(name: "page script revalidated: 304 with the same ETag and Cache-Control", path: "/static/reel.js",
             headers: ["If-None-Match": "\"stale\", {etag}"], status: 304, expect: ["ETag": "{etag}", "Cache-Control": "no-cache"], body: .empty),
    HTTPCase(name: "page script, another ETag", path: "/static/reel.js", headers: ["If-None-Match": "\"stale\""], status: 200),
    HTTPCase(name: "unknown page file", path: "/static/nope.js", status: 404, expect: ["Cache-Control": "no-store"]),
    HTTPCase(name: "page files are not a directory tree", path: "/static/../api/assets", status: 404),
]

@Suite("RFC 9110/9111 conformance over real HTTP")
struct HTTPConformanceTests {
    static func makeServer(_ tree: ServedTree) throws -> ReelServer {
        try makeServer(library: tree.library, media: tree.media)
    }

    static func makeServer(library: URL, media: URL) throws -> ReelServer {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return try ReelServer(options: ServerOptions(host: "127.0.0.1", port: 0, library: library.path, media: media.path), logger: logger)
    }

    /// Which code answers: the fast path below the HTTP codec (a real socket: every file
    /// GET and HEAD takes it), or Hummingbird's responder (called directly: its file path serves
    /// blocking reloads and any head the fast path hands on). One table, both paths.
    enum AnsweringPath: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case fastPath, hummingbird
        var testDescription: String { rawValue }
    }

    /// How many responses the fast path has written, from `/metrics`.
    static func fastPathResponses(_ client: some TestClientProtocol) async throws -> Int {
        let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
        let line = text.split(separator: "\n").first { $0.hasPrefix("reel_http_fast_path_responses_total ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test(arguments: conformanceCases, AnsweringPath.allCases)
    func conformance(_ testCase: HTTPCase, answeredBy path: AnsweringPath) async throws {
        let tree = try ServedTree()
        let app = try Self.makeServer(tree).makeApplication()
        try await app.test(path == .fastPath ? .live : .router) { client in
            var etag = ""
            if testCase.path.hasPrefix("/hls/") || testCase.path.hasPrefix("/media/") || testCase.path.hasPrefix("/static/") {
                etag = try await client.execute(uri: testCase.path, method: .head).headers[.eTag] ?? ""
            }
            func fill(_ value: String) -> String { value.replacingOccurrences(of: "{etag}", with: etag) }
            var headers = HTTPFields()
            for (name, value) in testCase.headers { headers[HTTPField.Name(name)!] = fill(value) }
            let fastBefore = try await Self.fastPathResponses(client)
            let response = try await client.execute(uri: testCase.path, method: testCase.method, headers: headers)
            let fastAfter = try await Self.fastPathResponses(client)
            let isFile = testCase.path.hasPrefix("/hls/") || testCase.path.hasPrefix("/media/")
            let takesFastPath = path == .fastPath && isFile && [.get, .head].contains(testCase.method)
            #expect(fastAfter - fastBefore == (takesFastPath ? 1 : 0), "\(testCase.name): answered by the \(takesFastPath ? "fast path" : "responder")")
            #expect(Int(response.status.code) == testCase.status, "\(testCase.name)")
            for (name, expected) in testCase.expect {
                let actual = response.headers[HTTPField.Name(name)!]
                #expect(actual == expected.map(fill), "\(testCase.name): \(name)")
            }
            if (200..<300).contains(testCase.status) || testCase.status == 304 || testCase.status == 416 || testCase.status == 412 {
                #expect(response.headers[.accessControlAllowOrigin] == "*")
            }
            let body = Data(buffer: response.body)
            switch testCase.body {
            case .ignore: break
            case .empty: #expect(body.isEmpty, "\(testCase.name): body must be empty")
            case .segment(let range): #expect(body == ServedTree.segmentBytes.subdata(in: range), "\(testCase.name): body")
            case .movie(let range): #expect(body == ServedTree.movieBytes.subdata(in: range), "\(testCase.name): body")
            case .segmentParts(let ranges):
                let parts = try MultipartByteRangesParser.parse(body: body, contentType: response.headers[.contentType] ?? "")
                #expect(parts.map(\.range) == ranges.map { $0.lowerBound...($0.upperBound - 1) })
                for (part, range) in zip(parts, ranges) {
                    #expect(part.body == ServedTree.segmentBytes.subdata(in: range))
                    #expect(part.contentRange == "bytes \(range.lowerBound)-\(range.upperBound - 1)/1000")
                    #expect(part.contentType == "video/iso.segment")
                }
                #expect(Int(response.headers[.contentLength] ?? "") == body.count)
            }
            if let length = response.headers[.contentLength], testCase.method != .head {
                #expect(Int(length) == body.count, "\(testCase.name): Content-Length matches the body")
            }
        }
    }

    @Test func assetsAPI() async throws {
        let tree = try ServedTree()
        let app = try Self.makeServer(tree).makeApplication()
        try await app.test(.live) { client in
            let list = try await client.execute(uri: "/api/assets", method: .get)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [String: Any])
            let assets = try #require(object["assets"] as? [[String: Any]])
            #expect(assets.compactMap { $0["name"] as? String } == ["clip", "live"])
            #expect(assets.compactMap { $0["state"] as? String } == ["ready", "ingesting"])
            #expect(assets.first?["master"] as? String == "/hls/clip/master.m3u8")
            #expect((assets.first?["renditions"] as? [[String: Any]])?.first?["name"] as? String == "copy")
            #expect(assets.first?["duration"] as? Double == 6)
        }
    }

    @Test func metricsCountRequests() async throws {
        let tree = try ServedTree()
        let app = try Self.makeServer(tree).makeApplication()
        try await app.test(.live) { client in
            _ = try await client.execute(uri: segment, method: .get)
            _ = try await client.execute(uri: "/nope", method: .get)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("reel_http_requests_total{route=\"hls\",status=\"200\"} 1"), "\(metrics)")
            #expect(metrics.contains("reel_http_requests_total{route=\"other\",status=\"404\"} 1"))
            #expect(metrics.contains("reel_http_response_bytes_total{route=\"hls\"} 1000"))
            #expect(metrics.contains("reel_http_request_duration_seconds_bucket"))
            #expect(metrics.contains("reel_http_requests_in_flight"))
        }
    }

    @Test func changedFileGetsNewValidators() async throws {
        let tree = try ServedTree()
        let app = try Self.makeServer(tree).makeApplication()
        try await app.test(.live) { client in
            let playlist = "/hls/live/copy/index.m3u8"
            let first = try await client.execute(uri: playlist, method: .get)
            let grown = ServedTree.eventPlaylist + "#EXTINF:6.000000,\nseg-00001.m4s\n"
            try Data(grown.utf8).write(to: tree.library.appendingPathComponent("live/copy/index.m3u8"))
            let second = try await client.execute(uri: playlist, method: .get, headers: [.ifNoneMatch: first.headers[.eTag] ?? ""])
            #expect(second.status == .ok, "the small-file cache must notice the change")
            #expect(String(buffer: second.body) == grown)
            #expect(second.headers[.eTag] != first.headers[.eTag])
        }
    }

    /// Sets the modification time of a file of the tree.
    private static func setModified(_ date: Date, _ relative: String, in tree: ServedTree) throws {
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: tree.scratch.appending(relative).path)
    }

    /// RFC 9110 §8.8.2.1: Last-Modified is never later than Date, for a file whose modification
    /// time is in the future and for one modified this very second, in 200, 206, 304 and HEAD
    /// responses. The rounds, 300 ms apart, meet the server's once-a-second Date at several phases.
    @Test func lastModifiedNeverLaterThanDate() async throws {
        let tree = try ServedTree()
        try Self.setModified(Date(timeIntervalSince1970: 4_102_444_800), "library/clip/copy/seg-00000.m4s", in: tree)
        try Self.setModified(Date(), "media/movie.mp4", in: tree)
        let app = try Self.makeServer(tree).makeApplication()
        try await app.test(.live) { client in
            let requests: [(path: String, method: HTTPRequest.Method, headers: HTTPFields, status: Int)] = [
                (segment, .get, [:], 200),
                (segment, .head, [:], 200),
                (segment, .get, [.range: "bytes=0-9"], 206),
                (segment, .get, [.ifModifiedSince: "Fri, 01 Jan 2100 00:00:00 GMT"], 304),
                ("/media/movie.mp4", .get, [:], 200),
            ]
            for round in 0..<4 {
                for request in requests {
                    let response = try await client.execute(uri: request.path, method: request.method, headers: request.headers)
                    let label = "round \(round), \(request.method) \(request.path) \(request.headers)"
                    #expect(Int(response.status.code) == request.status, "\(label)")
                    let date = try #require(response.headers[.date].flatMap { HTTPDate.parse($0) }, "\(label): Date")
                    let lastModified = try #require(response.headers[.lastModified].flatMap { HTTPDate.parse($0) }, "\(label): Last-Modified")
                    #expect(lastModified <= date, "\(label): Last-Modified \(HTTPDate.format(lastModified)) is later than Date \(HTTPDate.format(date))")
                    #expect(lastModified > date - 60, "\(label): Last-Modified is the response's time, not the modification time")
                }
                try await Task.sleep(for: .milliseconds(300))
            }
        }
    }

    /// RFC 9110 §13.1.5: an If-Range date holds only when it equals Last-Modified and is strong
    /// (§8.8.2.2), Last-Modified at least one second before Date; an entity-tag holds by strong
    /// comparison, whenever the file changed.
    @Test func ifRangeDateMustBeStrong() async throws {
        let tree = try ServedTree()
        let app = try Self.makeServer(tree).makeApplication()
        try await app.test(.live) { client in
            func rangeRequest(_ path: String, ifRange: String) async throws -> TestResponse {
                try await client.execute(uri: path, method: .get, headers: [.ifRange: ifRange, .range: "bytes=0-9"])
            }
            // Modified in 2024: the date is strong.
            let old = try await rangeRequest(segment, ifRange: ServedTree.lastModified)
            #expect(old.status == .partialContent)
            #expect(Data(buffer: old.body) == ServedTree.segmentBytes.subdata(in: 0..<10))

            // Modified in 2100: Last-Modified is the response's Date, never a strong validator.
            try Self.setModified(Date(timeIntervalSince1970: 4_102_444_800), "library/clip/copy/seg-00000.m4s", in: tree)
            let head = try await client.execute(uri: segment, method: .head)
            let future = try await rangeRequest(segment, ifRange: try #require(head.headers[.lastModified]))
            #expect(future.status == .ok, "a future modification time is no strong date")
            #expect(Data(buffer: future.body) == ServedTree.segmentBytes)
            let futureByTag = try await rangeRequest(segment, ifRange: try #require(head.headers[.eTag]))
            #expect(futureByTag.status == .partialContent, "the ETag stays strong")
            #expect(Data(buffer: futureByTag.body) == ServedTree.segmentBytes.subdata(in: 0..<10))

            // Modified just now: a Last-Modified less than a second before the response's Date is
            // weak (§8.8.2.2), so the range is ignored; a second later the same date is strong.
            var checked = false
            for _ in 0..<5 where !checked {
                try Self.setModified(Date(), "media/movie.mp4", in: tree)
                let fresh = try await client.execute(uri: "/media/movie.mp4", method: .head)
                let lastModified = try #require(fresh.headers[.lastModified])
                let response = try await rangeRequest("/media/movie.mp4", ifRange: lastModified)
                let date = try #require(response.headers[.date].flatMap(HTTPDate.parse))
                guard date - (try #require(HTTPDate.parse(lastModified))) < 1 else { continue }
                checked = true
                #expect(response.status == .ok, "a date in the response's own second is weak: the range is ignored")
                #expect(Data(buffer: response.body) == ServedTree.movieBytes)
                let byTag = try await rangeRequest("/media/movie.mp4", ifRange: try #require(fresh.headers[.eTag]))
                #expect(byTag.status == .partialContent, "the ETag stays strong")
                #expect(Data(buffer: byTag.body) == ServedTree.movieBytes.subdata(in: 0..<10))
            }
            #expect(checked, "five tries each crossed a second")
        }
    }
}
