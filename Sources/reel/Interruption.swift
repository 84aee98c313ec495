import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a flag a long-running command polls, so it can stop cleanly
/// (remove what it staged) instead of dying mid-write.
final class Interruption: Sendable {
    private let flag = Atomic<Bool>(false)
    // DispatchSource objects are thread-safe; kept so the sources live as long as this watcher.
    nonisolated(unsafe) private var sources: [any DispatchSourceSignal] = []

    /// True once either signal has arrived.
    var happened: Bool { flag.load(ordering: .relaxed) }

    private init() {}

    /// Starts watching; the default actions (terminate) are replaced for the process's life.
    static func watch() -> Interruption {
        let interruption = Interruption()
        interruption.sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { interruption.flag.store(true, ordering: .relaxed) }
            source.resume()
            return source
        }
        return interruption
    }
}
