import Hummingbird
import NIOPosix

extension ReelResponder {
    /// The page, with the asset or media file the query selects; built on the thread pool
    /// (it lists the library and the media directory).
    func page(query: Parameters, isHead: Bool, signedQuery: String?) async throws -> Response {
        let (catalog, media, durations) = (self.catalog, self.media, mediaDurations)
        let selectedAsset = query["asset"].map(String.init)
        let selectedMedia = query["media"].map(String.init)
        let html = try await NIOThreadPool.singleton.runIfActive {
            IndexPage(
                assets: catalog.all().map { $0.carrying(signedQuery) },
                media: MediaFile.list(in: media, durations: durations).map { $0.carrying(signedQuery) },
                selectedAsset: selectedAsset,
                selectedMedia: selectedMedia,
                signedQuery: signedQuery
            ).html
        }
        return ReelResponse.text(html, contentType: "text/html; charset=utf-8", isHead: isHead)
    }
}
