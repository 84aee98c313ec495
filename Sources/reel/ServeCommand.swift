import ArgumentParser
import Foundation
import HLSServer
import Logging
import Segmenter
import ServiceLifecycle

/// `reel serve`: the HLS origin and range server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the library over HTTP (HLS playlists and segments) and media files with range requests."
    )

    @Option(help: "The library of HLS assets, served under /hls/.")
    var library = "./library"

    @Option(help: "Source files for direct playback, served under /media/.")
    var media = "./media"

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Option(
        help: ArgumentHelp(
            "Ingest video files that appear (complete) in DIR, one at a time, with the default options; a success moves the file into --media, a failure into DIR/failed/.",
            valueName: "DIR"
        )
    )
    var watch: String?

    @Option(
        help: ArgumentHelp(
            "Answer /hls/, /media/, the page and the API only with a signature made by `reel sign` with this secret (32 bytes or more, not readable by other users).",
            valueName: "FILE"
        )
    )
    var secretFile: String?

    @Option(help: "Log level: trace, debug, info (one access-log line per request), notice, warning, error.")
    var logLevel: String = ProcessInfo.processInfo.environment["REEL_LOG_LEVEL"] ?? "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: "reel")
        let signingSecret = try secretFile.map(SigningSecret.loadForCommand)
        let server: ReelServer
        do {
            let options = ServerOptions(host: host, port: port, library: library, media: media, signingSecret: signingSecret)
            server = try ReelServer(options: options, logger: logger)
        } catch {
            throw CommandFailure(message: error.description, status: 1)
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let watch {
            let folder: WatchFolder
            do {
                folder = try WatchFolder(directory: watch, library: library, media: media, logger: logger)
            } catch {
                if case .overlaps = error { throw CommandFailure.usage(error.description) }
                throw CommandFailure(message: error.description, status: 1)
            }
            // The watcher ending on its own (its directory was deleted) must not stop the server.
            services.append(.init(service: WatchFolderService(folder: folder), successTerminationBehavior: .ignore))
        }
        do {
            try await server.run(alongside: services) { channel in
                let address = channel.localAddress.map { "\($0.ipAddress ?? host):\($0.port ?? port)" } ?? "\(host):\(port)"
                StandardError.print("reel: serving \(library) and \(media) at http://\(address)/\(secretFile == nil ? "" : " (signed URLs only)")")
                if let watch { StandardError.print("reel: ingesting video files that appear in \(watch)") }
            }
        } catch {
            throw CommandFailure(message: "cannot serve on \(host):\(port) (\(Self.reason(error)))", status: 1)
        }
    }

    static func reason(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("EADDRINUSE") { return "address already in use" }
        return text
    }
}
