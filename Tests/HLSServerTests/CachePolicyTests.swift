import Foundation
import HLSPlaylist
@testable import HLSServer
import Hummingbird
import HummingbirdTesting
import ReelTestSupport
import Testing

@Suite("Cache policy of library files")
struct LibraryCachePolicyTests {
    static func manifest(_ state: AssetManifest.State, targetDuration: Int? = 4, segmentDuration: Double = 6) -> AssetManifest {
        AssetManifest(
            name: "a", state: state, source: .init(path: "a.mp4", size: nil), duration: 6, format: .fmp4,
            segmentDuration: segmentDuration, targetDuration: targetDuration, singleFile: false, master: LibraryLayout.master,
            renditions: [], created: "2024-01-01T00:00:00Z"
        )
    }

    @Test(arguments: [
        // (file, state, expected): nil state is an asset without a manifest.
        ("index.m3u8", AssetManifest.State.ready, CachePolicy?.some(.finishedPlaylist)),
        ("master.m3u8", .ready, .finishedPlaylist),
        ("iframes.m3u8", .ready, .finishedPlaylist),
        ("index.m3u8", .ingesting, .growingPlaylist(targetDuration: 4)),
        ("master.m3u8", .ingesting, .growingPlaylist(targetDuration: 4)),
        ("index.m3u8", .failed, .abandonedPlaylist),
        ("seg-00000.m4s", .ingesting, .segment),
        ("seg-00000.vtt", .ready, .segment),
        ("init.mp4", .failed, .segment),
        ("media.m4s", .ingesting, .growingFile),
        ("media.ts", .failed, .growingFile),
        ("media.m4s", .ready, .segment),
        ("manifest.json", .ready, .dynamic),
    ] as [(String, AssetManifest.State, CachePolicy?)])
    func byManifest(file: String, state: AssetManifest.State, expected: CachePolicy?) {
        #expect(CachePolicy.library(fileName: file, manifest: Self.manifest(state)) == expected)
    }

    @Test func withoutAManifestOnlyPlaylistsAreLeftToTheirText() {
        #expect(CachePolicy.library(fileName: "index.m3u8", manifest: nil) == nil)
        #expect(CachePolicy.library(fileName: "seg-00000.m4s", manifest: nil) == .segment)
        #expect(CachePolicy.library(fileName: "media.m4s", manifest: nil) == .growingFile)
    }

    @Test func segmentsNeverLookAtTheManifest() {
        var looked = false
        func manifest() -> AssetManifest? {
            looked = true
            return nil
        }
        _ = CachePolicy.library(fileName: "seg-00000.m4s", manifest: manifest())
        #expect(!looked)
    }

    @Test func anOlderManifestWithoutTargetDurationUsesTheSegmentDuration() {
        #expect(CachePolicy.library(fileName: "index.m3u8", manifest: Self.manifest(.ingesting, targetDuration: nil, segmentDuration: 2.5))
            == .growingPlaylist(targetDuration: 3))
    }

    @Test func playlistText() throws {
        #expect(CachePolicy.playlist(try MediaPlaylist(parsing: PresentationTree.subtitlePlaylist)) == .finishedPlaylist)
        #expect(CachePolicy.playlist(try MediaPlaylist(parsing: PresentationTree.videoPlaylist)) == .growingPlaylist(targetDuration: 10))
        #expect(CachePolicy.playlist(nil) == .growingPlaylist(targetDuration: 6))
    }

    /// Cache-Control of `paths`, over real HTTP, GET and then a 304 revalidation.
    static func cacheControl(_ paths: [String], tree: PresentationTree) async throws -> [String?] {
        try await HTTPConformanceTests.makeServer(library: tree.library, media: tree.media).makeApplication().test(.live) { client in
            var values: [String?] = []
            for path in paths {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path)")
                let revalidated = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: response.headers[.eTag] ?? ""])
                #expect(revalidated.status == .notModified && revalidated.headers[.cacheControl] == response.headers[.cacheControl], "\(path): 304")
                values.append(response.headers[.cacheControl])
            }
            return values
        }
    }

    @Test func manifestDecidesOverHTTP() async throws {
        let tree = try PresentationTree()
        let paths = [
            "/hls/movie/copy/index.m3u8", "/hls/movie/subs-fr/index.m3u8", "/hls/movie/audio-en/index.m3u8",
            "/hls/growing/copy/index.m3u8", "/hls/growing/subs-en/index.m3u8", "/hls/growing/master.m3u8",
            "/hls/dead/copy/index.m3u8", "/hls/dead/master.m3u8",
        ]
        let values = try await Self.cacheControl(paths, tree: tree)
        // A ready asset's playlists are finished (even one whose text has no ENDLIST: the
        // manifest, not the text, decides); an ingesting one's are revalidated within half the
        // manifest's target duration (4 s, not the playlist's 10); a dead ingest's always.
        #expect(values == [
            "public, max-age=3600", "public, max-age=3600", "public, max-age=3600",
            "public, max-age=2", "public, max-age=2", "public, max-age=2",
            "no-cache", "no-cache",
        ])
    }

    @Test func playlistsWithoutAManifestByTheirParsedText() async throws {
        let tree = try PresentationTree()
        let values = try await Self.cacheControl(
            ["/hls/hand/vod.m3u8", "/hls/hand/event.m3u8", "/hls/hand/master.m3u8", "/hls/hand/garbage.m3u8"], tree: tree
        )
        #expect(values == ["public, max-age=3600", "public, max-age=5", "public, max-age=3", "public, max-age=3"])
    }

    @Test func aChangedPlaylistIsParsedAgain() async throws {
        let tree = try PresentationTree()
        try await HTTPConformanceTests.makeServer(library: tree.library, media: tree.media).makeApplication().test(.live) { client in
            let path = "/hls/hand/event.m3u8"
            #expect(try await client.execute(uri: path, method: .get).headers[.cacheControl] == "public, max-age=5")
            try tree.write(PresentationTree.videoPlaylist + "#EXT-X-ENDLIST\n", "library/hand/event.m3u8")
            #expect(try await client.execute(uri: path, method: .get).headers[.cacheControl] == "public, max-age=3600")
        }
    }
}
