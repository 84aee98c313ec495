import Foundation
import Testing
@testable import HLSPlaylist

@Suite("Playlist tree validation")
struct PlaylistTreeValidatorTests {
    static let videoPlaylist = MediaPlaylist(
        targetDuration: 6,
        playlistType: .vod,
        independentSegments: true,
        map: MediaInitializationSection(uri: "init.mp4"),
        segments: [
            MediaSegment(uri: "seg-00000.m4s", duration: 6.006),
            MediaSegment(uri: "seg-00001.m4s", duration: 4.004),
        ],
        endList: true
    )

    static let iFramePlaylist = MediaPlaylist(
        targetDuration: 6,
        playlistType: .vod,
        iFramesOnly: true,
        map: MediaInitializationSection(uri: "init.mp4"),
        segments: [
            MediaSegment(uri: "seg-00000.m4s", duration: 6.006, byteRange: ByteRange(length: 400, offset: 100)),
            MediaSegment(uri: "seg-00001.m4s", duration: 4.004, byteRange: ByteRange(length: 300, offset: 100)),
        ],
        endList: true
    )

    static let singleFilePlaylist = MediaPlaylist(
        targetDuration: 6,
        playlistType: .vod,
        map: MediaInitializationSection(uri: "media.m4s", byteRange: ByteRange(length: 100, offset: 0)),
        segments: [
            MediaSegment(uri: "media.m4s", duration: 6, byteRange: ByteRange(length: 500, offset: 100)),
            MediaSegment(uri: "media.m4s", duration: 6, byteRange: ByteRange(length: 400)),
        ],
        endList: true
    )

    static let master = MultivariantPlaylist(
        version: 6,
        independentSegments: true,
        media: [Rendition(type: .audio, groupId: "aud", name: "default", isDefault: true, autoselect: true, uri: "audio/index.m3u8")],
        variants: [
            VariantStream(uri: "720p/index.m3u8", bandwidth: 2_000_000, codecs: ["avc1.64001f", "mp4a.40.2"],
                          resolution: Resolution(width: 1280, height: 720), audio: "aud"),
            VariantStream(uri: "copy/index.m3u8", bandwidth: 900_000, codecs: ["avc1.64001e", "mp4a.40.2"], audio: "aud"),
        ],
        iFrameStreams: [IFrameStream(uri: "720p/iframes.m3u8", bandwidth: 100_000, codecs: ["avc1.64001f"])]
    )

    /// A complete, valid asset: master, a segmented and a single-file rendition,
    /// an I-frame playlist and an audio rendition.
    static func asset() -> [String: Data] {
        var files: [String: Data] = [
            "master.m3u8": Data(master.render().utf8),
            "720p/index.m3u8": Data(videoPlaylist.render().utf8),
            "720p/iframes.m3u8": Data(iFramePlaylist.render().utf8),
            "720p/init.mp4": Data(count: 100),
            "720p/seg-00000.m4s": Data(count: 1000),
            "720p/seg-00001.m4s": Data(count: 800),
            "copy/index.m3u8": Data(singleFilePlaylist.render().utf8),
            "copy/media.m4s": Data(count: 1000),
            "audio/index.m3u8": Data(videoPlaylist.render().utf8),
            "audio/init.mp4": Data(count: 10),
            "audio/seg-00000.m4s": Data(count: 10),
            "audio/seg-00001.m4s": Data(count: 10),
        ]
        files["unrelated.txt"] = Data("x".utf8)
        return files
    }

    func validate(_ files: [String: Data], entry: String = "") async -> [PlaylistViolation] {
        await PlaylistTreeValidator(source: InMemoryPlaylistSource(files: files)).validate(entry: entry)
    }

    /// The line of `needle` in `file` of `files`.
    func line(of needle: String, in file: String, of files: [String: Data]) -> Int? {
        let text = String(decoding: files[file]!, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }.map { $0 + 1 }
    }

