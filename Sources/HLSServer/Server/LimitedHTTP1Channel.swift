import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 channel with a `RequestHeadLimiter` in front of its decoder and a
/// `LingeringCloseHandler` next to the socket.
struct LimitedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let inner: HTTP1Channel
    let headDeadline: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let headDeadline = self.headDeadline
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(LingeringCloseHandler(linger: .seconds(30)))
            try channel.pipeline.syncOperations.addHandler(RequestHeadLimiter(headDeadline: headDeadline))
        }.flatMap {
            inner.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with Reel's request-head limits and an idle timeout.
    static func limitedHTTP1(idleTimeout: TimeAmount, headDeadline: TimeAmount) -> HTTPServerBuilder {
        .init { responder in
            LimitedHTTP1Channel(
                inner: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: idleTimeout)),
                headDeadline: headDeadline
            )
        }
    }
}
