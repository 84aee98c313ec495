import Foundation
import HLSPlaylist
import ReelTestSupport
import Testing

/// `reel ingest --part-duration` (Low-Latency HLS) with `reel serve`: parts published as they
/// complete, the next one hinted, held requests for a part and for the hinted part answered
/// when it lands, each segment exactly the concatenation of its parts, and a plain VOD
/// playlist at the end.
@Suite("Low-Latency HLS ingest")
struct LowLatencyIngestTests {
    static let source = "h264-aac-30s.mp4"

    /// The served playlist once it lists a complete segment and a part of the next one.
    static func lowLatencySnapshot(_ url: String) async -> (text: String, playlist: MediaPlaylist)? {
        var snapshot: (String, MediaPlaylist)?
        _ = await eventually(within: .seconds(10)) {
            guard let response = try? await HTTP.get(url), response.status == 200,
                  let playlist = try? MediaPlaylist(parsing: response.body),
                  playlist.partTarget != nil, !playlist.segments.isEmpty, !playlist.pendingParts.isEmpty else { return false }
            snapshot = (String(decoding: response.body, as: UTF8.self), playlist)
            return true
        }
        return snapshot
    }

    @Test func partsArePublishedHintedAndServed() async throws {
        let tree = try ProgressiveServingTests.makeTree()
        let server = try await ServedReel(library: tree.library, media: tree.media)
        let ingest = try LiveIngest([
            Fixture.path(Self.source), "--library", tree.library.path, "--name", "ll", "--renditions", "copy,240p",
            "--segment-duration", "2", "--part-duration", "0.5", "--realtime",
        ])
        let base = "\(server.base)/hls/ll/copy/"
        let snapshot = try #require(await Self.lowLatencySnapshot(base + "index.m3u8"), "no Low-Latency playlist served: \(ingest.stderr)")
        let playlist = snapshot.playlist
        #expect(PlaylistValidator().validateMediaPlaylist(snapshot.text).isEmpty, "\(PlaylistValidator().validateMediaPlaylist(snapshot.text))")
        #expect(playlist.partTarget == 0.5)
        let control = try #require(playlist.serverControl)
        #expect(control.canBlockReload && (control.partHoldBack ?? 0) >= 1.5 && (control.canSkipUntil ?? 0) >= 12)
        let parts = playlist.segments.flatMap(\.parts) + playlist.pendingParts
        #expect(parts.allSatisfy { $0.duration <= 0.5 })
        for segment in playlist.segments where !segment.parts.isEmpty {
            #expect(segment.parts[0].independent, "\(segment.uri) does not start with an independent part")
            #expect(abs(segment.parts.reduce(0) { $0 + $1.duration } - segment.duration) < 0.001, "parts of \(segment.uri) do not add up to its EXTINF")
        }
        let hint = try #require(playlist.preloadHints.first)
        #expect(playlist.renditionReports.map(\.uri).sorted() == ["../240p/index.m3u8", "../audio/index.m3u8"])

        // The next part, asked for two ways before it exists: both are held until it lands.
        let msn = playlist.mediaSequence + playlist.segments.count
        let part = playlist.pendingParts.count
        async let reload = HTTP.get(base + "index.m3u8?_HLS_msn=\(msn)&_HLS_part=\(part)")
        async let hinted = HTTP.get(base + hint.uri)
        let (reloaded, hintedPart) = try await (reload, hinted)
        #expect(reloaded.status == 200 && hintedPart.status == 200)
        let next = try MediaPlaylist(parsing: reloaded.body)
        #expect(next.mediaSequence + next.segments.count > msn || next.pendingParts.count > part, "answered before part \(part) of segment \(msn)")
        #expect(try Data(contentsOf: tree.library.appendingPathComponent("ll/copy/" + hint.uri)) == hintedPart.body)

        #expect(await ingest.exitStatus() == 0, "\(ingest.stderr)")
        // Each segment is its parts one after another, and decodes to as many pictures.
        let directory = tree.library.appendingPathComponent("ll/copy")
        let initSection = try Data(contentsOf: directory.appendingPathComponent("init.mp4"))
        for segment in playlist.segments where !segment.parts.isEmpty {
            let joined = try segment.parts.reduce(Data()) { $0 + (try Data(contentsOf: directory.appendingPathComponent($1.uri))) }
            let whole = try Data(contentsOf: directory.appendingPathComponent(segment.uri))
            #expect(joined == whole, "\(segment.uri) is not its parts")
            let file = tree.scratch.appending("parts-\(segment.uri).mp4")
            try (initSection + joined).write(to: file)
            let frames = try await ProcessRunner.run("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.path])
            #expect(Int(frames.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) == Int((segment.duration * 25).rounded()), "\(frames.stdoutText)")
        }
        // Complete: a plain VOD playlist that plays the source frame for frame.
        let final = try MediaPlaylist(parsing: try Data(contentsOf: directory.appendingPathComponent("index.m3u8")))
        #expect(final.endList && final.playlistType == .vod && final.partTarget == nil && final.segments.allSatisfy(\.parts.isEmpty))
        #expect(final.preloadHints.isEmpty && final.renditionReports.isEmpty)
        let validated = try await ReelBinary.run(["validate", tree.library.appendingPathComponent("ll").path])
        #expect(validated.status == 0, "\(validated.stdoutText)")
        let played = try await FrameHashes.of(directory.appendingPathComponent("index.m3u8").path, stream: "0:v:0")
        #expect(played == (try await FrameHashes.of(Fixture.path(Self.source), stream: "0:v:0")))
        #expect(await server.stop() == 0)
    }

    /// From standard input (MPEG-TS with B-frames in Matroska too): every segment is its parts,
    /// the parts decode, and the finished asset plays the source frame for frame.
    @Test(arguments: ["h264-aac.ts", "bframes-aac.mkv"])
    func standardInputIsWrittenInParts(fixture: String) async throws {
        let library = try TemporaryDirectory(prefix: "ll-stdin")
        let result = try await ReelBinary.run(
            ["ingest", "-", "--library", library.path, "--name", "piped", "--segment-duration", "2", "--part-duration", "0.5", "--progress", "never"],
            stdin: try Data(contentsOf: Fixture.url(fixture))
        )
        #expect(result.status == 0, "\(result.stderrText)")
        let directory = library.appending("piped/copy")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let segments = names.filter { $0.wholeMatch(of: /seg-\d{5}\.m4s/) != nil }.sorted()
        #expect(!segments.isEmpty)
        for segment in segments {
            let stem = segment.dropLast(".m4s".count)
            let parts = names.compactMap { name -> (Int, String)? in
                guard name.hasPrefix(stem + "."), let index = Int(name.dropFirst(stem.count + 1).dropLast(".m4s".count)) else { return nil }
                return (index, name)
            }.sorted { $0.0 < $1.0 }
            #expect(!parts.isEmpty && parts.map(\.0) == Array(0..<parts.count), "\(segment): parts \(parts.map(\.1))")
            let joined = try parts.reduce(Data()) { $0 + (try Data(contentsOf: directory.appendingPathComponent($1.1))) }
            #expect(joined == (try Data(contentsOf: directory.appendingPathComponent(segment))), "\(segment) is not its parts")
        }
        #expect(try await ReelBinary.run(["validate", library.appending("piped").path]).status == 0)
        let played = try await FrameHashes.of(library.appending("piped/master.m3u8").path, stream: "0:v:0")
        #expect(played == (try await FrameHashes.of(Fixture.path(fixture), stream: "0:v:0")))
    }

    /// A part is published as soon as its last picture is in, not when the picture after it
    /// arrives. FFmpeg hands a picture of an MPEG-TS stream over two pictures later: a video PES
    /// (of unbounded length, as ffmpeg writes them) ends when the next one begins, and the H.264
    /// parser finds a picture's end at the next one's start. Fed (25 fps, a keyframe every 50
    /// pictures) up to the first TS packet of the second picture after part 1 of segment 1, the
    /// ingest publishes that part with no more input; cut only when the next picture came, it
    /// would wait for the input to go on.
    @Test func aPartIsPublishedOnceItsLastPictureIsIn() async throws {
        let library = try TemporaryDirectory(prefix: "ll-cut")
        let stream = try Data(contentsOf: Fixture.url("h264-aac.ts"))
        let pictures = Self.videoPacketStarts(inTransportStream: stream)
        // Segment 1 starts at picture 50; parts of 0.5 s hold 12 pictures of 0.04 s.
        let lastPicture = 50 + 2 * 12 - 1
        #expect(pictures.count > lastPicture + 3)
        let input = Pipe()
        let ingest = try LiveIngest(
            ["-", "--library", library.path, "--name", "cut", "--segment-duration", "2", "--part-duration", "0.5"], inputPipe: input
        )
        let fed = pictures[lastPicture + 2] + 188
        try input.fileHandleForWriting.write(contentsOf: stream[..<fed])
        let part = library.appending("cut/copy/seg-00001.1.m4s").path
        let published = await eventually(within: .seconds(20)) { FileManager.default.fileExists(atPath: part) }
        #expect(published, "part 1 of segment 1 not published from its pictures alone: \(ingest.stderr)")
        #expect(!FileManager.default.fileExists(atPath: library.appending("cut/copy/seg-00001.2.m4s").path))
        try input.fileHandleForWriting.write(contentsOf: stream[fed...])
        try input.fileHandleForWriting.close()
        #expect(await ingest.exitStatus() == 0, "\(ingest.stderr)")
    }

    /// Where each video PES packet (one picture, as ffmpeg's muxer writes them) starts in an
    /// MPEG-TS stream: the offsets of the 188-byte packets that begin one.
    static func videoPacketStarts(inTransportStream data: Data) -> [Int] {
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count - 187, by: 188).filter { offset in
            guard bytes[offset] == 0x47, bytes[offset + 1] & 0x40 != 0 else { return false }
            // Header, then the adaptation field's length and body when there is one.
            let payload = offset + 4 + (bytes[offset + 3] & 0x20 != 0 ? 1 + Int(bytes[offset + 4]) : 0)
            return payload + 4 <= offset + 188 && bytes[payload..<payload + 3] == [0, 0, 1] && (0xE0...0xEF).contains(bytes[payload + 3])
        }
    }

    @Test(arguments: [
        (["--part-duration", "0.5", "--format", "ts"], "--format fmp4"),
        (["--part-duration", "0.5", "--single-file"], "--single-file"),
        (["--part-duration", "0.1"], "between 0.2 and 2"),
        (["--part-duration", "2.5", "--segment-duration", "6"], "between 0.2 and 2"),
        (["--part-duration", "2", "--segment-duration", "3"], "half of --segment-duration"),
    ])
    func badPartDurationsAreUsageErrors(_ arguments: [String], message: String) async throws {
        let scratch = try TemporaryDirectory(prefix: "ll-usage")
        let result = try await ReelBinary.run(["ingest", Fixture.path("h264-aac.mp4"), "--library", scratch.appending("library").path] + arguments)
        #expect(result.status == 2)
        #expect(result.stderrText.contains(message), "\(result.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: scratch.appending("library/h264-aac").path))
    }
}
