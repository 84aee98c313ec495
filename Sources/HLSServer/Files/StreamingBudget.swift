import Synchronization

/// Bounds the memory that bodies streamed from disk hold in read buffers: a fixed budget is
/// shared among the bodies in flight, so each gets large chunks when few stream and small ones
/// when thousands do. Memory stays flat however many clients download large files.
final class StreamingBudget: Sendable {
    /// Total bytes of read buffers to aim for.
    let totalBytes: Int
    let minimumChunk: Int
    let maximumChunk: Int
    private let active = Atomic<Int>(0)

    init(totalBytes: Int = 32 << 20, minimumChunk: Int = 16 << 10, maximumChunk: Int = 1 << 20) {
        self.totalBytes = totalBytes
        self.minimumChunk = minimumChunk
        self.maximumChunk = maximumChunk
    }

    func begin() -> Int {
        active.wrappingAdd(1, ordering: .relaxed).newValue
    }

    func end(_: Int) {
        active.wrappingSubtract(1, ordering: .relaxed)
    }

    /// The chunk size for the next read, given the bodies streaming now.
    var chunkSize: Int {
        let streams = max(1, active.load(ordering: .relaxed))
        return min(maximumChunk, max(minimumChunk, totalBytes / streams))
    }
}
