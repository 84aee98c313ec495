import Foundation
import HLSPlaylist
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// Every request Reel answers: routing, CORS, access log and metrics around the handlers.
///
/// HTTP code never calls FFmpeg; it reads what the segmenter published.
struct ReelResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let library: ServedRoot
    let media: ServedRoot
    let logger: Logger
    let metrics = ServerMetrics()
    let files: FileResponder
    let catalog: AssetCatalog
    /// Durations of the media files, read once per version of each file.
    let mediaDurations = IdentityCache<Double?>()

    init(library: ServedRoot, media: ServedRoot, logger: Logger) {
        self.library = library
        self.media = media
        self.logger = logger
        files = FileResponder(reader: FileReader(threadPool: .singleton), resolver: FileResolver(cache: SmallFileCache()))
        catalog = AssetCatalog(library: library, cache: ManifestCache())
    }

    /// What the fast path (``FastFileHandler``) shares with this responder: the same roots,
    /// resolver (and so the same caches), catalog and metrics.
    var fastPath: FastFileHandler.Shared {
        .init(
            library: library, media: media, resolver: files.resolver, catalog: catalog, metrics: metrics,
            threadPool: files.reader.threadPool, logger: logger
        )
    }

    /// The routes, named for metrics and logs.
    enum Route: String {
        case page, pageFile = "static", health, metrics, api, hls, media, other
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        metrics.requestStarted()
        let path = request.uri.path
        let route = Self.route(path)
        var response: Response
        do {
            // A blocking reload waits here, before `handle`, so a parked request keeps as few
            // frames alive as it can (a thousand may wait at once).
            if route == .hls, request.method == .get || request.method == .head,
               let refusal = await holdBlockingReload(request, encodedPath: path.dropFirst("/hls/".count)) {
                response = refusal
            } else {
                response = try await handle(request, route: route, path: path)
            }
        } catch {
            logger.error("\(request.method) \(path): \(error)")
            response = Self.error(.internalServerError)
        }
        CrossOrigin.apply(to: &response.headers)
        let bytes = request.method == .head ? 0 : (response.body.contentLength ?? 0)
        let elapsed = ContinuousClock.now - started
        metrics.requestFinished(route: route.rawValue, status: response.status.code, bytes: bytes, duration: elapsed)
        // Paths are logged up to 256 characters: a request line may be 8 KiB.
        logger.info("\(request.method) \(path.count > 256 ? path.prefix(256) + "…" : path) \(response.status.code) \(bytes)B \(Self.milliseconds(elapsed))ms")
        return response
    }

    static func route(_ path: String) -> Route {
        if path == "/" { return .page }
        if path.hasPrefix("/static/") { return .pageFile }
        if path.hasPrefix("/hls/") { return .hls }
        if path.hasPrefix("/media/") { return .media }
        if path == "/api/assets" || path.hasPrefix("/api/assets/") || path == "/api/media" { return .api }
        if path == "/healthz" { return .health }
        if path == "/metrics" { return .metrics }
        return .other
    }

    private func handle(_ request: Request, route: Route, path: String) async throws -> Response {
        switch request.method {
        case .get, .head: break
        case .options: return CrossOrigin.preflight()
        default:
            var response = Self.error(.methodNotAllowed)
            response.headers[.allow] = "GET, HEAD, OPTIONS"
            return response
        }
        let isHead = request.method == .head
        switch route {
        case .hls:
            return try await files.respond(to: request, root: library, encodedPath: path.dropFirst("/hls/".count), policy: .library(catalog: catalog))
        case .media:
            return try await files.respond(to: request, root: media, encodedPath: path.dropFirst("/media/".count), policy: .media)
        case .api:
            return try await api(path: path, isHead: isHead)
        case .health:
            return Self.text("ok\n", contentType: "text/plain; charset=utf-8", isHead: isHead)
        case .metrics:
            let body = ByteBuffer(bytes: metrics.exposition())
            return Self.bytes(body, contentType: "text/plain; version=0.0.4; charset=utf-8", isHead: isHead)
        case .page:
            let (catalog, media, durations) = (self.catalog, self.media, mediaDurations)
            let selected = request.uri.queryParameters
            let html = try await NIOThreadPool.singleton.runIfActive {
                IndexPage(
                    assets: catalog.all(),
                    media: MediaFile.list(in: media, durations: durations),
                    selectedAsset: selected["asset"].map(String.init),
                    selectedMedia: selected["media"].map(String.init)
                ).html
            }
            return Self.text(html, contentType: "text/html; charset=utf-8", isHead: isHead)
        case .pageFile:
            guard let file = StaticAsset.named(path) else { return Self.error(.notFound) }
            return file.response(ifNoneMatch: request.headers.joined(.ifNoneMatch), isHead: isHead)
        case .other:
            return Self.error(.notFound)
        }
    }

    /// Parks a blocking playlist reload (`?_HLS_msn=N`) until its segment is published;
    /// returns the error response when it must not be served (400, 503), nil to serve it.
    private func holdBlockingReload(_ request: Request, encodedPath: Substring) async -> Response? {
        guard LibraryLayout.isPlaylist(encodedPath) else { return nil }
        let query = request.uri.queryParameters
        switch BlockingReload(msn: query["_HLS_msn"].map(String.init), part: query["_HLS_part"].map(String.init)) {
        case .none:
            return nil
        case .invalid:
            return Self.error(.badRequest)
        case .wait(let msn):
            guard let segments = RequestPath.segments(encodedPath), segments.count >= 2, AssetName.isValid(segments[0]) else { return nil }
            metrics.blockingReloadStarted()
            defer { metrics.blockingReloadFinished() }
            switch await PlaylistReloadMonitor.shared.wait(msn: msn, at: .init(root: library, segments: segments)) {
            case .serve: return nil
            case .tooFarAhead: return Self.error(.badRequest)
            case .abandoned, .timedOut, .shuttingDown: return Self.error(.serviceUnavailable)
            }
        }
    }

    /// `/api/assets`, `/api/assets/NAME` and `/api/media` (the page polls the first and last).
    private func api(path: String, isHead: Bool) async throws -> Response {
        let catalog = self.catalog
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if path == "/api/media" {
            let (media, durations) = (self.media, mediaDurations)
            let files = try await NIOThreadPool.singleton.runIfActive { MediaFile.list(in: media, durations: durations) }
            return Self.json(try encoder.encode(["media": files]), isHead: isHead)
        }
        if path == "/api/assets" || path == "/api/assets/" {
            let assets = try await NIOThreadPool.singleton.runIfActive { catalog.all() }
            return Self.json(try encoder.encode(["assets": assets]), isHead: isHead)
        }
        let encodedName = path.dropFirst("/api/assets/".count)
        guard let name = encodedName.removingPercentEncoding, AssetName.isValid(name),
              let asset = try await NIOThreadPool.singleton.runIfActive({ catalog.asset(named: name) }) else {
            return Self.error(.notFound)
        }
        return Self.json(try encoder.encode(asset), isHead: isHead)
    }

    // MARK: Response helpers

    static func text(_ text: String, contentType: String, isHead: Bool) -> Response {
        bytes(ByteBuffer(string: text), contentType: contentType, isHead: isHead)
    }

    static func json(_ data: Data, isHead: Bool) -> Response {
        bytes(ByteBuffer(bytes: data), contentType: "application/json", isHead: isHead)
    }

    /// A dynamic (non-file) response: never stored by caches without revalidation.
    static func bytes(_ buffer: ByteBuffer, contentType: String, isHead: Bool) -> Response {
        var headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-cache"]
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: .ok, headers: headers, body: isHead ? ResponseBody() : ResponseBody(byteBuffer: buffer))
    }

    /// An error response: a short text body and `no-store`, so no cache keeps it.
    static func error(_ status: HTTPResponse.Status) -> Response {
        let body = ByteBuffer(string: "\(status.code) \(status.reasonPhrase)\n")
        return Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store", .contentLength: String(body.readableBytes)],
            body: ResponseBody(byteBuffer: body)
        )
    }

    static func milliseconds(_ duration: Duration) -> String {
        let micros = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        return "\(micros / 1000).\(String(repeating: "0", count: 3 - String(micros % 1000).count))\(micros % 1000)"
    }
}
