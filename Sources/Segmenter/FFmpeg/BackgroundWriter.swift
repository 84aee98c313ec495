import Foundation
import ReelCrypto

/// Writes a muxer's output (encrypting it first, for `--encrypt`) on a thread of its own, one
/// buffer behind the muxer: while it encrypts and writes one buffer, the muxer fills the next.
/// On the 2-core machine that hides the `write(2)` copies and the AES work of an ingest behind
/// its demuxing and muxing.
///
/// The muxing thread ``submit(_:_:to:encryptor:)``s a buffer (copied: FFmpeg reuses its own) and
/// goes on; ``drain()`` waits until everything submitted is on its way to the file and reports
/// the first failure. One buffer is in flight at most, so memory stays at one buffer.
///
/// Unchecked Sendable: the job, the failure and the stop flag are guarded by `condition`; the
/// buffers and a submitted encryptor belong to the writer thread from `submit` until the job is
/// done, and the submitting thread waits for that before it touches them again.
final class BackgroundWriter: @unchecked Sendable {
    private struct Job {
        var descriptor: Int32
        var count: Int
        var encryptor: AES128CBCEncryptor?
    }

    private let condition = NSCondition()
    private let buffer: UnsafeMutableRawPointer
    private let scratch: UnsafeMutableRawPointer
    /// The most bytes one submit hands over.
    let capacity: Int
    private var job: Job?
    private var failure: FileSequenceError?
    private var stopping = false

    /// - Parameter capacity: the most bytes one ``submit(_:_:to:encryptor:)`` hands over.
    init(capacity: Int) {
        self.capacity = capacity
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        scratch = UnsafeMutableRawPointer.allocate(byteCount: AES128CBCEncryptor.outputCapacity(forInput: capacity), alignment: 16)
        let thread = Thread { [self] in run() }
        thread.name = "reel-segment-writer"
        thread.start()
    }

    deinit {
        buffer.deallocate()
        scratch.deallocate()
    }

    /// Hands `count` bytes at `data` (at most ``capacity``) to the writer, for `descriptor`,
    /// encrypted by `encryptor` when given; waits only for the previous buffer to be done.
    /// Returns false when an earlier write failed (``drain()`` says how).
    func submit(_ data: UnsafeRawPointer, _ count: Int, to descriptor: Int32, encryptor: AES128CBCEncryptor?) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while job != nil { condition.wait() }
        guard failure == nil else { return false }
        buffer.copyMemory(from: data, byteCount: count)
        job = Job(descriptor: descriptor, count: count, encryptor: encryptor)
        condition.broadcast()
        return true
    }

    /// Waits until every buffer submitted is written; throws the first failure since the last
    /// drain.
    func drain() throws(FileSequenceError) {
        condition.lock()
        while job != nil { condition.wait() }
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
            while job == nil && !stopping { condition.wait() }
            guard let current = job else { break }
            condition.unlock()
            let error = perform(current)
            condition.lock()
            if let error, failure == nil { failure = error }
            job = nil
            condition.broadcast()
        }
        condition.unlock()
    }

    private func perform(_ job: Job) -> FileSequenceError? {
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
