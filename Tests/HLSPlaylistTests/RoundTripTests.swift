import Testing
import HLSPlaylist

@Suite("Round trips")
struct RoundTripTests {
    @Test("render → parse gives back the model", arguments: Fixtures.allMediaPlaylists)
    func mediaRoundTrip(playlist: MediaPlaylist) throws {
        let text = playlist.render()
        let parsed = try MediaPlaylist(parsing: text)
        #expect(parsed == playlist)
        #expect(parsed.render() == text)
    }

    @Test("multivariant render → parse gives back the model")
    func multivariantRoundTrip() throws {
        let parsed = try MultivariantPlaylist(parsing: Fixtures.master.render())
        #expect(parsed == Fixtures.master)
        var renditions = Fixtures.master
        renditions.media.append(Rendition(type: .subtitles, groupId: "subs", name: "Français", language: "fr", uri: "subs/fr.m3u8"))
        renditions.media.append(Rendition(type: .subtitles, groupId: "subs", name: "Français (forcé)", language: "fr",
                                          autoselect: true, forced: true, characteristics: "public.easy-to-read", uri: "subs/fr-forced.m3u8"))
        renditions.media.append(Rendition(type: .video, groupId: "cams", name: "Angle 2", uri: "angle2/index.m3u8"))
        renditions.variants[0].subtitles = "subs"
        renditions.variants[0].video = "cams"
        renditions.variants[0].videoRange = .pq
        renditions.variants[1].videoRange = .sdr
        renditions.iFrameStreams[0].videoRange = .hlg
        renditions.unknownTags = ["#EXT-X-SESSION-DATA:DATA-ID=\"x\",VALUE=\"y\""]
        #expect(try MultivariantPlaylist(parsing: renditions.render()) == renditions)
    }

    @Test("random media playlists survive a round trip")
    func randomMediaPlaylists() throws {
        var random = SeededGenerator(seed: 8216)
        for _ in 0..<200 {
            let count = Int.random(in: 0...12, using: &random)
            let singleFile = Bool.random(using: &random)
            var offset = 0
            var segments: [MediaSegment] = []
            for index in 0..<count {
                // Microsecond-exact durations are what the writer can represent.
                let duration = Double(Int.random(in: 0...12_000_000, using: &random)) / 1_000_000
                var segment = MediaSegment(uri: singleFile ? "media.ts" : "seg-\(index).ts", duration: duration)
                if singleFile {
                    let length = Int.random(in: 1...1_000_000, using: &random)
                    segment.byteRange = ByteRange(length: length, offset: Bool.random(using: &random) || index == 0 ? offset : nil)
                    offset += length
                }
                segment.discontinuity = Int.random(in: 0..<5, using: &random) == 0
                if index > 0, Int.random(in: 0..<6, using: &random) == 0 {
                    segment.map = MediaInitializationSection(uri: "init-\(index).mp4")
                }
                segment.title = Bool.random(using: &random) ? "" : "t\(index),x"
                segments.append(segment)
            }
            let playlist = MediaPlaylist(
                targetDuration: MediaPlaylist.minimumTargetDuration(forSegmentDurations: segments.map(\.duration)),
                mediaSequence: Int.random(in: 0...100_000, using: &random),
                discontinuitySequence: Int.random(in: 0...3, using: &random),
                playlistType: [PlaylistType.vod, .event, nil].randomElement(using: &random)!,
                independentSegments: Bool.random(using: &random),
                iFramesOnly: Bool.random(using: &random),
                serverControl: Bool.random(using: &random) ? ServerControl(canBlockReload: true, holdBack: 12.5) : nil,
                map: Bool.random(using: &random) ? MediaInitializationSection(uri: "init.mp4") : nil,
                segments: segments,
                endList: Bool.random(using: &random)
            )
            let parsed = try MediaPlaylist(parsing: playlist.render())
            #expect(parsed == playlist)
        }
    }
}
