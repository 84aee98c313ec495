import CoreMetrics
import Foundation
import Metrics
import Prometheus
import Synchronization

/// Request metrics through swift-metrics, backed by a Prometheus registry this server owns
/// (no process-wide bootstrap, so several servers can run in one process, as tests do).
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let inFlight: CoreMetrics.Meter
    private let blockedReloads: CoreMetrics.Meter
    /// Responses the fast path (``FastFileHandler``) wrote, without Hummingbird: of the
    /// `reel_http_requests_total` of routes `hls` and `media`, how many took it.
    let fastPathResponses: CoreMetrics.Counter
    /// Of those, the file responses whose head went straight to the socket (``ChannelSocket``),
    /// and their body by `sendfile` as far as the socket took it.
    let directFileResponses: CoreMetrics.Counter
    /// Requests refused for their signature (`reel serve --secret-file`), by reason.
    private let signatureRejections: [URLSignature.Rejection: CoreMetrics.Counter]
    private struct Key: Hashable {
        var route: String
        var status: Int
    }

    private let counters = Mutex<[Key: (requests: CoreMetrics.Counter, bytes: CoreMetrics.Counter, latency: CoreMetrics.Timer)]>([:])

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100),
            .milliseconds(500), .seconds(1), .seconds(5), .seconds(30),
        ]
        self.factory = factory
        inFlight = CoreMetrics.Meter(label: "reel_http_requests_in_flight", factory: factory)
        blockedReloads = CoreMetrics.Meter(label: "reel_hls_blocking_reloads_waiting", factory: factory)
        fastPathResponses = CoreMetrics.Counter(label: "reel_http_fast_path_responses_total", dimensions: [], factory: factory)
        directFileResponses = CoreMetrics.Counter(label: "reel_http_direct_file_responses_total", dimensions: [], factory: factory)
        signatureRejections = Dictionary(uniqueKeysWithValues: URLSignature.Rejection.allCases.map {
            ($0, CoreMetrics.Counter(label: "reel_http_signature_rejections_total", dimensions: [("reason", $0.rawValue)], factory: factory))
        })
    }

    func requestStarted() { inFlight.increment() }

    /// A playlist request began waiting for its segment (`_HLS_msn`).
    func blockingReloadStarted() { blockedReloads.increment() }

    func blockingReloadFinished() { blockedReloads.decrement() }

    /// A request was answered 403 for its signature.
    func signatureRejected(_ reason: URLSignature.Rejection) { signatureRejections[reason]?.increment() }

    func requestFinished(route: String, status: Int, bytes: Int, duration: Duration) {
        inFlight.decrement()
        requestAnswered(route: route, status: status, bytes: bytes, duration: duration)
    }

    /// The metrics of one route and status, to record into without a lookup each time.
    struct Handles: Sendable {
        fileprivate let requests: CoreMetrics.Counter
        fileprivate let bytes: CoreMetrics.Counter
        fileprivate let latency: CoreMetrics.Timer

        /// A request answered at once (the fast path's): counted, with no in-flight gauge to move.
        func record(bytes count: Int, duration: Duration) {
            requests.increment()
            if count > 0 { bytes.increment(by: count) }
            latency.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        }
    }

    func handles(route: String, status: Int) -> Handles {
        let metrics = counterSet(route: route, status: status)
        return Handles(requests: metrics.requests, bytes: metrics.bytes, latency: metrics.latency)
    }

    /// A request answered at once: counted, with no in-flight gauge to move.
    func requestAnswered(route: String, status: Int, bytes: Int, duration: Duration) {
        handles(route: route, status: status).record(bytes: bytes, duration: duration)
    }

    private func counterSet(route: String, status: Int) -> (requests: CoreMetrics.Counter, bytes: CoreMetrics.Counter, latency: CoreMetrics.Timer) {
        let key = Key(route: route, status: status)
        let metrics = counters.withLock { cache in
            if let existing = cache[key] { return existing }
            let created = (
                requests: CoreMetrics.Counter(label: "reel_http_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory),
                bytes: CoreMetrics.Counter(label: "reel_http_response_bytes_total", dimensions: [("route", route)], factory: factory),
                latency: CoreMetrics.Timer(label: "reel_http_request_duration_seconds", dimensions: [("route", route)], preferredDisplayUnit: .seconds, factory: factory)
            )
            cache[key] = created
            return created
        }
        return metrics
    }

    /// The Prometheus text exposition of everything recorded.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
