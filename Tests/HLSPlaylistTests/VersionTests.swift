import Testing
import HLSPlaylist

@Suite("EXT-X-VERSION requirements (RFC 8216 §7)")
struct VersionTests {
    static let segment = MediaSegment(uri: "a.ts", duration: 6)
    static let ranged = MediaSegment(uri: "a.ts", duration: 6, byteRange: ByteRange(length: 10, offset: 0))
    static let initSection = MediaInitializationSection(uri: "init.mp4")

    @Test("minimum version of a media playlist", arguments: [
        ("empty", MediaPlaylist(targetDuration: 6), 1),
        ("decimal EXTINF", MediaPlaylist(targetDuration: 6, segments: [segment]), 3),
        ("EXT-X-BYTERANGE", MediaPlaylist(targetDuration: 6, segments: [ranged]), 4),
        ("EXT-X-I-FRAMES-ONLY", MediaPlaylist(targetDuration: 6, iFramesOnly: true), 4),
        ("EXT-X-MAP", MediaPlaylist(targetDuration: 6, map: initSection), 6),
        ("EXT-X-MAP on a later segment", MediaPlaylist(targetDuration: 6, segments: [
            segment, MediaSegment(uri: "b.m4s", duration: 6, map: initSection),
        ]), 6),
        ("EXT-X-MAP with I-frames only", MediaPlaylist(targetDuration: 6, iFramesOnly: true, map: initSection, segments: [ranged]), 5),
    ])
    func minimumVersion(name: String, playlist: MediaPlaylist, expected: Int) {
        #expect(playlist.minimumVersion == expected, "\(name)")
        #expect(playlist.version == expected, "init without a version uses the minimum")
        #expect(playlist.render().contains("#EXT-X-VERSION:\(expected)\n"))
    }

    @Test("the text-level check agrees with the model for everything the writer produces",
          arguments: Fixtures.allMediaPlaylists)
    func textAgreesWithModel(playlist: MediaPlaylist) {
        var lowest = playlist
        lowest.version = 1
        let violations = PlaylistValidator().validateMediaPlaylist(lowest.render())
        #expect(!violations.contains { $0.rule == .versionTooLow })
    }
}
