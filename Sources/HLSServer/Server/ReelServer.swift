import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The HTTP server: Reel's responder on Hummingbird's HTTP/1.1 server, with graceful
/// shutdown on SIGINT/SIGTERM through ServiceLifecycle (stop accepting, finish in-flight
/// responses, return).
public struct ReelServer: Sendable {
    public let options: ServerOptions
    let responder: ReelResponder
    let logger: Logger

    /// Checks both roots exist before anything binds.
    public init(options: ServerOptions, logger: Logger) throws(ServedRoot.Unavailable) {
        self.options = options
        self.logger = logger
        responder = ReelResponder(
            library: try ServedRoot(path: options.library),
            media: try ServedRoot(path: options.media),
            signingSecret: options.signingSecret,
            logger: logger
        )
    }

    /// The Hummingbird application, for running or for HummingbirdTesting.
    public func makeApplication(onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            responder: responder,
            server: .reelHTTP1(idleTimeout: options.idleTimeout, headDeadline: options.headDeadline, fastPath: responder.fastPath),
            // A deep accept queue: a burst of a thousand players connecting at once must not be refused.
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: nil, backlog: 4096),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }

    /// Serves until SIGINT or SIGTERM, then drains in-flight responses and returns.
    ///
    /// - Parameter services: run next to the server in one service group (a watch folder, say).
    ///   On SIGINT/SIGTERM they are shut down first, in reverse order, then the server.
    public func run(
        alongside services: [ServiceGroupConfiguration.ServiceConfiguration] = [],
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) async throws {
        let application = makeApplication(onServerRunning: onServerRunning)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: application)] + services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
