import HLSPlaylist
@testable import HLSServer
import Testing

@Suite("Signed playlists: the signature in every URI")
struct SignedPlaylistTests {
    static let q = "exp=5&scope=/hls/a/&sig=abc"

    @Test func master() {
        let master = """
            #EXTM3U
            #EXT-X-VERSION:7
            ## a comment with URI="x.m3u8"
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English, US",LANGUAGE="en",DEFAULT=YES,URI="audio-en/index.m3u8"
            #EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",NAME="CC1",INSTREAM-ID="CC1"

            #EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS="avc1.64001e,mp4a.40.2",AUDIO="aud"
            720p/index.m3u8
            #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=100,CODECS="avc1.64001e",URI="720p/iframes.m3u8"
            #EXT-X-SESSION-KEY:METHOD=AES-128,URI="key.key"
            #EXT-X-SESSION-DATA:DATA-ID="com.example",URI="data.json"

            """
        let expected = """
            #EXTM3U
            #EXT-X-VERSION:7
            ## a comment with URI="x.m3u8"
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English, US",LANGUAGE="en",DEFAULT=YES,URI="audio-en/index.m3u8?\(Self.q)"
            #EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",NAME="CC1",INSTREAM-ID="CC1"

            #EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS="avc1.64001e,mp4a.40.2",AUDIO="aud"
            720p/index.m3u8?\(Self.q)
            #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=100,CODECS="avc1.64001e",URI="720p/iframes.m3u8?\(Self.q)"
            #EXT-X-SESSION-KEY:METHOD=AES-128,URI="key.key?\(Self.q)"
            #EXT-X-SESSION-DATA:DATA-ID="com.example",URI="data.json"

            """
        #expect(SignedPlaylist.rewrite(master, query: Self.q) == expected)
        let parsed = try? MultivariantPlaylist(parsing: SignedPlaylist.rewrite(master, query: Self.q))
        #expect(parsed?.variants.first?.uri == "720p/index.m3u8?\(Self.q)")
    }

    @Test func lowLatencyMediaPlaylist() throws {
        let media = """
            #EXTM3U
            #EXT-X-TARGETDURATION:2
            #EXT-X-VERSION:9
            #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.5,CAN-SKIP-UNTIL=12
            #EXT-X-PART-INF:PART-TARGET=0.5
            #EXT-X-MAP:URI="init.mp4"
            #EXT-X-KEY:METHOD=AES-128,URI="key-00000.key",IV=0x000102030405060708090a0b0c0d0e0f
            #EXTINF:2.000000,
            seg-00000.m4s
            #EXT-X-KEY:METHOD=NONE
            #EXT-X-PART:DURATION=0.5,URI="seg-00001.part0.m4s",INDEPENDENT=YES
            #EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg-00001.part1.m4s"
            #EXT-X-RENDITION-REPORT:URI="../audio/index.m3u8",LAST-MSN=1,LAST-PART=0
            #EXT-X-DATERANGE:ID="x",START-DATE="2024-01-01T00:00:00Z",X-URI="keep.me"

            """
        let signed = SignedPlaylist.rewrite(media, query: Self.q)
        let lines = signed.split(separator: "\n")
        #expect(lines[5] == "#EXT-X-MAP:URI=\"init.mp4?\(Self.q)\"")
        #expect(lines[6] == "#EXT-X-KEY:METHOD=AES-128,URI=\"key-00000.key?\(Self.q)\",IV=0x000102030405060708090a0b0c0d0e0f")
        #expect(lines[8] == "seg-00000.m4s?\(Self.q)")
        #expect(lines[9] == "#EXT-X-KEY:METHOD=NONE")
        #expect(lines[10] == "#EXT-X-PART:DURATION=0.5,URI=\"seg-00001.part0.m4s?\(Self.q)\",INDEPENDENT=YES")
        #expect(lines[11] == "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg-00001.part1.m4s?\(Self.q)\"")
        #expect(lines[12] == "#EXT-X-RENDITION-REPORT:URI=\"../audio/index.m3u8?\(Self.q)\",LAST-MSN=1,LAST-PART=0")
        #expect(lines[13] == "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-01-01T00:00:00Z\",X-URI=\"keep.me\"")
        let parsed = try MediaPlaylist(parsing: signed)
        #expect(parsed.segments.first?.uri == "seg-00000.m4s?\(Self.q)")
        #expect(parsed.preloadHints.first?.uri == "seg-00001.part1.m4s?\(Self.q)")
        // Rewriting is all it does: without the query, the same text.
        #expect(signed.replacingOccurrences(of: "?\(Self.q)", with: "") == media)
    }

