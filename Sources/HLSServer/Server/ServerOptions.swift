import NIOCore

/// How `reel serve` was asked to run.
public struct ServerOptions: Sendable {
    public var host: String
    public var port: Int
    /// The library of HLS assets (served under /hls/).
    public var library: String
    /// Source files for direct playback (served under /media/).
    public var media: String
    /// A connection with no traffic for this long is closed.
    public var idleTimeout: TimeAmount
    /// A request head must arrive completely within this long of its first byte.
    public var headDeadline: TimeAmount
    /// With a secret (`--secret-file`), `/hls/`, `/media/`, the page and the API answer only
    /// requests signed with it (``SignedAccess``).
    public var signingSecret: SigningSecret?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, library: String = "./library", media: String = "./media",
        idleTimeout: TimeAmount = .seconds(60), headDeadline: TimeAmount = .seconds(60), signingSecret: SigningSecret? = nil
    ) {
        self.signingSecret = signingSecret
        self.host = host
        self.port = port
        self.library = library
        self.media = media
        self.idleTimeout = idleTimeout
        self.headDeadline = headDeadline
    }
}
