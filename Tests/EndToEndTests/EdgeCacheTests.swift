import Foundation
import HLSPlaylist
import ReelTestSupport
import Testing

/// Issue 14: `reel ingest --force` behind a CDN. nginx plays the edge, caching by the origin's
/// Cache-Control alone; a player started before the replacement keeps playing from its cached
/// playlists, and one that starts after gets the new asset's bytes, never the old ones.
@Suite("A caching proxy in front of reel serve across a --force replacement")
struct EdgeCacheTests {
    /// The init section and segments a media playlist names, relative to the asset.
    static func mediaFiles(of playlist: Data, in rendition: String) throws -> [String] {
        let media = try MediaPlaylist(parsing: playlist)
        var names: [String] = []
        for uri in [media.map?.uri].compactMap({ $0 }) + media.segments.map(\.uri) where !names.contains(rendition + "/" + uri) {
            names.append(rendition + "/" + uri)
        }
        return names
    }

    @Test func oldPlayersKeepTheirBytesNewPlayersGetTheNewOnes() async throws {
        let scratch = try TemporaryDirectory(prefix: "edge")
        let library = scratch.appending("library")
        try await ReplacementTests.ingest(["h264-aac.mp4", "--segment-duration", "1"], into: library)
        let server = try await ServedReel(library: library, media: scratch.url)
        let proxy = try await CachingProxy(origin: server.port)
        let origin = "\(server.base)/hls/clip"
        let edge = "\(proxy.base)/hls/clip"
        let mediaPlaylist = LibraryLayout.mediaPlaylist(of: LibraryLayout.copyRendition)

        // A player through the edge: the playlists are cached there (MISS, then HIT).
        var playlists: [String: Data] = [:]
        for path in [LibraryLayout.master, mediaPlaylist] {
            let first = try await HTTP.fetch("\(edge)/\(path)")
            let second = try await HTTP.fetch("\(edge)/\(path)")
            #expect(first.status == 200 && first.cacheStatus == "MISS", "\(path): \(first.status) \(first.cacheStatus ?? "-")\n\(proxy.log)")
            #expect(second.status == 200 && second.cacheStatus == "HIT" && second.body == first.body, "\(path): \(second.cacheStatus ?? "-")")
            playlists[path] = first.body
        }
        let names = try Self.mediaFiles(of: try #require(playlists[mediaPlaylist]), in: LibraryLayout.copyRendition)
        #expect(names.count >= 4, "\(names)")
        var old: [String: Data] = [:]
        for path in names { old[path] = try await HTTP.fetch("\(origin)/\(path)").body }
        // It has played the first half: those files are cached at the edge; the rest are not yet.
        let played = Array(names.prefix(names.count / 2))
        for path in played {
            let first = try await HTTP.fetch("\(edge)/\(path)")
            let second = try await HTTP.fetch("\(edge)/\(path)")
            #expect(first.cacheStatus == "MISS" && second.cacheStatus == "HIT", "\(path): \(first.cacheStatus ?? "-"), \(second.cacheStatus ?? "-")")
            #expect(first.body == old[path] && second.body == old[path], "\(path)")
        }

        try await ReplacementTests.ingest(["hevc-aac.mp4", "--segment-duration", "1"], into: library, force: true)

        // (i) The edge still serves the old playlists (fresh for up to an hour), and every file
        // they name still answers with its old bytes: from the edge's cache, through the edge
        // from the origin (the half not played yet), and from the origin directly.
        for (path, body) in playlists {
            let cached = try await HTTP.fetch("\(edge)/\(path)")
            #expect(cached.status == 200 && cached.cacheStatus == "HIT" && cached.body == body, "\(path): \(cached.cacheStatus ?? "-")")
        }
        for path in names {
            let throughEdge = try await HTTP.fetch("\(edge)/\(path)")
            #expect(throughEdge.status == 200 && throughEdge.body == old[path], "\(path) through the edge: \(throughEdge.status)")
            #expect(throughEdge.cacheStatus == (played.contains(path) ? "HIT" : "MISS"), "\(path): \(throughEdge.cacheStatus ?? "-")")
            let direct = try await HTTP.fetch("\(origin)/\(path)")
            #expect(direct.status == 200 && direct.body == old[path] && direct.cacheControl == Fetched.immutable, "\(path) at the origin: \(direct.status)")
        }

        // (ii) The new playlist names new URLs: through the edge they give exactly the origin's
        // new bytes, never cached old ones.
        let fresh = try await HTTP.fetch("\(origin)/\(mediaPlaylist)")
        #expect(fresh.status == 200 && fresh.body != playlists[mediaPlaylist])
        let newNames = try Self.mediaFiles(of: fresh.body, in: LibraryLayout.copyRendition)
        #expect(!newNames.isEmpty && Set(newNames).isDisjoint(with: names), "\(newNames)")
        let oldBodies = Set(old.values)
        for path in newNames {
            let throughEdge = try await HTTP.fetch("\(edge)/\(path)")
            let direct = try await HTTP.fetch("\(origin)/\(path)")
            #expect(throughEdge.status == 200 && throughEdge.cacheStatus == "MISS", "\(path): \(throughEdge.status) \(throughEdge.cacheStatus ?? "-")")
            #expect(throughEdge.body == direct.body, "\(path): the edge's bytes are not the origin's")
            #expect(!oldBodies.contains(throughEdge.body), "\(path) has old bytes")
        }
        #expect(await proxy.stop() == 0, "\(proxy.log)")
        #expect(await server.stop() == 0)
    }
}
