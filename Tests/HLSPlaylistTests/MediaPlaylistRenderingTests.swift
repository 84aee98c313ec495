import Testing
import HLSPlaylist

@Suite("Media playlist rendering")
struct MediaPlaylistRenderingTests {
    @Test("golden VOD fMP4 single-file playlist with EXT-X-MAP and BYTERANGE")
    func goldenSingleFileVOD() {
        #expect(Fixtures.singleFileVOD.render() == Fixtures.singleFileVODText)
    }

    @Test("golden growing EVENT playlist")
    func goldenEvent() {
        #expect(Fixtures.growingEvent.render() == Fixtures.growingEventText)
    }

    /// RFC 8216bis §4.4.3.7–§4.4.5.4 in the order of Apple's examples: PART-INF with the header
    /// tags, each segment's parts before its EXTINF, the parts of the segment in progress,
    /// the hint, then the reports.
    @Test("golden Low-Latency HLS playlist")
    func goldenLowLatency() {
        #expect(Fixtures.lowLatency.render() == playlistText([
            "#EXTM3U",
            "#EXT-X-VERSION:6",
            "#EXT-X-TARGETDURATION:2",
            "#EXT-X-MEDIA-SEQUENCE:10",
            "#EXT-X-PLAYLIST-TYPE:EVENT",
            "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500,CAN-SKIP-UNTIL=12.000",
            "#EXT-X-PART-INF:PART-TARGET=0.50000",
            "#EXT-X-MAP:URI=\"init.mp4\"",
            "#EXTINF:2.000000,",
            "seg-00010.m4s",
            "#EXT-X-PART:DURATION=0.50000,URI=\"seg-00011.0.m4s\",INDEPENDENT=YES",
            "#EXT-X-PART:DURATION=0.50000,URI=\"seg-00011.1.m4s\"",
            "#EXT-X-PART:DURATION=0.50000,URI=\"seg-00011.2.m4s\"",
            "#EXT-X-PART:DURATION=0.50000,URI=\"seg-00011.3.m4s\"",
            "#EXTINF:2.000000,",
            "seg-00011.m4s",
            "#EXT-X-PART:DURATION=0.50000,URI=\"seg-00012.0.m4s\",INDEPENDENT=YES",
            "#EXT-X-PART:DURATION=0.48000,URI=\"seg-00012.m4s\",BYTERANGE=\"5000@4000\"",
            "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg-00012.2.m4s\"",
            "#EXT-X-RENDITION-REPORT:URI=\"../480p/index.m3u8\",LAST-MSN=12,LAST-PART=1",
        ]))
    }

    /// A delta update: EXT-X-SKIP before the segments it does list, and version 9.
    @Test("a delta update skips segments at version 9")
    func deltaUpdate() throws {
        var delta = Fixtures.lowLatency
        delta.segments.removeFirst()
        delta.skippedSegments = 1
        delta.version = 6
        let text = delta.render()
        #expect(text.hasPrefix("#EXTM3U\n#EXT-X-VERSION:9\n"))
        #expect(text.contains("#EXT-X-MAP:URI=\"init.mp4\"\n#EXT-X-SKIP:SKIPPED-SEGMENTS=1\n#EXT-X-PART:DURATION=0.50000,URI=\"seg-00011.0.m4s\""))
        #expect(try MediaPlaylist(parsing: text).skippedSegments == 1)
    }

    @Test("segment-level tags keep their conventional order")
    func segmentTagOrder() {
        let text = Fixtures.liveTS.render()
        #expect(text == playlistText([
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            "#EXT-X-TARGETDURATION:10",
            "#EXT-X-MEDIA-SEQUENCE:2680",
            "#EXT-X-DISCONTINUITY-SEQUENCE:3",
            "#EXT-X-START:TIME-OFFSET=-12.0",
            "#EXTINF:9.009000,first, with a comma",
            "seg-02680.ts",
            "#EXT-X-PROGRAM-DATE-TIME:2024-05-01T10:00:00.000Z",
            "#EXT-X-DISCONTINUITY",
            "#EXTINF:9.009000,",
            "seg-02681.ts",
            "#EXTINF:3.003000,",
            "https://cdn.example/seg-02682.ts",
            "#EXT-X-DATERANGE:ID=\"ad\",START-DATE=\"2024-05-01T10:00:30.000Z\"",
        ]))
    }

    @Test("a map change is written after the discontinuity, before EXTINF")
    func mapChange() {
        let playlist = MediaPlaylist(
            targetDuration: 6,
            map: MediaInitializationSection(uri: "init-a.mp4"),
            segments: [
                MediaSegment(uri: "a.m4s", duration: 6),
                MediaSegment(uri: "b.m4s", duration: 6, discontinuity: true, map: MediaInitializationSection(uri: "init-b.mp4")),
            ],
            endList: true
        )
        #expect(playlist.render().hasSuffix(playlistText([
            "#EXT-X-DISCONTINUITY",
            "#EXT-X-MAP:URI=\"init-b.mp4\"",
            "#EXTINF:6.000000,",
            "b.m4s",
            "#EXT-X-ENDLIST",
        ])))
    }

    @Test("the version written is never below what the features need")
    func versionIsRaised() {
        var playlist = Fixtures.singleFileVOD
        playlist.version = 3
        #expect(playlist.render().contains("#EXT-X-VERSION:6\n"))
        playlist.version = 8
        #expect(playlist.render().contains("#EXT-X-VERSION:8\n"))
    }

    @Test("an empty server control is not written")
    func emptyServerControl() {
        var playlist = Fixtures.growingEvent
        playlist.serverControl = ServerControl()
        #expect(!playlist.render().contains("SERVER-CONTROL"))
        playlist.serverControl = ServerControl(canBlockReload: true, holdBack: 12, partHoldBack: 1.5)
        #expect(playlist.render().contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,HOLD-BACK=12.000,PART-HOLD-BACK=1.500\n"))
    }

    @Test("hostile strings cannot break the line structure")
    func hostileStrings() throws {
        let playlist = MediaPlaylist(
            targetDuration: 6,
            map: MediaInitializationSection(uri: "in\"it\n.mp4"),
            segments: [
                MediaSegment(uri: "#seg\n#EXT-X-ENDLIST\r.ts", duration: 6, title: "two\nlines"),
                MediaSegment(uri: "ok.ts", duration: -3, unknownTags: ["#EXT-X-FOO\n#EXT-X-ENDLIST", "not a tag"]),
            ],
            unknownTags: ["#EXT-X-BAR:1"]
        )
        let text = playlist.render()
        #expect(!text.contains("\r"))
        let parsed = try MediaPlaylist(parsing: text)
        #expect(parsed.segments.map(\.uri) == ["%23seg%0A#EXT-X-ENDLIST%0D.ts", "ok.ts"])
        #expect(parsed.segments[0].title == "two lines")
        #expect(parsed.segments[1].duration == 0)
        #expect(parsed.map?.uri == "in%22it%0A.mp4")
        #expect(parsed.unknownTags == ["#EXT-X-BAR:1"])
        #expect(!parsed.endList)
    }

    @Test("minimum target duration rounds to the nearest integer")
    func minimumTargetDuration() {
        #expect(MediaPlaylist.minimumTargetDuration(forSegmentDurations: [6.006, 6.4, 2]) == 6)
        #expect(MediaPlaylist.minimumTargetDuration(forSegmentDurations: [6.5]) == 7)
        #expect(MediaPlaylist.minimumTargetDuration(forSegmentDurations: []) == 1)
        #expect(MediaPlaylist.minimumTargetDuration(forSegmentDurations: [.infinity, .nan, 1e300]) == Int(Int32.max))
    }

    @Test("total duration")
    func duration() {
        #expect(abs(Fixtures.singleFileVOD.duration - 14.014) < 1e-9)
    }
}

