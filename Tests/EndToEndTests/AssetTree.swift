import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HLSPlaylist

/// A response with the headers the cache tests look at.
struct Fetched: Sendable {
    var status: Int
    var body: Data
    var cacheControl: String?
    /// `X-Cache-Status` from a caching proxy: MISS, HIT, ...
    var cacheStatus: String?

    static let immutable = "public, max-age=31536000, immutable"

    /// The `max-age` of its Cache-Control, if any.
    var maxAge: Double? {
        cacheControl?.split(separator: ",").lazy
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("max-age=") }
            .flatMap { Double($0.dropFirst("max-age=".count)) }
    }
}

extension HTTP {
    /// A GET with the response's caching headers.
    static func fetch(_ url: String) async throws -> Fetched {
        let (data, response) = try await session.data(from: URL(string: url)!)
        let http = response as? HTTPURLResponse
        return Fetched(
            status: http?.statusCode ?? 0, body: data,
            cacheControl: http?.value(forHTTPHeaderField: "Cache-Control"),
            cacheStatus: http?.value(forHTTPHeaderField: "X-Cache-Status")
        )
    }
}

/// Everything a player reaches from an asset's master playlist over HTTP, as paths relative to
/// the asset (`copy/seg-00000.m4s`): the playlists with their responses, and the media files
/// (init sections, segments, single-file media) they name.
struct AssetTree {
    var playlists: [String: Fetched] = [:]
    var mediaFiles: [String] = []

    /// Walks the tree below `base` (`http://host/hls/clip`), starting at its master playlist.
    static func walk(_ base: String) async throws -> AssetTree {
        var tree = AssetTree()
        let masterResponse = try await fetchPlaylist(base, LibraryLayout.master)
        tree.playlists[LibraryLayout.master] = masterResponse
        let master = try MultivariantPlaylist(parsing: masterResponse.body)
        let uris = master.variants.map(\.uri) + master.media.compactMap(\.uri) + master.iFrameStreams.map(\.uri)
        var seen: Set<String> = []
        for uri in uris where tree.playlists[uri] == nil {
            let response = try await fetchPlaylist(base, uri)
            tree.playlists[uri] = response
            let directory = uri.split(separator: "/").dropLast().map { $0 + "/" }.joined()
            let playlist = try MediaPlaylist(parsing: response.body)
            for name in [playlist.map?.uri].compactMap({ $0 }) + playlist.segments.map(\.uri) where seen.insert(directory + name).inserted {
                tree.mediaFiles.append(directory + name)
            }
        }
        return tree
    }

    private static func fetchPlaylist(_ base: String, _ path: String) async throws -> Fetched {
        let response = try await HTTP.fetch("\(base)/\(path)")
        guard response.status == 200 else { throw MissingValue(description: "\(base)/\(path): \(response.status)") }
        return response
    }
}
