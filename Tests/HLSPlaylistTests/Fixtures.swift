import Foundation
@testable import HLSPlaylist

/// Joins lines into playlist text, each ending in "\n".
func playlistText(_ lines: [String]) -> String {
    lines.map { $0 + "\n" }.joined()
}

/// Shared sample playlists, as models and as their canonical text.
enum Fixtures {
    /// A VOD fMP4 rendition written with `--single-file`: every segment, and the
    /// initialization section, is a byte range of `media.m4s`.
    static let singleFileVOD = MediaPlaylist(
        targetDuration: 6,
        playlistType: .vod,
        independentSegments: true,
        map: MediaInitializationSection(uri: "media.m4s", byteRange: ByteRange(length: 1024, offset: 0)),
        segments: [
            MediaSegment(uri: "media.m4s", duration: 6.006, byteRange: ByteRange(length: 50_000, offset: 1024)),
            MediaSegment(uri: "media.m4s", duration: 6.006, byteRange: ByteRange(length: 48_000, offset: 51_024)),
            MediaSegment(uri: "media.m4s", duration: 2.002, byteRange: ByteRange(length: 20_000)),
        ],
        endList: true
    )

    static let singleFileVODText = playlistText([
        "#EXTM3U",
        "#EXT-X-VERSION:6",
        "#EXT-X-TARGETDURATION:6",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        "#EXT-X-MAP:URI=\"media.m4s\",BYTERANGE=\"1024@0\"",
        "#EXTINF:6.006000,",
        "#EXT-X-BYTERANGE:50000@1024",
        "media.m4s",
        "#EXTINF:6.006000,",
        "#EXT-X-BYTERANGE:48000@51024",
        "media.m4s",
        "#EXTINF:2.002000,",
        "#EXT-X-BYTERANGE:20000",
        "media.m4s",
        "#EXT-X-ENDLIST",
    ])

    /// A growing EVENT playlist, as the segmenter publishes it mid-ingest.
    static let growingEvent = MediaPlaylist(
        targetDuration: 4,
        playlistType: .event,
        serverControl: ServerControl(canBlockReload: true),
        map: MediaInitializationSection(uri: "init.mp4"),
        segments: [
            MediaSegment(uri: "seg-00000.m4s", duration: 4.0),
            MediaSegment(uri: "seg-00001.m4s", duration: 3.966667),
        ]
    )

    static let growingEventText = playlistText([
        "#EXTM3U",
        "#EXT-X-VERSION:6",
        "#EXT-X-TARGETDURATION:4",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:EVENT",
        "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES",
        "#EXT-X-MAP:URI=\"init.mp4\"",
        "#EXTINF:4.000000,",
        "seg-00000.m4s",
        "#EXTINF:3.966667,",
        "seg-00001.m4s",
    ])

    /// An MPEG-TS live window with a discontinuity, titles and tags the model does not know.
    static let liveTS = MediaPlaylist(
        version: 3,
        targetDuration: 10,
        mediaSequence: 2680,
        discontinuitySequence: 3,
        segments: [
            MediaSegment(uri: "seg-02680.ts", duration: 9.009, title: "first, with a comma"),
            MediaSegment(
                uri: "seg-02681.ts", duration: 9.009, discontinuity: true,
                unknownTags: ["#EXT-X-PROGRAM-DATE-TIME:2024-05-01T10:00:00.000Z"]
            ),
            MediaSegment(uri: "https://cdn.example/seg-02682.ts", duration: 3.003),
        ],
        unknownTags: ["#EXT-X-START:TIME-OFFSET=-12.0"],
        trailingTags: ["#EXT-X-DATERANGE:ID=\"ad\",START-DATE=\"2024-05-01T10:00:30.000Z\""]
    )

