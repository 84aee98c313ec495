import Foundation
import ReelCrypto

/// Writes a muxer's output (encrypting it first, for `--encrypt`) on threads of its own, a few
/// buffers behind the muxer: while one thread encrypts a buffer and another writes the one
/// before, the muxer fills the next. On the 2-core machine that spreads an ingest's demuxing
/// and muxing, its AES work and its `write(2)` copies over both cores.
///
/// The muxing thread ``submit(_:_:to:encryptor:)``s a buffer (copied: FFmpeg reuses its own) and
/// goes on; ``drain()`` waits until everything submitted is on its way to the file and reports
/// the first failure. At most ``depth`` buffers are in flight (1 MiB with FFmpeg's 256 KiB
/// buffer). Measured on the 322 MB input (`bench/ingest.sh`, medians of noisy runs): one buffer
/// in flight left the writer idle while the muxer filled the next and the muxer waiting while
/// the writer encrypted; 4 was faster; 16 and 32 were no faster encrypted and made a clear TS
/// ingest slower, the extra megabytes of buffers passing through the caches. Encrypting and
/// writing on one thread made that thread the ingest's bottleneck (AES-CBC is serial within a
/// segment, about 1.4 GB/s on one core here): an encrypted ingest took 0.38-0.40 s; with the
/// two stages on two threads, 0.33-0.38 s.
///
/// Unchecked Sendable: the queue, the failure and the stop flag are guarded by `condition`; a
/// queued job's buffers and encryptor belong to the writer's threads until the job is done, and
/// the submitting thread waits for that (``drain()``) before it touches an encryptor again.
final class BackgroundWriter: @unchecked Sendable {
    private struct Job {
        var descriptor: Int32
        var slot: Int
        var count: Int
        var encryptor: AES128CBCEncryptor?
        /// True once the job can be written: at once for clear bytes, after encryption else.
        var ready: Bool
        /// Bytes of ciphertext in the slot's cipher buffer, once encrypted.
        var encrypted = 0
        var failure: FileSequenceError?
    }

    /// Buffers in flight at most.
    static let depth = 4

    private let condition = NSCondition()
    /// Per slot: the clear bytes submitted, and their ciphertext.
    private let buffers: [UnsafeMutableRawPointer]
    private let ciphers: [UnsafeMutableRawPointer]
    /// The most bytes one submit hands over.
    let capacity: Int
    /// Submitted, not yet written, in order; the first is being written when ready.
    private var queue: [Job] = []
    /// The slot the next job takes: they are used in turn.
    private var nextSlot = 0
    private var failure: FileSequenceError?
    private var stopping = false

    /// - Parameter capacity: the most bytes one ``submit(_:_:to:encryptor:)`` hands over.
    init(capacity: Int) {
        self.capacity = capacity
        buffers = (0..<Self.depth).map { _ in UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16) }
        let cipherCapacity = AES128CBCEncryptor.outputCapacity(forInput: capacity)
        ciphers = (0..<Self.depth).map { _ in UnsafeMutableRawPointer.allocate(byteCount: cipherCapacity, alignment: 16) }
        for (name, body) in [("reel-segment-writer", runWriting), ("reel-segment-encrypter", runEncrypting)] {
            let thread = Thread { body() }
            thread.name = name
            thread.start()
        }
    }

    deinit {
        for buffer in buffers + ciphers { buffer.deallocate() }
    }

    /// Hands `count` bytes at `data` (at most ``capacity``) to the writer, for `descriptor`,
    /// encrypted by `encryptor` when given; waits only while ``depth`` buffers are in flight.
    /// Returns false when an earlier write failed (``drain()`` says how).
    func submit(_ data: UnsafeRawPointer, _ count: Int, to descriptor: Int32, encryptor: AES128CBCEncryptor?) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count == Self.depth { condition.wait() }
        guard failure == nil else { return false }
        // Jobs finish in order, so the slot used depth jobs ago is free.
        buffers[nextSlot].copyMemory(from: data, byteCount: count)
        queue.append(Job(descriptor: descriptor, slot: nextSlot, count: count, encryptor: encryptor, ready: encryptor == nil))
        nextSlot = (nextSlot + 1) % Self.depth
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

    /// Ends the threads once the buffers in flight are written. The writer is spent.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// The encrypting thread: takes the jobs in order (one encryption chains through them).
    private func runEncrypting() {
        condition.lock()
        while true {
            var next = queue.firstIndex { !$0.ready }
            while next == nil && !stopping {
                condition.wait()
                next = queue.firstIndex { !$0.ready }
            }
            guard let index = next, let encryptor = queue[index].encryptor else { break }
            let job = queue[index]
            condition.unlock()
            var encrypted = 0
            var failure: FileSequenceError?
            do {
                encrypted = try encryptor.update(buffers[job.slot], job.count, into: ciphers[job.slot])
            } catch {
                failure = FileSequenceError(code: EIO, detail: error.description)
            }
            condition.lock()
            // Only this thread marks jobs ready and the writing thread removes only ready ones:
            // the job is still the first one waiting.
            if let index = queue.firstIndex(where: { !$0.ready }) {
                queue[index].ready = true
                queue[index].encrypted = encrypted
                queue[index].failure = failure
            }
            condition.broadcast()
        }
        condition.unlock()
    }

    /// The writing thread: writes the first job once it is ready.
    private func runWriting() {
        condition.lock()
        while true {
            while queue.first?.ready != true && !(queue.isEmpty && stopping) { condition.wait() }
            guard let current = queue.first else { break }
            // After a failure the rest is dropped: the ingest fails at its next flush.
            let failed = failure != nil || current.failure != nil
            condition.unlock()
            let error = failed ? current.failure : write(current)
            condition.lock()
            if let error, failure == nil { failure = error }
            queue.removeFirst()
            condition.broadcast()
        }
        condition.unlock()
    }

    private func write(_ job: Job) -> FileSequenceError? {
        job.encryptor == nil
            ? Self.writeAll(job.descriptor, buffers[job.slot], job.count)
            : Self.writeAll(job.descriptor, ciphers[job.slot], job.encrypted)
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
