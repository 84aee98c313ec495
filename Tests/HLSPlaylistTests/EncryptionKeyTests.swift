import Foundation
import Testing
@testable import HLSPlaylist

/// `EXT-X-KEY` (RFC 8216 §4.3.2.4): the model, its text, and the validator's rules.
@Suite("Encryption keys")
struct EncryptionKeyTests {
    static let iv: [UInt8] = Array(0..<16)

    static func encrypted(keys: [String?] = ["key-00000.key", "key-00000.key"]) -> MediaPlaylist {
        MediaPlaylist(
            targetDuration: 6, playlistType: .vod, map: MediaInitializationSection(uri: "init.mp4"),
            segments: keys.enumerated().map { index, key in
                MediaSegment(
                    uri: "seg-0000\(index).m4s", duration: 6,
                    key: key.map { EncryptionKey(method: .aes128, uri: $0, iv: Array(repeating: UInt8(index), count: 16)) }
                )
            },
            endList: true
        )
    }

    @Test func rendersAfterTheMapAndBeforeEachSegment() throws {
        let text = Self.encrypted().render()
        let lines = text.split(separator: "\n").map(String.init)
        let map = try #require(lines.firstIndex(of: "#EXT-X-MAP:URI=\"init.mp4\""))
        let key = try #require(lines.firstIndex { $0.hasPrefix("#EXT-X-KEY") })
        #expect(map < key, "the init section stays clear: its EXT-X-MAP precedes every key")
        #expect(lines[key] == "#EXT-X-KEY:METHOD=AES-128,URI=\"key-00000.key\",IV=0x00000000000000000000000000000000")
        #expect(lines.filter { $0.hasPrefix("#EXT-X-KEY") }.count == 2)
        #expect(lines[key + 1].hasPrefix("#EXTINF"))
    }

    @Test func roundTrips() throws {
        let playlist = Self.encrypted()
        let parsed = try MediaPlaylist(parsing: playlist.render())
        #expect(parsed.segments.map(\.key) == playlist.segments.map(\.key))
        #expect(parsed == playlist)
    }

    @Test func parsesEveryAttribute() throws {
        let text = playlistText([
            "#EXTM3U", "#EXT-X-VERSION:5", "#EXT-X-TARGETDURATION:6",
            "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://k\",IV=0X0102030405060708090A0B0C0D0E0F10,KEYFORMAT=\"com.apple.streamingkeydelivery\",KEYFORMATVERSIONS=\"1\"",
            "#EXTINF:6,", "a.ts",
        ])
        let key = try #require(try MediaPlaylist(parsing: text).segments.first?.key)
        #expect(key == EncryptionKey(method: .sampleAES, uri: "skd://k", iv: Array(1...16), keyFormat: "com.apple.streamingkeydelivery", keyFormatVersions: "1"))
    }

    @Test(arguments: ["0x", "0x123", "0xzz", "1234", "0x0g"])
    func rejectsMalformedIV(_ iv: String) {
        let text = playlistText(["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=\(iv)", "#EXTINF:6,", "a.ts"])
        #expect(throws: PlaylistParseError.self) { try MediaPlaylist(parsing: text) }
    }

    @Test func anIVNeedsVersionTwo() {
        #expect(MediaPlaylist(targetDuration: 6, segments: [MediaSegment(uri: "a.ts", duration: 6, key: EncryptionKey(method: .aes128, uri: "k", iv: Self.iv))]).minimumVersion == 3)
        let text = playlistText(["#EXTM3U", "#EXT-X-VERSION:1", "#EXT-X-TARGETDURATION:6", "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x000102030405060708090a0b0c0d0e0f", "#EXTINF:6,", "a.ts"])
        #expect(PlaylistValidator().validateMediaPlaylist(text, file: "p.m3u8").map(\.rule).contains(.versionTooLow))
    }

