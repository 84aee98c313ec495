import Foundation
import HLSPlaylist
@testable import HLSServer
import Hummingbird
import HummingbirdTesting
import Logging
import ReelTestSupport
import Testing

@Suite("Blocking reload parameters")
struct BlockingReloadParameterTests {
    @Test(arguments: [
        (nil, nil, BlockingReload.none),
        ("3", nil, .wait(msn: 3, part: nil)),
        ("0", "2", .wait(msn: 0, part: 2)),
        (nil, "1", .invalid("_HLS_part requires _HLS_msn")),
        ("-1", nil, .invalid("_HLS_msn must be a decimal integer")),
        ("", nil, .invalid("_HLS_msn must be a decimal integer")),
        ("1e3", nil, .invalid("_HLS_msn must be a decimal integer")),
        ("99999999999999999999", nil, .invalid("_HLS_msn must be a decimal integer")),
        ("4", "x", .invalid("_HLS_part must be a decimal integer")),
    ] as [(String?, String?, BlockingReload)])
    func parse(msn: String?, part: String?, expected: BlockingReload) {
        #expect(BlockingReload(msn: msn, part: part) == expected)
    }

    /// The query string as sent: the first value of each parameter, percent-decoded; other
    /// parameters ignored; names compared as sent (Hummingbird's reading of a query).
    @Test(arguments: [
        (nil, BlockingReload.none),
        ("", .none),
        ("foo=1&bar", .none),
        ("_HLS_msn=7", .wait(msn: 7, part: nil)),
        ("a=b&_HLS_msn=%37&_HLS_part=%30", .wait(msn: 7, part: 0)),
        ("_HLS_msn=2&_HLS_msn=9", .wait(msn: 2, part: nil)),
        ("_HLS_msn", .invalid("_HLS_msn must be a decimal integer")),
        ("_HLS_part=1", .invalid("_HLS_part requires _HLS_msn")),
        ("_hls_msn=1", .none),
        ("_HLS_msn=1&_HLS_part=%zz", .invalid("_HLS_part must be a decimal integer")),
    ] as [(String?, BlockingReload)])
    func parse(query: String?, expected: BlockingReload) {
        #expect(DeliveryDirectives(query: query.map { $0[...] }).reload == expected)
    }

    static func playlist(segments: Int, sequence: Int = 0, endList: Bool = false) -> MediaPlaylist {
        MediaPlaylist(
            targetDuration: 2, mediaSequence: sequence, playlistType: .event,
            segments: (0..<segments).map { MediaSegment(uri: "seg-\($0).ts", duration: 2) }, endList: endList
        )
    }

    @Test(arguments: [
        // (msn, segments, media sequence, ENDLIST, ingest running, decision)
        (0, 1, 0, false, true, BlockingReload.Decision.serve),
        (1, 1, 0, false, true, .wait(timeout: 6)),
        (2, 1, 0, false, true, .wait(timeout: 6)),
        (3, 1, 0, false, true, .tooFarAhead),
        (12, 3, 10, false, true, .serve),
        (13, 3, 10, false, true, .wait(timeout: 6)),
        (16, 3, 10, false, true, .tooFarAhead),
        (1, 1, 0, false, false, .abandoned),
        (3, 1, 0, false, false, .tooFarAhead),
        (50, 1, 0, true, false, .serve),
        (50, 1, 0, true, true, .serve),
    ] as [(Int, Int, Int, Bool, Bool, BlockingReload.Decision)])
    func decide(msn: Int, segments: Int, sequence: Int, endList: Bool, running: Bool, expected: BlockingReload.Decision) {
        let playlist = Self.playlist(segments: segments, sequence: sequence, endList: endList)
        #expect(BlockingReload.decide(msn: msn, playlist: playlist, ingestRunning: running) == expected)
    }