    @Test(arguments: [
        ("seg.ts", "seg.ts?\(SignedPlaylistTests.q)"),
        ("seg.ts?token=1", "seg.ts?token=1&\(SignedPlaylistTests.q)"),
        ("seg.ts?", "seg.ts?\(SignedPlaylistTests.q)"),
        ("seg.ts?a=1&", "seg.ts?a=1&\(SignedPlaylistTests.q)"),
        ("seg.ts#t=1", "seg.ts?\(SignedPlaylistTests.q)#t=1"),
        ("seg.ts?a=1#t=1", "seg.ts?a=1&\(SignedPlaylistTests.q)#t=1"),
        ("/hls/a/seg.ts", "/hls/a/seg.ts?\(SignedPlaylistTests.q)"),
        ("../b/seg.ts", "../b/seg.ts?\(SignedPlaylistTests.q)"),
        ("http://cdn.example/seg.ts", "http://cdn.example/seg.ts"),
        ("https://cdn.example/seg.ts?x=1", "https://cdn.example/seg.ts?x=1"),
        ("HTTPS://cdn.example/seg.ts", "HTTPS://cdn.example/seg.ts"),
        ("skd://key-id", "skd://key-id"),
        ("data:text/plain,hi", "data:text/plain,hi"),
        ("//cdn.example/seg.ts", "//cdn.example/seg.ts"),
        ("dir:colon/seg.ts", "dir:colon/seg.ts"),
        ("./a:b.ts", "./a:b.ts?\(SignedPlaylistTests.q)"),
        ("1a:b.ts", "1a:b.ts?\(SignedPlaylistTests.q)"),
    ])
    func uri(original: String, signed: String) {
        #expect(SignedPlaylist.signed(original[...], query: Self.q) == signed)
    }

    @Test func commentsBlankLinesAndLineEndingsAreKept() {
        let text = "#EXTM3U\r\n# comment seg.ts\r\n\r\n  \r\n#EXTINF:6,\r\n seg-0.ts \r\n#EXT-X-ENDLIST"
        let expected = "#EXTM3U\r\n# comment seg.ts\r\n\r\n  \r\n#EXTINF:6,\r\n seg-0.ts?\(Self.q) \r\n#EXT-X-ENDLIST"
        #expect(SignedPlaylist.rewrite(text, query: Self.q) == expected)
        #expect(SignedPlaylist.rewrite("", query: Self.q) == "")
    }

    @Test func attributeListsWithCommasAndOddSpacing() {
        let cases = [
            ("#EXT-X-MEDIA:NAME=\"a,URI=x.m3u8\",URI=\"b.m3u8\"", "#EXT-X-MEDIA:NAME=\"a,URI=x.m3u8\",URI=\"b.m3u8?\(Self.q)\""),
            ("#EXT-X-MAP:URI=\"init.mp4\",BYTERANGE=\"720@0\"", "#EXT-X-MAP:URI=\"init.mp4?\(Self.q)\",BYTERANGE=\"720@0\""),
            ("#EXT-X-MAP:BYTERANGE=\"720@0\",URI=\"init.mp4\"", "#EXT-X-MAP:BYTERANGE=\"720@0\",URI=\"init.mp4?\(Self.q)\""),
            ("#EXT-X-KEY:METHOD=AES-128,KEYFORMATURI=\"x\",URI=\"k.key\"", "#EXT-X-KEY:METHOD=AES-128,KEYFORMATURI=\"x\",URI=\"k.key?\(Self.q)\""),
            ("#EXT-X-KEY:METHOD=AES-128,URI=\"https://keys.example/k\"", "#EXT-X-KEY:METHOD=AES-128,URI=\"https://keys.example/k\""),
            ("#EXT-X-MAP:URI=\"unterminated", "#EXT-X-MAP:URI=\"unterminated"),
            ("#EXT-X-MAP:URI=init.mp4", "#EXT-X-MAP:URI=init.mp4"),
            ("#EXT-X-MAP", "#EXT-X-MAP"),
            ("#EXT-X-MAP:", "#EXT-X-MAP:"),
            ("#EXT-X-MAPX:URI=\"a\"", "#EXT-X-MAPX:URI=\"a\""),
            ("#EXT-X-PART:URI=\"\"", "#EXT-X-PART:URI=\"\""),
        ]
        for (line, expected) in cases {
            #expect(SignedPlaylist.rewrite(line, query: Self.q) == expected, "\(line)")
        }
    }
}