    /// A delta update keeps the key of the segments it skips in effect.
    @Test func deltaUpdateCarriesTheKeyInEffect() throws {
        var playlist = MediaPlaylist(targetDuration: 2, playlistType: .event, serverControl: ServerControl(canBlockReload: true, canSkipUntil: 12), segments: [])
        playlist.segments = (0..<12).map { MediaSegment(uri: "s\($0).m4s", duration: 2, key: $0 % 5 == 0 ? EncryptionKey(method: .aes128, uri: "k\($0)") : nil) }
        let delta = try #require(playlist.deltaUpdate())
        let skipped = try #require(delta.skippedSegments)
        #expect(skipped > 0)
        let expected = playlist.segments.prefix(skipped + 1).last { $0.key != nil }?.key
        #expect(delta.segments.first?.key == expected)
    }

    @Test("each key rule has a failing and a passing case", arguments: [
        ("#EXT-X-KEY:METHOD=AES-256,URI=\"k\"", true),
        ("#EXT-X-KEY:METHOD=AES-128", true),
        ("#EXT-X-KEY:METHOD=NONE,URI=\"k\"", true),
        ("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x0102", true),
        ("#EXT-X-KEY:METHOD=NONE", false),
        ("#EXT-X-KEY:METHOD=AES-128,URI=\"k\"", false),
        ("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x000102030405060708090a0b0c0d0e0f", false),
    ])
    func keyRules(tag: String, fails: Bool) {
        let text = playlistText(["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:6", tag, "#EXTINF:6,", "a.ts", "#EXT-X-ENDLIST"])
        let violations = PlaylistValidator().validateMediaPlaylist(text, file: "p.m3u8")
        if fails {
            #expect(violations.map(\.rule) == [.invalidKey], "\(violations)")
            #expect(violations.first?.line == 4)
        } else {
            #expect(violations.isEmpty, "\(violations)")
        }
    }

    /// RFC 8216 §4.3.2.5: an EXT-X-MAP that an AES-128 key applies to needs that key's IV.
    @Test func anEncryptedMapNeedsAnIV() {
        let lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-TARGETDURATION:6", "#EXT-X-KEY:METHOD=AES-128,URI=\"k\"", "#EXT-X-MAP:URI=\"i.mp4\"", "#EXTINF:6,", "a.m4s", "#EXT-X-ENDLIST"]
        #expect(PlaylistValidator().validateMediaPlaylist(playlistText(lines), file: "p.m3u8").map(\.rule) == [.invalidKey])
        var clearMap = lines
        clearMap.swapAt(3, 4)
        #expect(PlaylistValidator().validateMediaPlaylist(playlistText(clearMap), file: "p.m3u8").isEmpty)
    }

    /// A local tree's keys must exist and be 16 bytes; each is reported once.
    @Test func treeChecksKeyFiles() async {
        var files: [String: Data] = [
            "index.m3u8": Data(Self.encrypted(keys: ["key-00000.key", "key-00000.key", "key-00001.key"]).render().utf8),
            "init.mp4": Data(count: 10), "seg-00000.m4s": Data(count: 32), "seg-00001.m4s": Data(count: 32), "seg-00002.m4s": Data(count: 32),
            "key-00000.key": Data(count: 16), "key-00001.key": Data(count: 16),
        ]
        #expect(await PlaylistTreeValidator(source: InMemoryPlaylistSource(files: files)).validate(entry: "index.m3u8").isEmpty)
        files["key-00000.key"] = nil
        files["key-00001.key"] = Data(count: 32)
        let violations = await PlaylistTreeValidator(source: InMemoryPlaylistSource(files: files)).validate(entry: "index.m3u8")
        #expect(violations.map(\.rule) == [.missingFile, .invalidKey], "\(violations)")
        #expect(violations.last?.message == "key \"key-00001.key\" is 32 bytes; an AES-128 key is 16")
    }

    @Test func keyNamesCarryTheGeneration() {
        #expect(LibraryLayout.key(0) == "key-00000.key")
        #expect(LibraryLayout.key(12, generation: 3) == "key-3-00012.key")
        #expect(LibraryLayout.generation(ofMediaFile: "key-3-00012.key") == 3)
        #expect(LibraryLayout.generation(ofMediaFile: "key-00012.key") == 0)
        #expect(LibraryLayout.isKey("key-2-00001.key"))
        #expect(!LibraryLayout.isKey("key-00001.m4s"))
        #expect(!LibraryLayout.isKey("seg-00001.m4s"))
        #expect(LibraryLayout.generation(ofMediaFile: "key-03-00001.key") == nil)
    }
}
