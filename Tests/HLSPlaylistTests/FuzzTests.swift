import Foundation
import Testing
import HLSPlaylist

/// Hostile input must never crash the parsers or validators, and whatever parses
/// must render to text that parses again to the same rendering.
@Suite("Fuzzing")
struct FuzzTests {
    static let fragments = [
        "#EXTM3U", "#EXT-X-VERSION:", "#EXT-X-TARGETDURATION:", "#EXT-X-MEDIA-SEQUENCE:", "#EXTINF:", "#EXT-X-BYTERANGE:",
        "#EXT-X-MAP:URI=\"", "#EXT-X-DISCONTINUITY", "#EXT-X-ENDLIST", "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-I-FRAMES-ONLY",
        "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,HOLD-BACK=", "#EXT-X-STREAM-INF:BANDWIDTH=", "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"",
        "#EXT-X-I-FRAME-STREAM-INF:URI=\"", ",CODECS=\"", ",AUDIO=\"", ",CLOSED-CAPTIONS=", "NONE", ",RESOLUTION=", "x",
        "\"", ",", "=", "@", ".", "-", ":", "#", " ", "\r", "\u{FEFF}", "\u{0}", "é", "seg.ts", "../", "https://", "%2E",
        "0", "1", "6", "6.006", "99999999999999999999", "1e308", "NAME=\"a\"",
    ]

    static let starts = ["#EXTM3U\n#EXT-X-TARGETDURATION:6\n", "#EXTM3U\n", ""]

    func exercise(_ text: String) {
        if let media = try? MediaPlaylist(parsing: text) {
            let rendered = media.render()
            let again = try? MediaPlaylist(parsing: rendered)
            #expect(again?.render() == rendered, "media render is not stable for \(text.debugDescription)")
        }
        if let master = try? MultivariantPlaylist(parsing: text) {
            let rendered = master.render()
            let again = try? MultivariantPlaylist(parsing: rendered)
            #expect(again?.render() == rendered, "master render is not stable for \(text.debugDescription)")
        }
        _ = try? Playlist(parsing: text)
        _ = PlaylistKind.detect(text)
        _ = PlaylistValidator().validate(text, file: "f.m3u8")
        _ = PlaylistValidator().validateMediaPlaylist(text)
        _ = PlaylistValidator().validateMultivariantPlaylist(text)
    }

    @Test("random lines built from playlist vocabulary")
    func randomLines() {
        var random = SeededGenerator(seed: 0x8216)
        for _ in 0..<600 {
            var text = Self.starts.randomElement(using: &random)!
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                for _ in 0..<Int.random(in: 1...5, using: &random) {
                    text += Self.fragments.randomElement(using: &random)!
                }
                text += Bool.random(using: &random) ? "\n" : "\r\n"
            }
            exercise(text)
            _ = try? AttributeList(parsing: text)
        }
    }

    @Test("random bytes")
    func randomBytes() async {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            exercise(String(decoding: bytes, as: UTF8.self))
            _ = try? MediaPlaylist(parsing: Data(bytes))
            let files = ["master.m3u8": Data("#EXTM3U\n".utf8) + Data(bytes), "index.m3u8": Data(bytes)]
            _ = await PlaylistTreeValidator(source: InMemoryPlaylistSource(files: files)).validate()
        }
    }

    @Test("mutations of valid playlists")
    func mutations() {
        var random = SeededGenerator(seed: 7)
        let seeds = [Fixtures.singleFileVODText, Fixtures.masterText, Fixtures.liveTS.render(), Fixtures.growingEventText]
        for _ in 0..<400 {
            var bytes = Array(seeds.randomElement(using: &random)!.utf8)
            for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.remove(at: index)
                case 1: bytes.insert(Array("\n\",=@:#.9".utf8).randomElement(using: &random)!, at: index)
                default: bytes[index] = UInt8.random(in: 0...127, using: &random)
                }
            }
            exercise(String(decoding: bytes, as: UTF8.self))
        }
    }
}
