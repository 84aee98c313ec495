import Logging

/// What is recorded of every answered request, whichever path answered it: one log line at
/// info level and the request metrics (count and bytes by route and status, latency).
struct AccessLog: Sendable {
    let logger: Logger
    let metrics: ServerMetrics

    /// A request Hummingbird has begun: the in-flight gauge counts it until ``finished``.
    func started() -> ContinuousClock.Instant {
        metrics.requestStarted()
        return ContinuousClock.now
    }

    /// A request ``started`` has its response.
    func finished(_ started: ContinuousClock.Instant, route: Route, method: String, path: some StringProtocol, status: Int, bytes: Int) {
        let elapsed = ContinuousClock.now - started
        metrics.requestFinished(route: route.rawValue, status: status, bytes: bytes, duration: elapsed)
        log(method: method, path: path, status: status, bytes: bytes, elapsed: elapsed)
    }

    /// The line for one request. Paths are logged up to 256 characters: a request line may be
    /// 8 KiB.
    func log(method: String, path: some StringProtocol, status: Int, bytes: Int, elapsed: Duration) {
        logger.info("\(method) \(path.count > 256 ? path.prefix(256) + "…" : String(path)) \(status) \(bytes)B \(Self.milliseconds(elapsed))ms")
    }

    /// `elapsed` as milliseconds with three decimals.
    static func milliseconds(_ elapsed: Duration) -> String {
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        return "\(micros / 1000).\(String(repeating: "0", count: 3 - String(micros % 1000).count))\(micros % 1000)"
    }
}