    /// Segments 10 and 11 complete, two parts of segment 12 listed; parts of 0.5 s, segments of 2 s.
    static func lowLatency(partTarget: Double? = 0.5, endList: Bool = false) -> MediaPlaylist {
        MediaPlaylist(
            targetDuration: 2, mediaSequence: 10, playlistType: .event,
            serverControl: ServerControl(canBlockReload: true, partHoldBack: 1.5),
            segments: [MediaSegment(uri: "seg-10.m4s", duration: 2), MediaSegment(uri: "seg-11.m4s", duration: 2)],
            endList: endList, partTarget: partTarget,
            pendingParts: partTarget == nil ? [] : [
                PartialSegment(uri: "seg-12.0.m4s", duration: 0.5, independent: true), PartialSegment(uri: "seg-12.1.m4s", duration: 0.5),
            ]
        )
    }

    /// RFC 8216bis §6.2.5.2: part P of segment N, or anything later; 400 past two segments or
    /// past the Advance Part Limit (3 s of parts: 6 parts of 0.5 s) beyond the last part listed.
    @Test(arguments: [
        // (msn, part, PART-TARGET, ingest running, decision)
        (11, 3, 0.5, true, BlockingReload.Decision.serve),
        (12, 0, 0.5, true, .serve),
        (12, 1, 0.5, true, .serve),
        (12, 2, 0.5, true, .wait(timeout: 6)),
        (12, 7, 0.5, true, .wait(timeout: 6)),
        (12, 8, 0.5, true, .tooFarAhead),
        (13, 0, 0.5, true, .wait(timeout: 6)),
        (13, 3, 0.5, true, .wait(timeout: 6)),
        (13, 4, 0.5, true, .tooFarAhead),
        (14, 0, 0.5, true, .tooFarAhead),
        (12, 2, 0.5, false, .abandoned),
        (12, 5, nil, true, .wait(timeout: 6)),
        (12, 3, 1.5, true, .wait(timeout: 6)),
        (12, 5, 1.5, true, .tooFarAhead),
    ] as [(Int, Int, Double?, Bool, BlockingReload.Decision)])
    func decideParts(msn: Int, part: Int, partTarget: Double?, running: Bool, expected: BlockingReload.Decision) {
        let playlist = Self.lowLatency(partTarget: partTarget)
        #expect(BlockingReload.decide(msn: msn, part: part, playlist: playlist, ingestRunning: running) == expected)
    }

    @Test func completeLowLatencyPlaylistIsServed() {
        #expect(BlockingReload.decide(msn: 40, part: 9, playlist: Self.lowLatency(endList: true), ingestRunning: false) == .serve)
    }

    @Test func notAMediaPlaylistIsServed() {
        #expect(BlockingReload.decide(msn: 5, playlist: nil, ingestRunning: true) == .serve)
    }
}

/// A library holding one asset that the test "ingests" itself (a ``HeldAsset`` with a
/// manifest and a master playlist).
final class LiveAsset: Sendable {
    let scratch: TemporaryDirectory
    let held: HeldAsset
    var library: URL { scratch.appending("library") }
    var media: URL { scratch.appending("media") }

    init(segments: Int, targetDuration: Int = 1) throws {
        scratch = try TemporaryDirectory(prefix: "live-asset")
        try FileManager.default.createDirectory(at: scratch.appending("media"), withIntermediateDirectories: true)
        held = try HeldAsset(library: scratch.appending("library"), targetDuration: targetDuration)
        try Data(ServedTree.manifest(name: "live", state: "ingesting").utf8).write(to: held.directory.appendingPathComponent("manifest.json"))
        try Data("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\ncopy/index.m3u8\n".utf8).write(to: held.directory.appendingPathComponent("master.m3u8"))
        try held.publish(segments: segments)
    }

    @discardableResult
    func publish(segments: Int, endList: Bool = false) throws -> ContinuousClock.Instant {
        try held.publish(segments: segments, endList: endList)
    }

    func die() { held.die() }
}