    @Test("a complete asset is valid, from any entry point", arguments: ["", ".", "./", "master.m3u8", "720p/index.m3u8", "720p/"])
    func validAsset(entry: String) async {
        let violations = await validate(Self.asset(), entry: entry)
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test("a missing segment is reported at the URI line of every playlist using it")
    func missingSegment() async {
        var files = Self.asset()
        files["720p/seg-00001.m4s"] = nil
        let violations = await validate(files)
        #expect(violations.map(\.rule) == [.missingFile, .missingFile])
        #expect(violations.map(\.location) == [
            "720p/index.m3u8:\(line(of: "seg-00001.m4s", in: "720p/index.m3u8", of: files)!)",
            "720p/iframes.m3u8:\(line(of: "seg-00001.m4s", in: "720p/iframes.m3u8", of: files)!)",
        ])
        #expect(violations.first?.message == "segment \"seg-00001.m4s\" does not exist")
    }

    /// Low-Latency HLS: parts must exist (a preload hint need not), rendition reports must name
    /// playlists that exist.
    @Test("parts and rendition reports are checked; preload hints are not")
    func lowLatencyResources() async {
        var files = Self.asset()
        var playlist = Fixtures.lowLatency
        playlist.renditionReports = [RenditionReport(uri: "../audio/index.m3u8", lastMediaSequence: 12, lastPart: 1)]
        files["720p/index.m3u8"] = Data(playlist.render().utf8)
        let parts = playlist.segments.flatMap(\.parts) + playlist.pendingParts
        for name in Set(playlist.segments.map(\.uri) + parts.map(\.uri)) { files["720p/" + name] = Data(count: 10_000) }
        #expect(await validate(files, entry: "720p/index.m3u8").isEmpty)

        files["720p/seg-00011.2.m4s"] = nil
        files["audio/index.m3u8"] = nil
        let violations = await validate(files, entry: "720p/index.m3u8")
        #expect(violations.map(\.rule) == [.missingFile, .missingFile], "\(violations)")
        #expect(violations.map(\.location) == [
            "720p/index.m3u8:\(line(of: "seg-00011.2.m4s", in: "720p/index.m3u8", of: files)!)",
            "720p/index.m3u8:\(line(of: "RENDITION-REPORT", in: "720p/index.m3u8", of: files)!)",
        ])
    }

    @Test("a missing single file is reported once, not per segment")
    func missingSingleFile() async {
        var files = Self.asset()
        files["copy/media.m4s"] = nil
        let violations = await validate(files)
        #expect(violations.map(\.rule) == [.missingFile])
        #expect(violations.first?.file == "copy/index.m3u8")
    }

    @Test("byte ranges must lie inside their file")
    func byteRangeOutOfBounds() async {
        var files = Self.asset()
        files["copy/media.m4s"] = Data(count: 999)
        files["720p/seg-00001.m4s"] = Data(count: 399)
        let violations = await validate(files)
        #expect(violations.map(\.rule) == [.byteRangeOutOfBounds, .byteRangeOutOfBounds])
        #expect(Set(violations.map(\.file)) == ["copy/index.m3u8", "720p/iframes.m3u8"])
        let chained = violations.first { $0.file == "copy/index.m3u8" }
        #expect(chained?.line == line(of: "#EXT-X-BYTERANGE:400", in: "copy/index.m3u8", of: files))
        #expect(chained?.message == "byte range 400@600 of \"media.m4s\" ends at 1000, past its size 999")
    }

    @Test("an EXT-X-MAP byte range is checked too")
    func mapRangeOutOfBounds() async {
        var playlist = Self.singleFilePlaylist
        playlist.map?.byteRange = ByteRange(length: 2000, offset: 0)
        var files = Self.asset()
        files["copy/index.m3u8"] = Data(playlist.render().utf8)
        let violations = await validate(files)
        #expect(violations.map(\.rule) == [.byteRangeOutOfBounds])
        #expect(violations.first?.line == line(of: "#EXT-X-MAP", in: "copy/index.m3u8", of: files))
    }

    @Test("a missing variant playlist is reported at the master's URI line")
    func missingVariant() async {
        var files = Self.asset()
        files["copy/index.m3u8"] = nil
        let violations = await validate(files)
        #expect(violations.map(\.rule) == [.missingFile])
        #expect(violations.first?.location == "master.m3u8:\(line(of: "copy/index.m3u8", in: "master.m3u8", of: files)!)")
    }

    @Test("variants and I-frame streams must point at the right kind of playlist")
    func wrongKinds() async {
        var master = Self.master
        master.variants[1].uri = "720p/iframes.m3u8"
        master.iFrameStreams[0].uri = "720p/index.m3u8"
        master.media[0].uri = "master.m3u8"
        var files = Self.asset()
        files["master.m3u8"] = Data(master.render().utf8)
        let violations = await validate(files)
        #expect(violations.map(\.rule) == [.wrongPlaylistKind, .wrongPlaylistKind, .wrongPlaylistKind])
        #expect(violations.allSatisfy { $0.file == "master.m3u8" })
    }

    @Test("URIs must stay relative and inside the tree", arguments: [
        ("https://cdn.example/720p/index.m3u8", true),
        ("/720p/index.m3u8", true),
        ("//cdn.example/x.m3u8", true),
        ("../720p/index.m3u8", true),
        ("720p/../../etc/passwd", true),
        ("%2E%2E/secret.m3u8", true),
        ("./720p/../720p/index.m3u8", false),
    ])
    func unsafeURIs(uri: String, unsafe: Bool) async {
        var master = Self.master
        master.variants[0].uri = uri
        var files = Self.asset()
        files["master.m3u8"] = Data(master.render().utf8)
        let violations = await validate(files)
        #expect(violations.map(\.rule) == (unsafe ? [.unsafeURI] : []), "\(violations)")
    }

    @Test("segments may be shared through .. as long as they stay inside the root")
    func sharedThroughParent() async {
        var playlist = Self.videoPlaylist
        playlist.map = MediaInitializationSection(uri: "../shared/init.mp4")
        playlist.segments[0].uri = "../720p/seg-00000.m4s?token=1"
        playlist.segments[1].uri = "seg%2D00001.m4s"
        var files = Self.asset()
        files["720p/index.m3u8"] = Data(playlist.render().utf8)
        files["shared/init.mp4"] = Data(count: 1)
        #expect(await validate(files).isEmpty)
    }

    @Test("per-playlist violations come through with their file")
    func nestedViolations() async {
        var playlist = Self.videoPlaylist
        playlist.endList = false
        var files = Self.asset()
        files["720p/index.m3u8"] = Data(playlist.render().utf8)
        files["audio/index.m3u8"] = Data("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6,\n".utf8)
        let violations = await validate(files)
        #expect(violations.map(\.description) == [
            "audio/index.m3u8:3: #EXTINF is not followed by a segment URI",
            "720p/index.m3u8:5: a VOD playlist must end with #EXT-X-ENDLIST",
        ])
    }

    @Test("entry points that do not exist")
    func missingEntries() async {
        #expect(await validate([:]).map(\.description) == [".: no master.m3u8 or index.m3u8 found"])
        #expect(await validate(Self.asset(), entry: "nope/").map(\.description) == ["nope: no master.m3u8 or index.m3u8 found"])
        #expect(await validate(Self.asset(), entry: "nope.m3u8").map(\.description) == ["nope.m3u8: no such playlist"])
    }

    @Test("an entry that is not a playlist")
    func notAPlaylist() async {
        let violations = await validate(["master.m3u8": Data([0xFF, 0xFE, 0x00])])
        #expect(violations.map(\.rule) == [.invalidEncoding])
        let text = await validate(["master.m3u8": Data("hello\n".utf8)])
        #expect(text.map(\.rule) == [.missingHeader, .unknownPlaylistKind])
    }

    @Test("read errors are reported, not thrown")
    func readErrors() async {
        struct Failing: PlaylistSource {
            struct Boom: Error {}
            func contents(of path: String) async throws -> Data { throw Boom() }
            func size(of path: String) async throws -> Int? { path == "master.m3u8" ? 10 : nil }
        }
        let violations = await PlaylistTreeValidator(source: Failing()).validate()
        #expect(violations.map(\.rule) == [.unreadableFile])
    }

    @Test("relative URI resolution", arguments: [
        ("seg.ts", "720p/index.m3u8", "720p/seg.ts"),
        ("./seg.ts", "720p/index.m3u8", "720p/seg.ts"),
        ("../audio/seg.ts", "720p/index.m3u8", "audio/seg.ts"),
        ("a//b.ts", "index.m3u8", "a/b.ts"),
        ("My%20Clip.ts", "index.m3u8", "My Clip.ts"),
        ("seg.ts?x=1#t=2", "a/b/index.m3u8", "a/b/seg.ts"),
        ("a:b.ts", "x/i.m3u8", nil),
        ("dir/a:b.ts", "x/i.m3u8", "x/dir/a:b.ts"),
        ("..", "x/i.m3u8", nil),
        ("", "i.m3u8", nil),
        ("sub/", "i.m3u8", nil),
    ] as [(String, String, String?)])
    func resolution(uri: String, playlist: String, expected: String?) {
        switch RelativeURI.resolve(uri, relativeTo: playlist) {
        case .path(let path): #expect(path == expected)
        case .unsafe: #expect(expected == nil)
        }
    }
}
