import Segmenter
import ServiceLifecycle

/// `--watch` as a service next to the HTTP server: graceful shutdown (SIGINT/SIGTERM) cancels
/// the watch folder, which stops a running ingest and leaves its file in place.
struct WatchFolderService: Service, CustomStringConvertible {
    let folder: WatchFolder

    var description: String { "WatchFolder(\(folder.directory.path))" }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await folder.run()
        }
    }
}
