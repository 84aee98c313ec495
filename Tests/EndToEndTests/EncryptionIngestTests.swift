import Foundation
import HLSPlaylist
import ReelCrypto
import ReelTestSupport
import Testing

/// `reel ingest --encrypt aes-128 [--key-rotation N]`: every audio and video segment encrypted
/// whole (AES-128-CBC, PKCS#7, a random IV per segment), keys beside the playlists. ffmpeg's HLS
/// client, fetching playlists, keys and segments from `reel serve`, is the independent player;
/// the same input ingested clear is the reference.
@Suite("reel ingest --encrypt aes-128")
struct EncryptionIngestTests {
    /// 10 s at 25 fps with a keyframe every 2 s: five 2-second segments.
    static let fixture = "h264-aac.mp4"
    static let fixtureFrames = 250
    static let encrypt = ["--encrypt", "aes-128"]

    /// The clear reference and two encrypted ingests (one key; a key every two segments) of the
    /// fixture, in one library, served.
    @Test(arguments: ["fmp4", "ts"])
    func encryptedCopiesPlayFrameExactOverHTTP(format: String) async throws {
        let library = try TemporaryDirectory(prefix: "encrypt")
        let clear = try await PresentationIngest.run(input: Fixture.path(Self.fixture), name: "clear", library: library, ["--format", format])
        let single = try await PresentationIngest.run(input: Fixture.path(Self.fixture), name: "single", library: library, ["--format", format] + Self.encrypt)
        let rotated = try await PresentationIngest.run(
            input: Fixture.path(Self.fixture), name: "rotated", library: library, ["--format", format, "--key-rotation", "2"] + Self.encrypt
        )
        for ingest in [clear, single, rotated] { try #require(ingest.result.status == 0, "\(ingest.report)") }
        let server = try await ServedReel(library: library.url, media: clear.scratch.url)
        let video = try await FrameHashes.of("\(server.base)/hls/clear/master.m3u8", stream: "0:v:0")
        let audio = try await FrameHashes.of("\(server.base)/hls/clear/master.m3u8", stream: "0:a:0")
        #expect(video.count == Self.fixtureFrames, "the clear reference plays \(video.count) pictures")
        #expect(!audio.isEmpty)
        #expect(!(try clear.master().iFrameStreams.isEmpty), "the clear ingest has I-frame playlists; the encrypted ones must not")

        // On disk: the encryption is a layer over the muxer's output. Decrypted with its key and
        // IV, each segment is the clear ingest's, byte for byte; the init section is clear.
        let clearAsset = try IngestedAsset(directory: clear.asset)
        for ingest in [single, rotated] {
            let asset = try IngestedAsset(directory: ingest.asset)
            #expect(try asset.initBytes() == clearAsset.initBytes(), "\(ingest.name): the init section is the clear one")
            try #require(asset.media.segments.map(\.uri) == clearAsset.media.segments.map(\.uri))
            for index in asset.media.segments.indices {
                let encrypted = try asset.segmentBytes(index)
                let plain = try clearAsset.segmentBytes(index)
                #expect(encrypted != plain && encrypted.count == (plain.count / 16 + 1) * 16, "\(ingest.name) segment \(index): \(encrypted.count) bytes, \(plain.count) clear")
                #expect(try asset.decryptedSegmentBytes(index) == plain, "\(ingest.name) segment \(index) decrypted is not the clear segment")
            }
        }

        for ingest in [single, rotated] {
            let base = "\(server.base)/hls/\(ingest.name)"
            // Encrypted indeed, as served: an AES-128 EXT-X-KEY for every segment of every playlist.
            for uri in try ingest.allMediaPlaylistURIs() {
                let served = try await HTTP.get("\(base)/\(uri)")
                #expect(served.status == 200, "\(ingest.name)/\(uri): \(served.status)")
                let playlist = try MediaPlaylist(parsing: served.body)
                #expect(!playlist.segments.isEmpty)
                for (index, segment) in playlist.segments.enumerated() {
                    #expect(segment.key?.method == .aes128, "\(ingest.name)/\(uri) segment \(index): \(String(describing: segment.key))")
                }
            }
            let playedVideo = try await FrameHashes.of("\(base)/master.m3u8", stream: "0:v:0")
            let playedAudio = try await FrameHashes.of("\(base)/master.m3u8", stream: "0:a:0")
            #expect(playedVideo == video, "\(ingest.command): \(playedVideo.count) pictures played, \(video.count) clear; first difference at \(Self.firstDifference(playedVideo, video))")
            #expect(playedAudio == audio, "\(ingest.command): \(playedAudio.count) audio frames played, \(audio.count) clear; first difference at \(Self.firstDifference(playedAudio, audio))")

            // No I-frame playlists: an I-frame's range inside an encrypted segment cannot be decrypted alone.
            let master = try ingest.master()
            #expect(master.iFrameStreams.isEmpty, "\(ingest.name) master:\n\(master.text)")
            let files = FileManager.default.enumerator(atPath: ingest.asset.path)?.allObjects as? [String] ?? []
            #expect(!files.contains { $0.hasSuffix("iframes.m3u8") }, "\(ingest.name): \(files.sorted())")
            let validation = try await ReelBinary.run(["validate", ingest.asset.path])
            #expect(validation.status == 0, "reel validate \(ingest.name): \(validation.stdoutText)\(validation.stderrText)")
        }
        #expect(await server.stop() == 0)
    }

    /// With `--key-rotation 2`, read from disk: the init section is clear and comes before the
    /// first key; each segment is ciphertext that its own key and IV turn back into media; keys
    /// change every two segments and are private files of 16 bytes.
    @Test(arguments: ["fmp4", "ts"])
    func segmentsAreCiphertextUntilDecryptedWithTheirKey(format: String) async throws {
        let ingest = try await PresentationIngest.run(input: Fixture.path(Self.fixture), ["--format", format, "--key-rotation", "2"] + Self.encrypt)
        try #require(ingest.result.status == 0, "\(ingest.report)")
        let asset = try IngestedAsset(directory: ingest.asset)
        let segments = asset.media.segments
        try #require(segments.count == 5, "five 2-second segments: \(segments.map(\.uri))")

        if format == "fmp4" {
            let text = try ingest.text("copy/index.m3u8")
            let map = try #require(text.range(of: "#EXT-X-MAP:"), "an fMP4 playlist has EXT-X-MAP:\n\(text)")
            let key = try #require(text.range(of: "#EXT-X-KEY:"), "no EXT-X-KEY:\n\(text)")
            #expect(map.lowerBound < key.lowerBound, "EXT-X-MAP must precede the first EXT-X-KEY, or the init section would be encrypted:\n\(text)")
            let initSection = asset.mediaDirectory.appendingPathComponent(try #require(asset.media.map?.uri)).path
            let streams = try await probeStreams(initSection)
            #expect(firstStream(streams, "video")?["codec_name"] as? String == "h264", "init.mp4 reads clear: \(streams)")
        }

        var decodedPictures = 0
        for (index, segment) in segments.enumerated() {
            let key = try #require(segment.key, "segment \(index) has an EXT-X-KEY of its own (its IV)")
            #expect(key.method == .aes128)
            #expect(key.uri == String(format: "key-%05d.key", index / 2), "segment \(index) names \(key.uri ?? "no key")")
            #expect(key.iv?.count == 16, "segment \(index): IV \(key.iv.map(EncryptionKey.hexadecimal) ?? "absent")")

            let encrypted = ingest.scratch.appending("encrypted-\(index).\(format == "ts" ? "ts" : "mp4")")
            try (try asset.initBytes() + asset.segmentBytes(index)).write(to: encrypted)
            let probe = try await tool("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", encrypted.path])
            let readable = Int(probe.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            #expect(probe.status != 0 || readable == 0, "segment \(index) as it is on disk is plain media: ffprobe reads \(readable) pictures")

            let decrypted = ingest.scratch.appending("decrypted-\(index).\(format == "ts" ? "ts" : "mp4")")
            try (try asset.initBytes() + asset.decryptedSegmentBytes(index)).write(to: decrypted)
            let pictures = try await decodedVideoFrames(decrypted.path)
            #expect(pictures > 0, "segment \(index) decrypted decodes no picture")
            decodedPictures += pictures
        }
        #expect(decodedPictures == Self.fixtureFrames, "the decrypted segments hold \(decodedPictures) pictures")
        let ivs = segments.compactMap(\.key?.iv)
        #expect(Set(ivs).count == segments.count, "every IV differs: \(ivs.map(EncryptionKey.hexadecimal))")

        let names = try FileManager.default.contentsOfDirectory(atPath: asset.mediaDirectory.path).filter { $0.hasSuffix(".key") }.sorted()
        #expect(names == ["key-00000.key", "key-00001.key", "key-00002.key"])
        var keys: Set<Data> = []
        for name in names {
            let path = asset.mediaDirectory.appendingPathComponent(name).path
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(name) mode \(String((attributes[.posixPermissions] as? Int) ?? 0, radix: 8))")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(bytes.count == 16, "\(name) holds \(bytes.count) bytes")
            keys.insert(bytes)
        }
        #expect(keys.count == names.count, "every key differs")
    }

    /// A ladder led by a copy (fMP4: the audio a rendition of its own): every rendition is
    /// encrypted with its own key, and every variant plays over HTTP.
    @Test func ladderRenditionsAreEncryptedAndPlay() async throws {
        let ingest = try await PresentationIngest.run(input: Fixture.path(Self.fixture), ["--format", "fmp4", "--renditions", "copy,240p"] + Self.encrypt)
        try #require(ingest.result.status == 0, "\(ingest.report)")
        let master = try ingest.master()
        #expect(master.variants.map(\.uri) == ["copy/index.m3u8", "240p/index.m3u8"])
        #expect(master.iFrameStreams.isEmpty, "\(master.text)")
        let uris = try ingest.allMediaPlaylistURIs()
        var keys: Set<Data> = []
        for uri in uris {
            let playlist = try MediaPlaylist(parsing: ingest.text(uri))
            #expect(playlist.segments.allSatisfy { $0.key?.method == .aes128 && $0.key?.uri == "key-00000.key" }, "\(uri): every segment under its rendition's key")
            let directory = ingest.asset.appendingPathComponent(uri).deletingLastPathComponent()
            keys.insert(try Data(contentsOf: directory.appendingPathComponent("key-00000.key")))
        }
        #expect(uris.count == 3 && keys.count == 3, "one key per rendition: \(uris)")

        let server = try await ServedReel(library: ingest.library.url, media: ingest.scratch.url)
        let base = "\(server.base)/hls/asset"
        // The copy is the source's pictures exactly; the 240p rung all of them, re-encoded.
        let copied = try await FrameHashes.of("\(base)/copy/index.m3u8", stream: "0:v:0")
        #expect(copied == (try await FrameHashes.of(Fixture.path(Self.fixture), stream: "0:v:0")), "copy/index.m3u8 plays \(copied.count) pictures")
        let pictures = try await decodedVideoFrames("\(base)/240p/index.m3u8")
        #expect(pictures == Self.fixtureFrames, "240p/index.m3u8 plays \(pictures) pictures")
        let source = try await Slots.shared.run { try await FFprobe.decodedFrameCount(Fixture.path(Self.fixture), streams: "a:0") }
        for uri in master.media.compactMap({ $0["URI"] }) {
            let frames = try await Slots.shared.run { try await FFprobe.decodedFrameCount("\(base)/\(uri)", streams: "a:0") }
            // The AAC priming frame that the source's MP4 edit list hides may lead the rendition.
            #expect(frames == source || frames == source + 1, "\(uri) plays \(frames) audio frames, the source has \(source)")
        }
        #expect(await server.stop() == 0)
    }

    /// MPEG-TS on standard input, as from `ffmpeg ... -f mpegts -`: the encrypted asset plays
    /// what the clear one does.
    @Test func standardInputIsFrameExact() async throws {
        let library = try TemporaryDirectory(prefix: "encrypt-stdin")
        let stream = try Data(contentsOf: Fixture.url("h264-aac.ts"))
        let clear = try await PresentationIngest.run(input: "-", name: "clear", library: library, stdin: stream, [])
        let encrypted = try await PresentationIngest.run(input: "-", name: "live", library: library, stdin: stream, Self.encrypt)
        for ingest in [clear, encrypted] { try #require(ingest.result.status == 0, "\(ingest.report)") }
        #expect(try Self.everySegmentIsEncrypted(encrypted), "the standard input ingest is encrypted")
        let server = try await ServedReel(library: library.url, media: clear.scratch.url)
        for selector in ["0:v:0", "0:a:0"] {
            let reference = try await FrameHashes.of("\(server.base)/hls/clear/master.m3u8", stream: selector)
            let played = try await FrameHashes.of("\(server.base)/hls/live/master.m3u8", stream: selector)
            #expect(!reference.isEmpty)
            #expect(played == reference, "\(selector): \(played.count) frames played, \(reference.count) clear; first difference at \(Self.firstDifference(played, reference))")
        }
        #expect(await server.stop() == 0)
    }

    /// `--force` over an encrypted asset: generation 1 has keys of its own (`key-1-00000.key`);
    /// generation 0's keys stay beside its segments, which still decrypt, for players that hold
    /// its playlists.
    @Test func forceReplacementKeepsThePreviousKeys() async throws {
        let library = try TemporaryDirectory(prefix: "encrypt-force")
        let first = [Self.fixture, "--segment-duration", "2"] + Self.encrypt
        try await ReplacementTests.ingest(first, into: library.url)
        let copy = library.appending("clip/copy")
        let old = try IngestedAsset(directory: library.appending("clip"))
        let oldKey = try Data(contentsOf: copy.appendingPathComponent("key-00000.key"))
        func inode(_ name: String) throws -> Int? {
            try FileManager.default.attributesOfItem(atPath: copy.appendingPathComponent(name).path)[.systemFileNumber] as? Int
        }
        let oldInodes = try ["key-00000.key", "seg-00000.m4s"].map(inode)
        let oldSegments = try old.media.segments.indices.map { try old.segmentBytes($0) }

        try await ReplacementTests.ingest(first + ["--key-rotation", "2"], into: library.url, force: true)
        let new = try IngestedAsset(directory: library.appending("clip"))
        #expect(new.media.segments.map { $0.key?.uri } == ["key-1-00000.key", "key-1-00000.key", "key-1-00001.key", "key-1-00001.key", "key-1-00002.key"])
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: copy.path).filter { $0.hasSuffix(".key") })
        #expect(names == ["key-00000.key", "key-1-00000.key", "key-1-00001.key", "key-1-00002.key"])
        #expect(try Data(contentsOf: copy.appendingPathComponent("key-00000.key")) == oldKey, "generation 0's key is kept as it was")
        #expect(try ["key-00000.key", "seg-00000.m4s"].map(inode) == oldInodes, "generation 0's key and segments are the same files (linked), not copies")
        let mode = try FileManager.default.attributesOfItem(atPath: copy.appendingPathComponent("key-00000.key").path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the kept key stays private: \(String(mode ?? 0, radix: 8))")
        for (index, before) in oldSegments.enumerated() {
            #expect(try old.segmentBytes(index) == before, "generation 0's segment \(index) is kept")
            let decrypted = try old.decryptedSegmentBytes(index)
            #expect(!decrypted.isEmpty)
        }

        let server = try await ServedReel(library: library.url, media: library.url)
        let played = try await FrameHashes.of("\(server.base)/hls/clip/master.m3u8", stream: "0:v:0")
        let source = try await FrameHashes.of(Fixture.path(Self.fixture), stream: "0:v:0")
        #expect(played == source, "the replacement plays \(played.count) pictures, the source has \(source.count)")
        #expect(await server.stop() == 0)
    }

    /// Subtitles are not media segments: their WebVTT stays clear text, their playlist names no key.
    @Test func subtitlesStayClear() async throws {
        let ingest = try await PresentationIngest.run(input: Fixture.path("subtitles.mp4"), ["--format", "fmp4"] + Self.encrypt)
        try #require(ingest.result.status == 0, "\(ingest.report)")
        let uri = "subs-en/index.m3u8"
        let master = try ingest.master()
        try #require(master.media.contains { $0["TYPE"] == "SUBTITLES" && $0["URI"] == uri }, "\(master.text)")
        #expect(try Self.everySegmentIsEncrypted(ingest), "the audio and video are encrypted")
        let playlist = try ingest.text(uri)
        #expect(!playlist.contains("#EXT-X-KEY"), "\(uri):\n\(playlist)")
        let directory = ingest.asset.appendingPathComponent("subs-en")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { !$0.hasSuffix(".key") })
        let segments = try ingest.playlist(uri).segments
        #expect(!segments.isEmpty)
        for segment in segments {
            let text = String(decoding: try Data(contentsOf: directory.appendingPathComponent(segment.uri)), as: UTF8.self)
            #expect(text.hasPrefix("WEBVTT\n"), "\(segment.uri) is clear WebVTT: \(String(text.prefix(40)).debugDescription)")
        }
        let server = try await ServedReel(library: ingest.library.url, media: ingest.scratch.url)
        // ffmpeg reads them over HTTP, as a player would.
        let read = try await PlainWebVTT.cues(of: "\(server.base)/hls/asset/\(uri)", stream: nil)
        let source = try await PlainWebVTT.cues(of: Fixture.path("subtitles.mp4"), stream: "0:s:0")
        #expect(!source.isEmpty && read.map(\.text) == source.map(\.text), "ffmpeg reads \(read.map(\.text)), the source has \(source.map(\.text))")
        #expect(await server.stop() == 0)
    }

    /// `reel validate` reports a key a playlist names that does not exist, and one that is not
    /// 16 bytes.
    @Test func validateReportsABadKey() async throws {
        let ingest = try await PresentationIngest.run(input: Fixture.path(Self.fixture), Self.encrypt)
        try #require(ingest.result.status == 0, "\(ingest.report)")
        try FileManager.default.removeItem(at: ingest.asset.appendingPathComponent("copy/key-00000.key"))
        let missing = try await ReelBinary.run(["validate", ingest.asset.path])
        let output = missing.stdoutText + missing.stderrText
        #expect(missing.status == 1 && output.contains("key \"key-00000.key\" does not exist"), "reel validate without the key: exit \(missing.status): \(output)")
        try Data(count: 5).write(to: ingest.asset.appendingPathComponent("copy/key-00000.key"))
        let short = try await ReelBinary.run(["validate", ingest.asset.path])
        let shortOutput = short.stdoutText + short.stderrText
        #expect(short.status == 1 && shortOutput.contains("is 5 bytes; an AES-128 key is 16"), "reel validate with a 5-byte key: exit \(short.status): \(shortOutput)")
    }

    @Test("usage errors exit 2 naming the flags", arguments: [
        (["--encrypt", "aes-128", "--single-file"], ["--encrypt", "--single-file"]),
        (["--encrypt", "aes-128", "--part-duration", "0.5"], ["--encrypt", "--part-duration"]),
        (["--key-rotation", "2"], ["--key-rotation", "--encrypt"]),
        (["--encrypt", "aes-128", "--key-rotation", "0"], ["--key-rotation"]),
        (["--encrypt", "des"], ["--encrypt", "des"]),
    ])
    func usageErrors(_ arguments: [String], flags: [String]) async throws {
        let library = try TemporaryDirectory(prefix: "encrypt-usage")
        let result = try await ReelBinary.run(["ingest", Fixture.path(Self.fixture), "--library", library.path, "--name", "clip"] + arguments)
        #expect(result.status == 2, "\(arguments): \(result.summary)")
        // ArgumentParser follows its one error line with the usage synopsis.
        let errors = result.stderrLines.filter { $0.hasPrefix("Error: ") }
        #expect(errors.count == 1 && result.stderrLines.first == errors.first, "\(arguments): stderr begins with one error line: \(result.stderrText)")
        #expect(flags.allSatisfy { errors.first?.contains($0) == true }, "\(arguments): the error names \(flags): \(result.stderrText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: library.path).isEmpty)
    }

    /// Whether every segment of every audio and video playlist of `ingest` has an AES-128 key.
    static func everySegmentIsEncrypted(_ ingest: PresentationIngest) throws -> Bool {
        let master = try ingest.master()
        let uris = master.variants.map(\.uri) + master.media.filter { $0["TYPE"] == "AUDIO" }.compactMap { $0["URI"] }
        return try uris.allSatisfy { uri in
            try MediaPlaylist(parsing: ingest.text(uri)).segments.allSatisfy { $0.key?.method == .aes128 }
        }
    }

    static func firstDifference(_ left: [String], _ right: [String]) -> String {
        zip(left, right).enumerated().first { $0.element.0 != $0.element.1 }.map { String($0.offset) } ?? "the end"
    }
}

/// Plays an encrypted ingest from standard input while it runs at 1x media time: keys are
/// published before the segments that need them. (A timed suite: `make test` runs it alone.)
@Suite("reel ingest --encrypt aes-128 --realtime, played while it runs")
struct LiveEncryptionIngestTests {
    @Test func ffmpegPlaysWhileTheEncryptedIngestRuns() async throws {
        let tree = try ProgressiveServingTests.makeTree()
        let library = tree.library
        let server = try await ServedReel(library: library, media: tree.media)
        let source = Fixture.url("h264-aac.ts")
        let ingest = try LiveIngest(
            ["-", "--library", library.path, "--name", "live", "--segment-duration", "2", "--realtime", "--encrypt", "aes-128", "--key-rotation", "1"],
            standardInput: source
        )
        let played = try await ingest.videoPlayedWhileRunning(master: "\(server.base)/hls/live/master.m3u8")
        let original = try await FrameHashes.of(source.path, stream: "0:v:0")
        #expect(!original.isEmpty && played == original, "played \(played.count) pictures while ingesting, the source has \(original.count)")
        let keys = try FileManager.default.contentsOfDirectory(atPath: library.appendingPathComponent("live/copy").path).filter { $0.hasSuffix(".key") }
        #expect(keys.count == 3, "a key per segment: \(keys.sorted())")
        #expect(await server.stop() == 0)
    }
}

extension IngestedAsset {
    /// Segment `index` decrypted as a player does it: with the key file its `EXT-X-KEY` names
    /// (beside the playlist) and the IV it gives.
    func decryptedSegmentBytes(_ index: Int) throws -> Data {
        let key = try requireValue(media.segments[index].key, "segment \(index) has no EXT-X-KEY")
        let uri = try requireValue(key.uri, "segment \(index)'s EXT-X-KEY has no URI")
        let iv = try requireValue(key.iv, "segment \(index)'s EXT-X-KEY has no IV")
        let bytes = try Data(contentsOf: mediaDirectory.appendingPathComponent(uri))
        return Data(try AES128CBCDecryptor.decrypt([UInt8](try segmentBytes(index)), key: [UInt8](bytes), iv: iv))
    }
}