@Suite("Blocking playlist reload (_HLS_msn)")
struct BlockingReloadTests {
    static func app(_ asset: LiveAsset) throws -> some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return try ReelServer(
            options: ServerOptions(host: "127.0.0.1", port: 0, library: asset.library.path, media: asset.media.path),
            logger: logger
        ).makeApplication()
    }

    static func get(_ port: Int, _ target: String) async throws -> (status: Int, body: String, at: ContinuousClock.Instant) {
        let request = "GET \(target) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let (response, _) = try await RawHTTP.exchange(port: port, request: Array(request.utf8), timeout: .seconds(30))
        let status = Int(response.split(separator: " ", maxSplits: 2).dropFirst().first ?? "") ?? 0
        let body = response.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        return (status, body, ContinuousClock.now)
    }

    @Test func nextSegmentAnswersRightAfterPublication() async throws {
        let asset = try LiveAsset(segments: 2)
        try await Self.app(asset).test(.live) { client in
            let port = try #require(client.port)
            async let waiting = Self.get(port, "/hls/live/copy/index.m3u8?_HLS_msn=2")
            try await Task.sleep(for: .milliseconds(700))
            let published = try asset.publish(segments: 3)
            let response = try await waiting
            #expect(response.status == 200)
            #expect(response.body.contains("seg-2.ts"), "answered before the segment was published")
            #expect(response.at - published < .milliseconds(100), "answered \(response.at - published) after publication")
        }
    }

    @Test func segmentsAlreadyListedAnswerAtOnce() async throws {
        let asset = try LiveAsset(segments: 3)
        try await Self.app(asset).test(.live) { client in
            let port = try #require(client.port)
            let started = ContinuousClock.now
            let response = try await Self.get(port, "/hls/live/copy/index.m3u8?_HLS_msn=1&_HLS_part=0")
            #expect(response.status == 200)
            #expect(response.at - started < .seconds(1))
        }
    }

    @Test(arguments: [
        "/hls/live/copy/index.m3u8?_HLS_msn=5",
        "/hls/live/copy/index.m3u8?_HLS_part=1",
        "/hls/live/copy/index.m3u8?_HLS_msn=abc",
        "/hls/live/copy/index.m3u8?_HLS_msn=-1",
    ])
    func badRequests(target: String) async throws {
        let asset = try LiveAsset(segments: 2)
        try await Self.app(asset).test(.live) { client in
            let response = try await Self.get(try #require(client.port), target)
            #expect(response.status == 400)
        }
    }

    @Test func timesOutAfterAboutThreeTargetDurations() async throws {
        let asset = try LiveAsset(segments: 1, targetDuration: 1)
        try await Self.app(asset).test(.live) { client in
            let started = ContinuousClock.now
            let response = try await Self.get(try #require(client.port), "/hls/live/copy/index.m3u8?_HLS_msn=1")
            #expect(response.status == 503)
            let waited = response.at - started
            #expect(waited >= .milliseconds(2900) && waited < .seconds(6), "waited \(waited)")
        }
    }

    @Test func completePlaylistIgnoresTheParameter() async throws {
        let asset = try LiveAsset(segments: 2)
        try asset.publish(segments: 2, endList: true)
        asset.die()
        try await Self.app(asset).test(.live) { client in
            let response = try await Self.get(try #require(client.port), "/hls/live/copy/index.m3u8?_HLS_msn=40")
            #expect(response.status == 200)
            #expect(response.body.contains("#EXT-X-ENDLIST"))
        }
    }

    @Test func endOfIngestReleasesWaiters() async throws {
        let asset = try LiveAsset(segments: 2, targetDuration: 4)
        try await Self.app(asset).test(.live) { client in
            let port = try #require(client.port)
            async let waiting = Self.get(port, "/hls/live/copy/index.m3u8?_HLS_msn=3")
            try await Task.sleep(for: .milliseconds(500))
            let published = try asset.publish(segments: 3, endList: true)
            let response = try await waiting
            #expect(response.status == 200)
            #expect(response.body.contains("#EXT-X-ENDLIST"))
            #expect(response.at - published < .milliseconds(500))
        }
    }

    @Test func deadIngestStopsHoldingRequests() async throws {
        let asset = try LiveAsset(segments: 2, targetDuration: 4)
        try await Self.app(asset).test(.live) { client in
            let port = try #require(client.port)
            async let waiting = Self.get(port, "/hls/live/copy/index.m3u8?_HLS_msn=2")
            try await Task.sleep(for: .milliseconds(500))
            let died = ContinuousClock.now
            asset.die()
            let response = try await waiting
            #expect(response.status == 503)
            #expect(response.at - died < .milliseconds(500), "held \(response.at - died) after the ingest died")
            // The asset is now reported failed, and new blocking requests are not held.
            let api = try await Self.get(port, "/api/assets/live")
            #expect(api.body.contains(#""state":"failed""#), "\(api.body)")
            let again = try await Self.get(port, "/hls/live/copy/index.m3u8?_HLS_msn=2")
            #expect(again.status == 503)
            #expect(again.at - died < .seconds(2))
        }
    }

    /// The gauge of waiting reloads and the fast path's response count, from `/metrics`.
    /// A GET answered by `path`: on the fast path over a connection of its own (requests behind
    /// a held one wait), else through `client`.
    static func get(_ target: String, by path: HTTPConformanceTests.AnsweringPath, client: some TestClientProtocol) async throws -> (status: Int, body: String) {
        if path == .fastPath {
            let response = try await get(try #require(client.port), target)
            return (response.status, response.body)
        }
        let response = try await client.execute(uri: target, method: .get)
        return (Int(response.status.code), String(buffer: response.body))
    }

    static func metric(_ name: String, port: Int) async throws -> Int {
        let text = try await Self.get(port, "/metrics").body
        let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "").map(Int.init) } ?? -1
    }

    /// A reload waits on the fast path (no task of its own): requests pipelined behind it wait
    /// too, and are answered in order, by either path, once it is.
    @Test func pipelinedRequestsWaitBehindAReload() async throws {
        let asset = try LiveAsset(segments: 2, targetDuration: 4)
        try await Self.app(asset).test(.live) { client in
            let port = try #require(client.port)
            let fastBefore = try await Self.metric("reel_http_fast_path_responses_total", port: port)
            let payload = "GET /hls/live/copy/index.m3u8?_HLS_msn=2&_HLS_part=0 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                + "HEAD /hls/live/master.m3u8 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            async let exchanged = RawHTTP.exchange(port: port, request: Array(payload.utf8), timeout: .seconds(30))
            #expect(try await eventually(within: .seconds(10)) { try await Self.metric("reel_hls_blocking_reloads_waiting", port: port) == 1 })
            try asset.publish(segments: 3)
            let (response, closed) = try await exchanged
            #expect(closed)
            let statuses = response.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.prefix(3) }
            #expect(statuses == ["200", "200", "200"], "\(response)")
            let parts = response.components(separatedBy: "HTTP/1.1 ")
            #expect(parts.count == 4 && parts[1].contains("seg-2.ts") && parts[2].hasSuffix("ok\n"), "\(response)")
            // The reload and the HEAD went by the fast path; /healthz by Hummingbird.
            #expect(try await Self.metric("reel_http_fast_path_responses_total", port: port) - fastBefore == 2)
            #expect(try await Self.metric("reel_hls_blocking_reloads_waiting", port: port) == 0)
        }
    }

    /// A client that goes away while its reload waits ends the wait (the gauge falls back).
    @Test func closedConnectionEndsItsWait() async throws {
        let asset = try LiveAsset(segments: 2, targetDuration: 20)
        try await Self.app(asset).test(.live) { client in
            let port = try #require(client.port)
            let descriptor = try RawHTTP.connected(port: port)
            let request = Array("GET /hls/live/copy/index.m3u8?_HLS_msn=2 HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            #expect(request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == request.count)
            #expect(try await eventually(within: .seconds(10)) { try await Self.metric("reel_hls_blocking_reloads_waiting", port: port) == 1 })
            close(descriptor)
            #expect(try await eventually(within: .seconds(10)) { try await Self.metric("reel_hls_blocking_reloads_waiting", port: port) == 0 })
        }
    }

    /// `_HLS_msn=N&_HLS_part=P` waits for part P of segment N (RFC 8216bis §6.2.5.2): a playlist
    /// that gains another part does not answer it, the one with part P does.
    @Test func partialSegmentAnswersRightAfterPublication() async throws {
        let asset = try LiveAsset(segments: 0, targetDuration: 2)
        @Sendable func publish(parts: Int) throws -> ContinuousClock.Instant {
            var playlist = BlockingReloadParameterTests.lowLatency()
            playlist.pendingParts = (0..<parts).map { PartialSegment(uri: "seg-12.\($0).m4s", duration: 0.5, independent: $0 == 0) }
            let directory = asset.held.directory.appendingPathComponent("copy")
            try Data(playlist.render().utf8).write(to: directory.appendingPathComponent(".index.m3u8.tmp"))
            #expect(rename(directory.appendingPathComponent(".index.m3u8.tmp").path, directory.appendingPathComponent("index.m3u8").path) == 0)
            return ContinuousClock.now
        }
        _ = try publish(parts: 2)
        try await Self.app(asset).test(.live) { client in
            let port = try #require(client.port)
            async let waiting = Self.get(port, "/hls/live/copy/index.m3u8?_HLS_msn=12&_HLS_part=3")
            #expect(try await eventually(within: .seconds(10)) { try await Self.metric("reel_hls_blocking_reloads_waiting", port: port) == 1 })
            _ = try publish(parts: 3)
            // Still waiting: part 2 is not part 3.
            #expect(try await Self.metric("reel_hls_blocking_reloads_waiting", port: port) == 1)
            let published = try publish(parts: 4)
            let response = try await waiting
            #expect(response.status == 200)
            #expect(response.body.contains("seg-12.3.m4s"), "answered before the part was published: \(response.body)")
            #expect(response.at - published < .milliseconds(100), "answered \(response.at - published) after publication")
            // A part far beyond the Advance Part Limit is refused at once.
            #expect(try await Self.get(port, "/hls/live/copy/index.m3u8?_HLS_msn=12&_HLS_part=20").status == 400)
        }
    }

    /// A GET of the part `EXT-X-PRELOAD-HINT` names, before it exists, is held until it is
    /// published and then answered with its bytes (RFC 8216bis §6.2.6), by either path; a
    /// missing file no playlist hints is 404 at once.
    @Test(arguments: HTTPConformanceTests.AnsweringPath.allCases)
    func hintedPartIsHeldUntilPublished(answeredBy path: HTTPConformanceTests.AnsweringPath) async throws {
        let asset = try LiveAsset(segments: 0, targetDuration: 2)
        var playlist = BlockingReloadParameterTests.lowLatency()
        playlist.preloadHints = [PreloadHint(kind: .part, uri: "seg-12.2.m4s")]
        let directory = asset.held.directory.appendingPathComponent("copy")
        try Data(playlist.render().utf8).write(to: directory.appendingPathComponent("index.m3u8"))
        try await Self.app(asset).test(path == .fastPath ? .live : .router) { client in
            @Sendable func get(_ target: String) async throws -> (status: Int, body: String) { try await Self.get(target, by: path, client: client) }
            #expect(try await get("/hls/live/copy/seg-12.3.m4s").status == 404)
            async let waiting = get("/hls/live/copy/seg-12.2.m4s")
            #expect(try await eventually(within: .seconds(10)) {
                String(buffer: try await client.execute(uri: "/metrics", method: .get).body).contains("reel_hls_blocking_reloads_waiting 1")
            })
            try Data("part two".utf8).write(to: directory.appendingPathComponent(".seg-12.2.m4s.part"))
            #expect(rename(directory.appendingPathComponent(".seg-12.2.m4s.part").path, directory.appendingPathComponent("seg-12.2.m4s").path) == 0)
            let published = ContinuousClock.now
            let response = try await waiting
            #expect(response.status == 200 && response.body == "part two")
            #expect(ContinuousClock.now - published < .milliseconds(200), "answered \(ContinuousClock.now - published) after publication")
        }
    }

    /// `_HLS_skip=YES` (and `v2`) gets the Playlist Delta Update (RFC 8216bis §6.2.5.1) from
    /// either path: EXT-X-SKIP for the segments past CAN-SKIP-UNTIL, version 9, its own ETag
    /// (a conditional GET of it is 304), the playlist's Cache-Control; with `_HLS_msn` it waits
    /// first. A playlist without CAN-SKIP-UNTIL is answered whole.
    @Test(arguments: HTTPConformanceTests.AnsweringPath.allCases)
    func deltaUpdates(answeredBy path: HTTPConformanceTests.AnsweringPath) async throws {
        let asset = try LiveAsset(segments: 0, targetDuration: 2)
        let directory = asset.held.directory.appendingPathComponent("copy")
        @Sendable func publish(segments: Int, canSkipUntil: Double? = 12) throws {
            var playlist = BlockingReloadParameterTests.lowLatency()
            playlist.segments = (0..<segments).map { MediaSegment(uri: "seg-\(10 + $0).m4s", duration: 2) }
            playlist.serverControl?.canSkipUntil = canSkipUntil
            try Data(playlist.render().utf8).write(to: directory.appendingPathComponent(".index.m3u8.tmp"))
            #expect(rename(directory.appendingPathComponent(".index.m3u8.tmp").path, directory.appendingPathComponent("index.m3u8").path) == 0)
        }
        try publish(segments: 10)
        try await Self.app(asset).test(path == .fastPath ? .live : .router) { client in
            let fastBefore = try await HTTPConformanceTests.fastPathResponses(client)
            let delta = try await client.execute(uri: "/hls/live/copy/index.m3u8?_HLS_skip=YES", method: .get)
            let text = String(buffer: delta.body)
            #expect(delta.status == .ok)
            #expect(text.contains("#EXT-X-VERSION:9\n") && text.contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=4\n#EXTINF:2.000000,\nseg-14.m4s"), "\(text)")
            #expect(PlaylistValidator(deltaUpdate: true).validateMediaPlaylist(text).isEmpty)
            let etag = try #require(delta.headers[.eTag])
            #expect(etag.hasSuffix("-delta\""))
            #expect(delta.headers[.cacheControl] != nil && delta.headers[.contentLength] == String(text.utf8.count))
            let whole = try await client.execute(uri: "/hls/live/copy/index.m3u8", method: .get)
            #expect(whole.headers[.eTag] != etag && !String(buffer: whole.body).contains("EXT-X-SKIP"))
            let v2 = try await client.execute(uri: "/hls/live/copy/index.m3u8?_HLS_skip=v2", method: .get)
            #expect(String(buffer: v2.body) == text)
            let revalidated = try await client.execute(uri: "/hls/live/copy/index.m3u8?_HLS_skip=YES", method: .get, headers: [.ifNoneMatch: etag])
            #expect(revalidated.status == .notModified)
            let fastAfter = try await HTTPConformanceTests.fastPathResponses(client)
            #expect(fastAfter - fastBefore == (path == .fastPath ? 4 : 0))
            // A blocking reload's answer (here at once: segment 12 is listed) may stay in a shared
            // cache six target durations (the manifest's 6 s); the plain playlist half of one.
            let reload = try await client.execute(uri: "/hls/live/copy/index.m3u8?_HLS_msn=12", method: .get)
            #expect(reload.status == .ok && reload.headers[.cacheControl] == "public, max-age=36")
            #expect(whole.headers[.cacheControl] == "public, max-age=3")

            // Waits for segment 20, then skips past CAN-SKIP-UNTIL of the new playlist. Over a
            // connection of its own on the fast path: the test client's would hold the
            // requests after it (pipelined requests wait behind a held one).
            let target = "/hls/live/copy/index.m3u8?_HLS_msn=20&_HLS_skip=YES"
            async let waited = path == .fastPath
                ? Self.get(try #require(client.port), target).body
                : String(buffer: client.execute(uri: target, method: .get).body)
            #expect(try await eventually(within: .seconds(10)) {
                String(buffer: try await client.execute(uri: "/metrics", method: .get).body).contains("reel_hls_blocking_reloads_waiting 1")
            })
            try publish(segments: 11)
            #expect(try await waited.contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=5\n"))

            try publish(segments: 11, canSkipUntil: nil)
            let plain = String(buffer: try await client.execute(uri: "/hls/live/copy/index.m3u8?_HLS_skip=YES", method: .get).body)
            #expect(!plain.contains("EXT-X-SKIP") && plain.contains("seg-10.m4s"))
        }
    }
}
