import Foundation
@testable import HLSServer
import HLSPlaylist
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ReelTestSupport
import Testing

/// `reel serve --secret-file` over HTTP, on both paths (the fast path over a real socket,
/// Hummingbird's responder called directly), and key files with or without signing.
@Suite("Signed URLs and keys over HTTP")
struct SignedServingTests {
    typealias AnsweringPath = HTTPConformanceTests.AnsweringPath
    static let key = Data((0..<16).map { UInt8($0 * 3) })
    static let future = Int64(Date().timeIntervalSince1970) + 3600

    static func app(_ library: URL, _ media: URL, signed: Bool = true) throws -> some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let options = ServerOptions(
            host: "127.0.0.1", port: 0, library: library.path, media: media.path, signingSecret: signed ? try SigningSecret(bytes: testSecret) : nil
        )
        return try ReelServer(options: options, logger: logger).makeApplication()
    }

    /// The served tree with a key beside the clip's segments, as an encrypted ingest leaves it.
    static func tree() throws -> ServedTree {
        let tree = try ServedTree()
        let path = tree.library.appendingPathComponent("clip/copy/key-00000.key").path
        #expect(FileManager.default.createFile(atPath: path, contents: key, attributes: [.posixPermissions: 0o600]))
        return tree
    }

    static func query(_ scope: String = "/hls/clip/", expires: Int64 = future) -> String {
        URLSignature(scope: scope, expires: expires, secret: testSecret).query
    }

    static func rejections(_ client: some TestClientProtocol) async throws -> [String: Int] {
        let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("reel_http_signature_rejections_total{reason=\"") {
            let reason = line.dropFirst("reel_http_signature_rejections_total{reason=\"".count).prefix { $0 != "\"" }
            counts[String(reason)] = Int(line.split(separator: " ").last ?? "")
        }
        return counts
    }

    static let files = [
        "/hls/clip/master.m3u8", "/hls/clip/copy/index.m3u8", "/hls/clip/copy/init.mp4", "/hls/clip/copy/seg-00000.m4s",
        "/hls/clip/copy/key-00000.key", "/hls/live/copy/index.m3u8?_HLS_msn=0", "/hls/clip/copy/seg-99999.m4s", "/hls/clip/copy/",
        "/hls/clip/../clip/master.m3u8", "/media/movie.mp4", "/media/sub%20dir/clip.webm", "/media/nope.mp4",
    ]

    @Test(arguments: AnsweringPath.allCases)
    func everyUnsignedFileRequestIs403(path: AnsweringPath) async throws {
        let tree = try Self.tree()
        try await Self.app(tree.library, tree.media).test(path == .fastPath ? .live : .router) { client in
            let fastBefore = try await HTTPConformanceTests.fastPathResponses(client)
            for file in Self.files {
                for method in [HTTPRequest.Method.get, .head] {
                    let response = try await client.execute(uri: file, method: method, headers: [.range: "bytes=0-9"])
                    #expect(response.status == .forbidden, "\(method) \(file)")
                    #expect(response.headers[.cacheControl] == "no-store", "\(method) \(file)")
                    if method == .head { #expect(response.body.readableBytes == 0, "\(file)") }
                }
            }
            let fastAfter = try await HTTPConformanceTests.fastPathResponses(client)
            #expect(fastAfter - fastBefore == (path == .fastPath ? 2 * Self.files.count : 0))
            #expect(try await Self.rejections(client)["missing"] == 2 * Self.files.count)
        }
    }

    @Test(arguments: AnsweringPath.allCases)
    func signedPlaylistsArePrivateAndNameSignedURIs(path: AnsweringPath) async throws {
        let tree = try Self.tree()
        let query = Self.query()
        try await Self.app(tree.library, tree.media).test(path == .fastPath ? .live : .router) { client in
            let master = try await client.execute(uri: "/hls/clip/master.m3u8?" + query, method: .get)
            #expect(master.status == .ok)
            #expect(master.headers[.cacheControl] == "private, max-age=3600")
            #expect(master.headers[.contentType] == "application/vnd.apple.mpegurl")
            #expect(String(buffer: master.body).contains("\ncopy/index.m3u8?\(query)\n"))
            let media = try await client.execute(uri: "/hls/clip/copy/index.m3u8?" + query, method: .get)
            let text = String(buffer: media.body)
            #expect(text == SignedPlaylist.rewrite(ServedTree.vodPlaylist, query: query))
            #expect(text.contains("#EXT-X-MAP:URI=\"init.mp4?\(query)\"") && text.contains("\nseg-00000.m4s?\(query)\n"))
            #expect(Int(media.headers[.contentLength] ?? "") == media.body.readableBytes)
            // Its own validators: a 304 keeps the private Cache-Control; HEAD the same length.
            let etag = try #require(media.headers[.eTag])
            let revalidated = try await client.execute(uri: "/hls/clip/copy/index.m3u8?" + query, method: .get, headers: [.ifNoneMatch: etag])
            #expect(revalidated.status == .notModified)
            #expect(revalidated.headers[.cacheControl] == "private, max-age=3600" && revalidated.headers[.eTag] == etag)
            let head = try await client.execute(uri: "/hls/clip/copy/index.m3u8?" + query, method: .head)
            #expect(head.headers[.contentLength] == media.headers[.contentLength] && head.body.readableBytes == 0)
            let other = Self.query(expires: Self.future + 1)
            #expect(try await client.execute(uri: "/hls/clip/copy/index.m3u8?" + other, method: .get).headers[.eTag] != etag)
            // A growing playlist keeps the max-age its policy gives.
            let live = try await client.execute(uri: "/hls/live/copy/index.m3u8?" + Self.query("/hls/live/"), method: .get)
            #expect(live.headers[.cacheControl] == "private, max-age=3")
            // Segments are the same bytes for everyone.
            let segment = try await client.execute(uri: "/hls/clip/copy/seg-00000.m4s?" + query, method: .get, headers: [.range: "bytes=10-19"])
            #expect(segment.status == .partialContent && Data(buffer: segment.body) == ServedTree.segmentBytes[10..<20])
            #expect(segment.headers[.cacheControl] == "public, max-age=31536000, immutable")
            let movie = try await client.execute(uri: "/media/movie.mp4?" + Self.query("/media/movie.mp4"), method: .get, headers: [.range: "bytes=0-99"])
            #expect(movie.status == .partialContent && movie.body.readableBytes == 100)
        }
    }

    @Test(arguments: AnsweringPath.allCases, [false, true])
    func keysArePrivateAndNeverStored(path: AnsweringPath, signed: Bool) async throws {
        let tree = try Self.tree()
        let suffix = signed ? "?" + Self.query() : ""
        try await Self.app(tree.library, tree.media, signed: signed).test(path == .fastPath ? .live : .router) { client in
            // Twice: the second answer may come from memory.
            for _ in 0..<2 {
                let key = try await client.execute(uri: "/hls/clip/copy/key-00000.key" + suffix, method: .get)
                #expect(key.status == .ok)
                #expect(Data(buffer: key.body) == Self.key)
                #expect(key.headers[.cacheControl] == "private, no-store")
                #expect(key.headers[.contentType] == "application/octet-stream")
                let etag = try #require(key.headers[.eTag])
                let revalidated = try await client.execute(uri: "/hls/clip/copy/key-00000.key" + suffix, method: .get, headers: [.ifNoneMatch: etag])
                #expect(revalidated.status == .notModified && revalidated.headers[.cacheControl] == "private, no-store")
                let range = try await client.execute(uri: "/hls/clip/copy/key-00000.key" + suffix, method: .head, headers: [.range: "bytes=0-3"])
                #expect(range.status == .partialContent && range.headers[.cacheControl] == "private, no-store")
            }
        }
    }

    @Test(arguments: AnsweringPath.allCases)
    func rejectionsAreCountedByReason(path: AnsweringPath) async throws {
        let tree = try Self.tree()
        let good = Self.query()
        var tampered = Array(good.utf8)
        tampered[tampered.count - 5] = tampered[tampered.count - 5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let cases: [(target: String, reason: String)] = [
            ("/hls/clip/master.m3u8", "missing"),
            ("/hls/clip/master.m3u8?exp=1&scope=/hls/clip/", "malformed"),
            ("/hls/clip/master.m3u8?" + Self.query(expires: 1_000_000), "expired"),
            ("/hls/clip/master.m3u8?" + String(decoding: tampered, as: UTF8.self), "invalid"),
            ("/hls/clip/master.m3u8?" + good.replacingOccurrences(of: "exp=\(Self.future)", with: "exp=\(Self.future + 1)"), "invalid"),
            ("/hls/live/master.m3u8?" + good, "scope"),
            ("/media/movie.mp4?" + Self.query("/media/movie.mp"), "scope"),
            ("/api/assets?" + good, "scope"),
        ]
        try await Self.app(tree.library, tree.media).test(path == .fastPath ? .live : .router) { client in
            for (target, _) in cases {
                let response = try await client.execute(uri: target, method: .get)
                #expect(response.status == .forbidden, "\(target)")
                #expect(response.headers[.cacheControl] == "no-store")
            }
            let counts = try await Self.rejections(client)
            #expect(counts == ["missing": 1, "malformed": 1, "expired": 1, "invalid": 2, "scope": 3])
        }
    }

    @Test(arguments: AnsweringPath.allCases)
    func pageAndAPINeedTheWholeScope(path: AnsweringPath) async throws {
        let tree = try Self.tree()
        let everything = Self.query("/")
        try await Self.app(tree.library, tree.media).test(path == .fastPath ? .live : .router) { client in
            for target in ["/", "/?asset=clip", "/api/assets", "/api/assets/clip", "/api/media"] {
                #expect(try await client.execute(uri: target, method: .get).status == .forbidden, "\(target)")
                let sep = target.contains("?") ? "&" : "?"
                #expect(try await client.execute(uri: target + sep + Self.query(), method: .get).status == .forbidden, "\(target) with an asset's scope")
                #expect(try await client.execute(uri: target + sep + everything, method: .get).status == .ok, "\(target) signed")
            }
            for target in ["/healthz", "/metrics", "/static/reel.js", "/static/reel.css"] {
                #expect(try await client.execute(uri: target, method: .get).status == .ok, "\(target)")
            }
            #expect(try await client.execute(uri: "/hls/clip/master.m3u8", method: .options).status == .noContent)
            let asset = String(buffer: try await client.execute(uri: "/api/assets/clip?" + everything, method: .get).body)
            #expect(asset.contains("\"master\":\"/hls/clip/master.m3u8?\(everything)\""), "\(asset)")
            #expect(asset.contains("\"playlist\":\"/hls/clip/copy/index.m3u8?\(everything)\""), "\(asset)")
            let media = String(buffer: try await client.execute(uri: "/api/media?" + everything, method: .get).body)
            #expect(media.contains("\"url\":\"/media/movie.mp4?\(everything)\""), "\(media)")
            #expect(!media.contains(".key") && !asset.contains(".key"))
            let page = String(buffer: try await client.execute(uri: "/?asset=clip&" + everything, method: .get).body)
            let escaped = everything.replacingOccurrences(of: "&", with: "&amp;")
            #expect(page.contains("src=\"/hls/clip/master.m3u8?\(escaped)\""))
            #expect(page.contains("href=\"/?asset=clip&amp;\(escaped)\""))
            #expect(page.contains("class=\"brand\" href=\"/?\(escaped)\""))
            // The signed master the page plays opens the asset.
            #expect(try await client.execute(uri: "/hls/clip/master.m3u8?" + everything, method: .get).status == .ok)
        }
    }

    /// A blocking reload waits with its signature, and its answer, after the wait, is rewritten
    /// (over a raw socket: the test client's connection would queue the metrics behind it).
    @Test func signedBlockingReloadIsRewrittenAfterItsWait() async throws {
        let asset = try LiveAsset(segments: 2, targetDuration: 4)
        let query = Self.query("/hls/live/")
        try await Self.app(asset.library, asset.media).test(.live) { client in
            let port = try #require(client.port)
            #expect(try await BlockingReloadTests.get(port, "/hls/live/copy/index.m3u8?_HLS_msn=2").status == 403)
            async let waiting = BlockingReloadTests.get(port, "/hls/live/copy/index.m3u8?_HLS_msn=2&" + query)
            #expect(try await eventually(within: .seconds(10)) { try await BlockingReloadTests.metric("reel_hls_blocking_reloads_waiting", port: port) == 1 })
            try asset.publish(segments: 3)
            let response = try await waiting
            #expect(response.status == 200)
            #expect(response.body.contains("\nseg-2.ts?\(query)\n"))
            #expect(response.body.hasPrefix("#EXTM3U"))
        }
    }

    /// The same on Hummingbird's path, which holds the request in a task.
    @Test func signedBlockingReloadOnHummingbirdsPath() async throws {
        let asset = try LiveAsset(segments: 2, targetDuration: 4)
        let query = Self.query("/hls/live/")
        try await Self.app(asset.library, asset.media).test(.router) { client in
            async let waiting = client.execute(uri: "/hls/live/copy/index.m3u8?_HLS_msn=2&" + query, method: .get)
            #expect(try await eventually(within: .seconds(10)) {
                String(buffer: try await client.execute(uri: "/metrics", method: .get).body).contains("reel_hls_blocking_reloads_waiting 1")
            })
            try asset.publish(segments: 3)
            let response = try await waiting
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("\nseg-2.ts?\(query)\n"))
            // The manifest's target duration (6): a reload's answer, kept privately.
            #expect(response.headers[.cacheControl] == "private, max-age=36")
        }
    }

    /// A delta update asked with a signature is rewritten too, with an ETag of its own; a GET of
    /// a hinted part with a signature is held, then served.
    @Test(arguments: AnsweringPath.allCases)
    func signedDeltaUpdatesAndHintedParts(path: AnsweringPath) async throws {
        let asset = try LiveAsset(segments: 0, targetDuration: 2)
        let directory = asset.held.directory.appendingPathComponent("copy")
        var playlist = BlockingReloadParameterTests.lowLatency()
        playlist.segments = (0..<10).map { MediaSegment(uri: "seg-\(10 + $0).m4s", duration: 2) }
        playlist.serverControl?.canSkipUntil = 12
        playlist.pendingParts = []
        playlist.preloadHints = [PreloadHint(kind: .part, uri: "seg-20.0.m4s")]
        try Data(playlist.render().utf8).write(to: directory.appendingPathComponent("index.m3u8"))
        let query = Self.query("/hls/live/")
        try await Self.app(asset.library, asset.media).test(path == .fastPath ? .live : .router) { client in
            let delta = try await client.execute(uri: "/hls/live/copy/index.m3u8?_HLS_skip=YES&" + query, method: .get)
            let text = String(buffer: delta.body)
            #expect(text.contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=4\n#EXTINF:2.000000,\nseg-14.m4s?\(query)\n"), "\(text)")
            #expect(text.contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg-20.0.m4s?\(query)\""), "\(text)")
            #expect(delta.headers[.eTag]?.contains("-delta-s") == true)
            #expect(delta.headers[.cacheControl]?.hasPrefix("private, max-age=") == true)
            #expect(try await client.execute(uri: "/hls/live/copy/seg-20.0.m4s", method: .get).status == .forbidden)
            async let waiting = BlockingReloadTests.get("/hls/live/copy/seg-20.0.m4s?" + query, by: path, client: client)
            #expect(try await eventually(within: .seconds(10)) {
                String(buffer: try await client.execute(uri: "/metrics", method: .get).body).contains("reel_hls_blocking_reloads_waiting 1")
            })
            try Data("part".utf8).write(to: directory.appendingPathComponent(".seg-20.0.m4s.part"))
            #expect(rename(directory.appendingPathComponent(".seg-20.0.m4s.part").path, directory.appendingPathComponent("seg-20.0.m4s").path) == 0)
            let response = try await waiting
            #expect(response.status == 200 && response.body == "part")
        }
    }
}
