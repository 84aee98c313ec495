import Foundation

/// Runs blocking work (an ingest, a file copy) on a thread of its own, so it never occupies
/// a thread of Swift's cooperative pool, which the HTTP server needs.
enum DedicatedThread {
    /// Starts a new thread running `body` and suspends until it returns.
    static func run<Value: Sendable>(name: String, _ body: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: body())
            }
            thread.name = name
            thread.start()
        }
    }
}
