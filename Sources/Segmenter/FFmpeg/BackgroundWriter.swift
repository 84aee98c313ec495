import Foundation
import ReelCrypto

/// Writes a muxer's output (encrypting it first, for `--encrypt`) on a thread of its own, a few
/// buffers behind the muxer: while it encrypts and writes one buffer, the muxer fills the next.
/// On the 2-core machine that hides the `write(2)` copies and the AES work of an ingest behind
/// its demuxing and muxing.
///
/// The muxing thread ``submit(_:_:to:encryptor:)``s a buffer (copied: FFmpeg reuses its own) and
/// goes on; ``drain()`` waits until everything submitted is on its way to the file and reports
/// the first failure. At most ``depth`` buffers are in flight (1 MiB with FFmpeg's 256 KiB
/// buffer). Measured on the 322 MB input (`bench/ingest.sh`, medians of noisy runs): one buffer
/// in flight left the writer idle while the muxer filled the next and the muxer waiting while
/// the writer encrypted (encrypted fMP4 0.80 s); 4 gave 0.74; 16 and 32 were no faster
/// encrypted and made a clear TS ingest slower (0.27 s with 1, 0.4-0.55 with 16 or 32), the
/// extra megabytes of buffers passing through the caches.
///
/// Unchecked Sendable: the queue, the failure and the stop flag are guarded by `condition`; a
/// queued job's buffer and encryptor belong to the writer thread until the job is done, and
/// the submitting thread waits for that (``drain()``) before it touches an encryptor again.
final class BackgroundWriter: @unchecked Sendable {
    private struct Job {
        var descriptor: Int32
        var buffer: Int
        var count: Int
        var encryptor: AES128CBCEncryptor?
    }

    /// Buffers in flight at most.
    static let depth = 4

    private let condition = NSCondition()
    private let buffers: [UnsafeMutableRawPointer]
    private let scratch: UnsafeMutableRawPointer
    /// The most bytes one submit hands over.
    let capacity: Int
    /// Submitted, not yet written; the first is being written.
    private var queue: [Job] = []
    /// The buffer the next job takes: they are used in turn.
    private var nextBuffer = 0
    private var failure: FileSequenceError?
    private var stopping = false

    /// - Parameter capacity: the most bytes one ``submit(_:_:to:encryptor:)`` hands over.
    init(capacity: Int) {
        self.capacity = capacity
        buffers = (0..<Self.depth).map { _ in UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16) }
        scratch = UnsafeMutableRawPointer.allocate(byteCount: AES128CBCEncryptor.outputCapacity(forInput: capacity), alignment: 16)
        let thread = Thread { [self] in run() }
        thread.name = "reel-segment-writer"
        thread.start()
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
        scratch.deallocate()
    }

    /// Hands `count` bytes at `data` (at most ``capacity``) to the writer, for `descriptor`,
    /// encrypted by `encryptor` when given; waits only while ``depth`` buffers are in flight.
    /// Returns false when an earlier write failed (``drain()`` says how).
    func submit(_ data: UnsafeRawPointer, _ count: Int, to descriptor: Int32, encryptor: AES128CBCEncryptor?) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count == Self.depth { condition.wait() }
        guard failure == nil else { return false }
        // Jobs finish in order, so the buffer used depth jobs ago is free.
        buffers[nextBuffer].copyMemory(from: data, byteCount: count)
        queue.append(Job(descriptor: descriptor, buffer: nextBuffer, count: count, encryptor: encryptor))
        nextBuffer = (nextBuffer + 1) % Self.depth
        condition.broadcast()
        return true
    }

    /// Waits until every buffer submitted is written; throws the first failure since the last
    /// drain.
    func drain() throws(FileSequenceError) {
        condition.lock()
        while !queue.isEmpty { condition.wait() }
        let failed = failure
        failure = nil
        condition.unlock()
        if let failed { throw failed }
    }

    /// Ends the thread once the buffer in flight is written. The writer is spent.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            while queue.isEmpty && !stopping { condition.wait() }
            guard let current = queue.first else { break }
            // After a failure the rest is dropped: the ingest fails at its next flush.
            let failed = failure != nil
            condition.unlock()
            let error = failed ? nil : perform(current)
            condition.lock()
            if let error, failure == nil { failure = error }
            queue.removeFirst()
            condition.broadcast()
        }
        condition.unlock()
    }

    private func perform(_ job: Job) -> FileSequenceError? {
        let buffer = buffers[job.buffer]
        guard let encryptor = job.encryptor else { return Self.writeAll(job.descriptor, buffer, job.count) }
        do {
            let count = try encryptor.update(buffer, job.count, into: scratch)
            return Self.writeAll(job.descriptor, scratch, count)
        } catch {
            return FileSequenceError(code: EIO, detail: error.description)
        }
    }

    /// Writes all of `count` bytes at `bytes` to `descriptor`, retrying short writes.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> FileSequenceError? {
        var offset = 0
        while offset < count {
            let written = Glibc.write(descriptor, bytes + offset, count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return FileSequenceError(code: errno)
            }
            offset += written
        }
        return nil
    }
}
