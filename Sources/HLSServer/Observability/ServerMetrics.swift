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
    private let counters = Mutex<[String: (requests: CoreMetrics.Counter, bytes: CoreMetrics.Counter, latency: CoreMetrics.Timer)]>([:])

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100),
            .milliseconds(500), .seconds(1), .seconds(5), .seconds(30),
        ]
        self.factory = factory
        inFlight = CoreMetrics.Meter(label: "reel_http_requests_in_flight", factory: factory)
        blockedReloads = CoreMetrics.Meter(label: "reel_hls_blocking_reloads_waiting", factory: factory)
    }

    func requestStarted() { inFlight.increment() }

    /// A playlist request began waiting for its segment (`_HLS_msn`).
    func blockingReloadStarted() { blockedReloads.increment() }

    func blockingReloadFinished() { blockedReloads.decrement() }

    func requestFinished(route: String, status: Int, bytes: Int, duration: Duration) {
        inFlight.decrement()
        let key = "\(route) \(status)"
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
        metrics.requests.increment()
        if bytes > 0 { metrics.bytes.increment(by: bytes) }
        metrics.latency.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// The Prometheus text exposition of everything recorded.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