    /// Low-Latency HLS near the live edge: the parts of the last complete segment and of the
    /// one being written (one as a byte range), the next part hinted, another rendition reported.
    static let lowLatency = MediaPlaylist(
        targetDuration: 2,
        mediaSequence: 10,
        playlistType: .event,
        serverControl: ServerControl(canBlockReload: true, partHoldBack: 1.5, canSkipUntil: 12),
        map: MediaInitializationSection(uri: "init.mp4"),
        segments: [
            MediaSegment(uri: "seg-00010.m4s", duration: 2),
            MediaSegment(uri: "seg-00011.m4s", duration: 2, parts: [
                PartialSegment(uri: "seg-00011.0.m4s", duration: 0.5, independent: true),
                PartialSegment(uri: "seg-00011.1.m4s", duration: 0.5),
                PartialSegment(uri: "seg-00011.2.m4s", duration: 0.5),
                PartialSegment(uri: "seg-00011.3.m4s", duration: 0.5),
            ]),
        ],
        partTarget: 0.5,
        pendingParts: [
            PartialSegment(uri: "seg-00012.0.m4s", duration: 0.5, independent: true),
            PartialSegment(uri: "seg-00012.m4s", duration: 0.48, byteRange: ByteRange(length: 5000, offset: 4000)),
        ],
        preloadHints: [PreloadHint(kind: .part, uri: "seg-00012.2.m4s")],
        renditionReports: [RenditionReport(uri: "../480p/index.m3u8", lastMediaSequence: 12, lastPart: 1)]
    )

    /// An I-frame playlist addressing key frames inside fMP4 segments.
    static let iFrames = MediaPlaylist(
        targetDuration: 6,
        playlistType: .vod,
        iFramesOnly: true,
        map: MediaInitializationSection(uri: "init.mp4"),
        segments: [
            MediaSegment(uri: "seg-00000.m4s", duration: 6, byteRange: ByteRange(length: 9000, offset: 800)),
            MediaSegment(uri: "seg-00001.m4s", duration: 6, byteRange: ByteRange(length: 8000, offset: 800)),
        ],
        endList: true
    )

    /// A master with an audio group, closed captions and an I-frame stream.
    static let master = MultivariantPlaylist(
        version: 6,
        independentSegments: true,
        media: [
            Rendition(type: .audio, groupId: "aud", name: "English", language: "en", isDefault: true,
                      autoselect: true, channels: "2", uri: "audio/index.m3u8"),
            Rendition(type: .closedCaptions, groupId: "cc", name: "CC1", language: "en", autoselect: true, instreamId: "CC1"),
        ],
        variants: [
            VariantStream(uri: "1080p/index.m3u8", bandwidth: 5_000_000, averageBandwidth: 4_000_000,
                          codecs: ["avc1.640028", "mp4a.40.2"], resolution: Resolution(width: 1920, height: 1080),
                          frameRate: 29.97, audio: "aud", closedCaptions: .group("cc")),
            VariantStream(uri: "720p/index.m3u8", bandwidth: 1_500_000, codecs: ["avc1.64001f", "mp4a.40.2"],
                          resolution: Resolution(width: 1280, height: 720), frameRate: 30, audio: "aud", closedCaptions: ClosedCaptions.none),
        ],
        iFrameStreams: [
            IFrameStream(uri: "1080p/iframes.m3u8", bandwidth: 300_000, codecs: ["avc1.640028"],
                         resolution: Resolution(width: 1920, height: 1080)),
        ]
    )

    static let masterText = playlistText([
        "#EXTM3U",
        "#EXT-X-VERSION:6",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"audio/index.m3u8\"",
        "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"CC1\",LANGUAGE=\"en\",DEFAULT=NO,AUTOSELECT=YES,INSTREAM-ID=\"CC1\"",
        "#EXT-X-STREAM-INF:BANDWIDTH=5000000,AVERAGE-BANDWIDTH=4000000,CODECS=\"avc1.640028,mp4a.40.2\",RESOLUTION=1920x1080,FRAME-RATE=29.970,AUDIO=\"aud\",CLOSED-CAPTIONS=\"cc\"",
        "1080p/index.m3u8",
        "#EXT-X-STREAM-INF:BANDWIDTH=1500000,CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=1280x720,FRAME-RATE=30.000,AUDIO=\"aud\",CLOSED-CAPTIONS=NONE",
        "720p/index.m3u8",
        "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=300000,CODECS=\"avc1.640028\",RESOLUTION=1920x1080,URI=\"1080p/iframes.m3u8\"",
    ])

    static let allMediaPlaylists: [MediaPlaylist] = [singleFileVOD, growingEvent, liveTS, iFrames, lowLatency]
}

/// A small deterministic random generator (SplitMix64) so fuzz tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
