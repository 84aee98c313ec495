import Foundation
import HLSPlaylist
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The requests that reach Hummingbird: the page, the API, metrics, health, preflights,
/// blocking playlist reloads, and file requests the fast path (``FastFileHandler``) handed on.
/// Each ``Route`` has its handler (`ReelResponder+Files`, `+API`, `+Page`); around them, CORS
/// (``CrossOrigin``) and the access log and metrics (``AccessLog``).
///
/// HTTP code never calls FFmpeg; it reads what the segmenter published.
struct ReelResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let library: ServedRoot
    let media: ServedRoot
    let metrics = ServerMetrics()
    let accessLog: AccessLog
    let files: FileResponder
    let catalog: AssetCatalog
    /// Durations of the media files, read once per version of each file.
    let mediaDurations = IdentityCache<Double?>()
    /// With `reel serve --secret-file`: what needs a signature, for both paths; nil otherwise.
    let access: SignedAccess?

    init(library: ServedRoot, media: ServedRoot, signingSecret: SigningSecret? = nil, logger: Logger) {
        self.library = library
        self.media = media
        let metrics = self.metrics
        access = signingSecret.map { SignedAccess(secret: $0, metrics: metrics) }
        accessLog = AccessLog(logger: logger, metrics: metrics)
        files = FileResponder(reader: FileReader(threadPool: .singleton), resolver: FileResolver(cache: SmallFileCache()))
        catalog = AssetCatalog(library: library, cache: ManifestCache())
    }

    /// What the fast path shares with this responder: the same roots, resolver (and so the
    /// same caches), catalog, metrics and log.
    var fastPath: FastFileHandler.Shared {
        .init(
            library: library, media: media, resolver: files.resolver, catalog: catalog, accessLog: accessLog, threadPool: files.reader.threadPool,
            access: access
        )
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = accessLog.started()
        let path = request.uri.path
        let (route, rest) = Route.routed(path) ?? (.other, path[...])
        var response: Response
        do {
            response = try await respond(to: request, route: route, rest: rest)
        } catch {
            accessLog.logger.error("\(request.method) \(path): \(error)")
            response = ReelResponse.error(.internalServerError)
        }
        CrossOrigin.apply(to: &response.headers)
        let bytes = request.method == .head ? 0 : (response.body.contentLength ?? 0)
        accessLog.finished(started, route: route, method: request.method.rawValue, path: path, status: response.status.code, bytes: bytes)
        return response
    }

    /// The route's handler; `rest` is the path after the route's prefix.
    private func respond(to request: Request, route: Route, rest: Substring) async throws -> Response {
        switch request.method {
        case .get, .head: break
        case .options: return CrossOrigin.preflight()
        default: return ReelResponse.methodNotAllowed
        }
        let isHead = request.method == .head
        var signature: URLSignature?
        if let access, let decision = access.decide(route: route, rest: rest, query: request.uri.query?[...], now: Int64(Date().timeIntervalSince1970)) {
            guard case .signed(let granted) = decision else { return ReelResponse.error(.forbidden, isHead: isHead) }
            signature = granted
        }
        switch route {
        case .hls: return try await libraryFile(request, encodedPath: rest, signature: signature)
        case .media: return try await files.respond(to: request, root: media, encodedPath: rest, policy: .media, signature: signature)
        case .api: return try await api(path: request.uri.path, isHead: isHead, signedQuery: signature?.query)
        case .page: return try await page(query: request.uri.queryParameters, isHead: isHead, signedQuery: signature?.query)
        case .pageFile: return StaticAsset.named(request.uri.path)?.response(ifNoneMatch: request.headers.joined(.ifNoneMatch), isHead: isHead) ?? ReelResponse.error(.notFound)
        case .health: return ReelResponse.text("ok\n", contentType: "text/plain; charset=utf-8", isHead: isHead)
        case .metrics: return ReelResponse.bytes(ByteBuffer(bytes: metrics.exposition()), contentType: "text/plain; version=0.0.4; charset=utf-8", isHead: isHead)
        case .other: return ReelResponse.error(.notFound)
        }
    }
}
