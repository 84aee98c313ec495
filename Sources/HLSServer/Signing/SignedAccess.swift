/// Whether a request may be answered when `reel serve --secret-file` is on: the one decision
/// for both paths, the fast path (``FastFileHandler``) and Hummingbird's (``ReelResponder``).
/// Without a secret there is no `SignedAccess` at all, and no work per request.
///
/// `/hls/…` and `/media/…` need a signature that opens the request's path (decoded and
/// normalized as ``RequestPath`` does for the file it serves); the page (`/`) and the API need
/// one whose scope is `/`, which opens everything. Health, metrics, the page's static files
/// and preflights stay open: they say nothing about the library. A refusal is counted by its
/// reason (`reel_http_signature_rejections_total`) and answered 403, `no-store`.
struct SignedAccess: Sendable {
    let secret: SigningSecret
    let metrics: ServerMetrics

    enum Decision: Sendable {
        /// Answer, and carry the signature into what the response names (playlist URIs, the
        /// API's URLs, the page's links).
        case signed(URLSignature)
        /// 403.
        case refused(URLSignature.Rejection)
    }

    /// Whether `route` needs a signature: nil when it does not.
    ///
    /// - Parameters:
    ///   - rest: the path after the route's prefix, still percent-encoded.
    ///   - query: the query as sent, without `?`.
    ///   - now: unix seconds.
    func decide(route: Route, rest: Substring, query: Substring?, now: Int64) -> Decision? {
        let path: String
        switch route {
        case .hls, .media:
            // A path that does not normalize is answered 404 by the file code whatever the
            // signature; its raw form is as good as any for the check.
            let prefix = route == .hls ? Route.libraryPrefix : Route.mediaPrefix
            path = prefix + (RequestPath.relative(rest) ?? String(rest))
        case .api, .page:
            path = "/"
        case .pageFile, .health, .metrics, .other:
            return nil
        }
        let decision = Self.decide(path: path, query: query, secret: secret.bytes, now: now)
        if case .refused(let reason) = decision { metrics.signatureRejected(reason) }
        return decision
    }

    /// The decision for a request of `path` (decoded, with its route's prefix; `/` for the
    /// page and the API, which only the scope `/` opens) carrying `query`. Pure.
    static func decide(path: String, query: Substring?, secret: [UInt8], now: Int64) -> Decision {
        switch URLSignature.parse(query: query) {
        case .failure(let reason):
            return .refused(reason)
        case .success(let signature):
            if let reason = signature.rejection(opening: path, secret: secret, now: now) { return .refused(reason) }
            return .signed(signature)
        }
    }
}
