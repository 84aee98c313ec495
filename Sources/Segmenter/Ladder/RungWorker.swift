import Foundation

/// Runs one ``RungEncoding`` on a thread of its own, fed through a bounded queue: the rungs of
/// a ladder encode in parallel with each other and with decoding (libx264 adds threads of its
/// own inside each).
///
/// A failure stops the rung and is kept in its ``RenditionProgress``; the queue is abandoned
/// so the decoder, which checks, stops feeding it.
final class RungWorker: Sendable {
    let name: String
    let progress: RenditionProgress
    private let queue: WorkQueue<RungEncoding.Input>
    private let done = DispatchSemaphore(value: 0)

    /// Starts the thread; `encoding` belongs to it from now on.
    init(_ encoding: HandOff<RungEncoding>, progress: RenditionProgress, capacity: Int = 8) {
        name = encoding.value.name
        self.progress = progress
        let queue = WorkQueue<RungEncoding.Input>(capacity: capacity)
        self.queue = queue
        let done = done
        let thread = Thread {
            defer { done.signal() }
            Self.run(encoding.value, from: queue, progress: progress)
        }
        thread.name = "reel-rung-\(name)"
        thread.start()
    }

    private static func run(_ encoding: RungEncoding, from queue: WorkQueue<RungEncoding.Input>, progress: RenditionProgress) {
        do throws(IngestError) {
            while let input = queue.pop() {
                try encoding.handle(input)
            }
            if !queue.isAbandoned { try encoding.finish() }
        } catch {
            progress.fail(error)
            queue.abandon()
        }
    }

    /// Queues `input` (waiting while the queue is full); false when the rung has failed.
    func send(_ input: RungEncoding.Input) -> Bool {
        queue.push(HandOff(input))
    }

    /// No more input: waits until the rung has encoded what is queued and ended its last segment.
    func finish() {
        queue.finish()
        done.wait()
    }

    /// Stops the rung without finishing its rendition, and waits for its thread to end.
    func cancel() {
        queue.abandon()
        done.wait()
    }
}