@Suite("Playlist delta updates")
struct DeltaUpdateTests {
    /// Ten 2 s segments (20 s), CAN-SKIP-UNTIL 12 s: segments ending at or before 8 s (the
    /// first four) are skipped; the media sequence stays the full playlist's.
    static func playlist(canSkipUntil: Double? = 12, segments: Int = 10) -> MediaPlaylist {
        MediaPlaylist(
            targetDuration: 2, mediaSequence: 100, playlistType: .event,
            serverControl: ServerControl(canBlockReload: true, partHoldBack: 1.5, canSkipUntil: canSkipUntil),
            map: MediaInitializationSection(uri: "init.mp4"),
            segments: (0..<segments).map { MediaSegment(uri: "seg-\(100 + $0).m4s", duration: 2) },
            partTarget: 0.5,
            pendingParts: [PartialSegment(uri: "seg-110.0.m4s", duration: 0.5, independent: true)],
            preloadHints: [PreloadHint(kind: .part, uri: "seg-110.1.m4s")]
        )
    }

    @Test func oldSegmentsAreSkipped() throws {
        let delta = try #require(Self.playlist().deltaUpdate())
        #expect(delta.skippedSegments == 4)
        #expect(delta.mediaSequence == 100)
        #expect(delta.segments.map(\.uri) == (104..<110).map { "seg-\($0).m4s" })
        #expect(delta.pendingParts.count == 1 && delta.preloadHints.count == 1)
        let text = delta.render()
        #expect(text.contains("#EXT-X-VERSION:9\n"))
        #expect(text.contains("#EXT-X-MAP:URI=\"init.mp4\"\n#EXT-X-SKIP:SKIPPED-SEGMENTS=4\n#EXTINF:2.000000,\nseg-104.m4s\n"))
        #expect(PlaylistValidator(deltaUpdate: true).validateMediaPlaylist(text).isEmpty, "\(PlaylistValidator(deltaUpdate: true).validateMediaPlaylist(text))")
        var reread = try MediaPlaylist(parsing: text)
        reread.version = delta.version
        #expect(reread == delta)
    }

    @Test func nothingToSkipStillAnswersADelta() throws {
        let delta = try #require(Self.playlist(segments: 6).deltaUpdate())
        #expect(delta.skippedSegments == 0 && delta.segments.count == 6)
    }

    @Test func noDeltaWithoutCanSkipUntil() {
        #expect(Self.playlist(canSkipUntil: nil).deltaUpdate() == nil)
        #expect(Self.playlist().deltaUpdate()?.deltaUpdate() == nil)
    }

    /// A map change or a date range in the skippable range stops the skipping there.
    @Test func segmentsThatCarryStateAreKept() throws {
        var playlist = Self.playlist()
        playlist.segments[2].map = MediaInitializationSection(uri: "init-b.mp4")
        #expect(try #require(playlist.deltaUpdate()).skippedSegments == 2)
        playlist = Self.playlist()
        playlist.segments[1].unknownTags = ["#EXT-X-DATERANGE:ID=\"a\",START-DATE=\"2026-01-01T00:00:00Z\""]
        #expect(try #require(playlist.deltaUpdate()).skippedSegments == 1)
    }
}
