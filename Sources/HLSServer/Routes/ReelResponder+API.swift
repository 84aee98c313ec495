import Foundation
import HLSPlaylist
import Hummingbird
import NIOPosix

extension ReelResponder {
    /// `/api/assets`, `/api/assets/NAME` and `/api/media` (the page polls the first and last).
    /// Listing reads directories and manifests: on the thread pool.
    /// With `signedQuery` (a signed server), the URLs in the answer carry the request's signature.
    func api(path: String, isHead: Bool, signedQuery: String?) async throws -> Response {
        let catalog = self.catalog
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if path == "/api/media" {
            let (media, durations) = (self.media, mediaDurations)
            let files = try await NIOThreadPool.singleton.runIfActive { MediaFile.list(in: media, durations: durations) }.map { $0.carrying(signedQuery) }
            return ReelResponse.json(try encoder.encode(["media": files]), isHead: isHead)
        }
        if path == "/api/assets" || path == "/api/assets/" {
            let assets = try await NIOThreadPool.singleton.runIfActive { catalog.all() }.map { $0.carrying(signedQuery) }
            return ReelResponse.json(try encoder.encode(["assets": assets]), isHead: isHead)
        }
        let encodedName = path.dropFirst("/api/assets/".count)
        guard let name = encodedName.removingPercentEncoding, AssetName.isValid(name),
              let asset = try await NIOThreadPool.singleton.runIfActive({ catalog.asset(named: name) }) else {
            return ReelResponse.error(.notFound)
        }
        return ReelResponse.json(try encoder.encode(asset.carrying(signedQuery)), isHead: isHead)
    }
}
