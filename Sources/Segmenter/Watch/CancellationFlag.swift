import Synchronization

/// A flag one side raises and a blocking loop on another thread polls: how task
/// cancellation reaches `IngestPipeline.run(isCancelled:)`.
final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// True once `cancel()` was called.
    var isCancelled: Bool { raised.load(ordering: .relaxed) }

    func cancel() {
        raised.store(true, ordering: .relaxed)
    }
}
