import Foundation
import HLSPlaylist
import Testing
@testable import Segmenter

@Suite("Generations: naming and keeping")
struct SuccessionTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14T22:13:20Z

    static func manifest(generation: Int, retained: [AssetManifest.RetainedGeneration] = []) -> AssetManifest {
        AssetManifest(
            name: "clip", state: .ready, source: .init(path: "a.mp4", size: nil), duration: 6, format: .fmp4,
            segmentDuration: 6, singleFile: false, master: LibraryLayout.master, renditions: [],
            created: "2023-11-14T22:00:00Z", generation: generation, retained: retained
        )
    }

    static func stamp(_ offset: TimeInterval) -> String { Timestamp.iso8601(now.addingTimeInterval(offset)) }

    // MARK: The generation of a new ingest

    @Test func aFirstIngestIsGenerationZero() {
        #expect(Succession.generation(replacing: nil, mark: nil) == 0)
    }

    @Test func aReplacementTakesTheNextGenerationWhateverTheStateOfTheOldOne() {
        for state in [AssetManifest.State.ready, .ingesting, .failed] {
            var manifest = Self.manifest(generation: 4)
            manifest.state = state
            let previous = PreviousAsset(manifest: manifest, mediaFiles: ["copy/seg-4-00000.m4s"], playlists: [:])
            #expect(Succession.generation(replacing: previous, mark: nil) == 5, "\(state)")
        }
    }

    /// A generation that went live and was withdrawn (the ingest failed) left its mark: its URLs
    /// may be in caches, so no later ingest reuses it, with or without an asset to replace.
    @Test func aWithdrawnGenerationIsNeverReused() {
        let previous = PreviousAsset(manifest: Self.manifest(generation: 0), mediaFiles: [], playlists: [:])
        #expect(Succession.generation(replacing: previous, mark: 1) == 2)
        #expect(Succession.generation(replacing: nil, mark: 0) == 1)
        #expect(Succession.generation(replacing: nil, mark: 6) == 7)
        #expect(Succession.generation(replacing: previous, mark: nil) == 1)
    }

    /// Without a manifest that reads, the names on disk say which generations were used.
    @Test func filesAndKeptGenerationsCountToo() {
        let bare = PreviousAsset(manifest: nil, mediaFiles: ["copy/seg-3-00000.m4s", "copy/seg-00000.m4s"], playlists: ["copy/index.m3u8": 3])
        #expect(bare.generation == 3)
        #expect(Succession.generation(replacing: bare, mark: nil) == 4)
        let keeping = PreviousAsset(manifest: Self.manifest(generation: 2, retained: [.init(generation: 7, until: Self.stamp(-1))]), mediaFiles: [], playlists: [:])
        #expect(Succession.generation(replacing: keeping, mark: nil) == 8)
        #expect(Succession.generation(replacing: PreviousAsset(manifest: nil, mediaFiles: [], playlists: [:]), mark: nil) == 1)
    }

    // MARK: What a replacement keeps

    @Test func theReplacedGenerationIsKeptForAPlaylistsLifetime() {
        let previous = PreviousAsset(
            manifest: Self.manifest(generation: 0),
            mediaFiles: ["copy/init.mp4", "copy/seg-00000.m4s", "copy/seg-00001.m4s", "subs-en/seg-00000.vtt"],
            playlists: ["copy/index.m3u8": 0, "copy/iframes.m3u8": 0, "subs-en/index.m3u8": 0]
        )
        // The replacement has a copy rendition (its own playlists), no subtitles.
        let newFiles: Set = ["copy/index.m3u8", "copy/iframes.m3u8", "copy/init-1.mp4", "copy/seg-1-00000.m4s"]
        let keeping = Succession.keeping(previous, newFiles: newFiles, now: Self.now)
        #expect(keeping.retained == [.init(generation: 0, until: Self.stamp(3600 + 60))])
        #expect(Succession.retention >= LibraryLayout.longestPlaylistMaxAge)
        #expect(keeping.links == [
            "copy/init.mp4", "copy/seg-00000.m4s", "copy/seg-00001.m4s",
            "subs-en/index.m3u8", "subs-en/seg-00000.vtt",
        ])
    }

    @Test func olderGenerationsStayUntilTheirTimeRunsOut() {
        let previous = PreviousAsset(
            manifest: Self.manifest(generation: 3, retained: [
                .init(generation: 2, until: Self.stamp(1800)),
                .init(generation: 1, until: Self.stamp(0)),  // due now: gone
                .init(generation: 0, until: Self.stamp(-3600)),
            ]),
            mediaFiles: ["copy/init-1.mp4", "copy/init-2.mp4", "copy/init-3.mp4", "copy/init.mp4", "copy/seg-00000.m4s", "copy/seg-1-00000.m4s", "copy/seg-2-00000.m4s", "copy/seg-3-00000.m4s"],
            playlists: ["copy/index.m3u8": 3, "720p/index.m3u8": 2, "480p/index.m3u8": 0]
        )
        let keeping = Succession.keeping(previous, newFiles: ["copy/index.m3u8"], now: Self.now)
        #expect(keeping.retained == [.init(generation: 3, until: Self.stamp(3660)), .init(generation: 2, until: Self.stamp(1800))])
        #expect(keeping.links == ["720p/index.m3u8", "copy/init-2.mp4", "copy/init-3.mp4", "copy/seg-2-00000.m4s", "copy/seg-3-00000.m4s"])
    }

    @Test func anUnreadableDateCountsAsPast() {
        let previous = PreviousAsset(
            manifest: Self.manifest(generation: 1, retained: [.init(generation: 0, until: "tomorrow")]),
            mediaFiles: ["copy/seg-00000.m4s", "copy/seg-1-00000.m4s"], playlists: [:]
        )
        let keeping = Succession.keeping(previous, newFiles: [], now: Self.now)
        #expect(keeping.retained.map(\.generation) == [1])
        #expect(keeping.links == ["copy/seg-1-00000.m4s"])
    }

    /// A replacement is never linked over its own files, whatever the old asset holds.
    @Test func theReplacementsOwnFilesWin() {
        let previous = PreviousAsset(manifest: Self.manifest(generation: 0), mediaFiles: ["copy/seg-00000.m4s"], playlists: ["copy/index.m3u8": 0])
        let keeping = Succession.keeping(previous, newFiles: ["copy/seg-00000.m4s", "copy/index.m3u8"], now: Self.now)
        #expect(keeping.links.isEmpty)
    }

    @Test func theUntilDateIsRoundedUpToTheSecond() {
        let previous = PreviousAsset(manifest: Self.manifest(generation: 0), mediaFiles: [], playlists: [:])
        let keeping = Succession.keeping(previous, newFiles: [], now: Self.now.addingTimeInterval(0.25))
        #expect(keeping.retained == [.init(generation: 0, until: Self.stamp(3661))])
    }

    // MARK: Reading what a playlist names

    @Test func aPlaylistNamesTheGenerationOfItsFiles() throws {
        let fmp4 = try MediaPlaylist(parsing: "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:6\n#EXT-X-MAP:URI=\"init-2.mp4\"\n#EXTINF:6,\nseg-2-00000.m4s\n#EXT-X-ENDLIST\n")
        #expect(PreviousAsset.generation(namedBy: fmp4) == 2)
        let ts = try MediaPlaylist(parsing: "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXTINF:6,\nseg-00000.ts\n#EXT-X-ENDLIST\n")
        #expect(PreviousAsset.generation(namedBy: ts) == 0)
        let foreign = try MediaPlaylist(parsing: "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXTINF:6,\nhttp://cdn.example/x.ts\n#EXT-X-ENDLIST\n")
        #expect(PreviousAsset.generation(namedBy: foreign) == nil)
    }

    @Test func timestampsReadBack() {
        for offset in [0.0, 1, 59, 86_399, 31_536_000] {
            let date = Self.now.addingTimeInterval(offset)
            #expect(Timestamp.date(iso8601: Timestamp.iso8601(date)) == date)
        }
        #expect(Timestamp.date(iso8601: "2024-02-29T23:59:59Z") == Date(timeIntervalSince1970: 1_709_251_199))
        for bad in ["", "tomorrow", "2024-02-29 23:59:59Z", "2024-13-01T00:00:00Z", "2024-02-29T23:59:59", "2024-02-29T24:00:00Z"] {
            #expect(Timestamp.date(iso8601: bad) == nil, "\(bad)")
        }
    }
}
