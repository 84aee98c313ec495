/// Where a request goes, decided by its path alone: each route owns its prefix (or its exact
/// path), and handlers receive the path with the prefix removed.
enum Route: String, Sendable, CaseIterable {
    /// `/`: the page.
    case page
    /// `/static/…`: the page's stylesheet, script and icon.
    case pageFile = "static"
    /// `/healthz`.
    case health
    /// `/metrics`: Prometheus text.
    case metrics
    /// `/api/assets`, `/api/assets/NAME`, `/api/media`.
    case api
    /// `/hls/…`: the library (playlists, segments).
    case hls
    /// `/media/…`: the source files, for direct playback.
    case media
    /// Anything else: 404.
    case other

    /// How a route matches a path.
    enum Match: Sendable {
        /// The path is exactly this.
        case exact(String)
        /// The path starts with this; the rest is the route's own.
        case prefix(String)
    }

    /// The paths of the route, tried in order; `other` has none.
    var matches: [Match] {
        switch self {
        case .page: [.exact("/")]
        case .pageFile: [.prefix("/static/")]
        case .health: [.exact("/healthz")]
        case .metrics: [.exact("/metrics")]
        case .api: [.exact("/api/assets"), .prefix("/api/assets/"), .exact("/api/media")]
        case .hls: [.prefix(Self.libraryPrefix)]
        case .media: [.prefix(Self.mediaPrefix)]
        case .other: []
        }
    }

    /// The library's URL prefix, which the fast path matches on raw bytes too.
    static let libraryPrefix = "/hls/"
    /// The source files' URL prefix.
    static let mediaPrefix = "/media/"

    /// The route of `path` (the request target without its query).
    init(path: some StringProtocol) {
        self = Self.routed(path)?.route ?? .other
    }

    /// The route of `path` and what follows its prefix (the whole path for an exact match);
    /// nil for `other`.
    static func routed<Path: StringProtocol>(_ path: Path) -> (route: Route, rest: Path.SubSequence)? {
        for route in allCases {
            for match in route.matches {
                switch match {
                case .exact(let exact) where path == exact:
                    return (route, path[...])
                case .prefix(let prefix) where path.hasPrefix(prefix):
                    return (route, path.dropFirst(prefix.count))
                default:
                    continue
                }
            }
        }
        return nil
    }

    /// For the fast path, on the path's bytes: library (true) or media (false) when `path`
    /// names a file under `/hls/` or `/media/`, with the rest of the path after the prefix.
    static func file(_ path: Substring) -> (isLibrary: Bool, encodedPath: Substring)? {
        if path.utf8.starts(with: libraryPrefix.utf8) { return (true, path.dropFirst(libraryPrefix.utf8.count)) }
        if path.utf8.starts(with: mediaPrefix.utf8) { return (false, path.dropFirst(mediaPrefix.utf8.count)) }
        return nil
    }
}
