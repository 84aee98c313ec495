import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1.1 channel with Reel's handlers around its codec:
///
/// ```
/// socket ─ LingeringCloseHandler ─ RequestHeadLimiter ─ IdleStateHandler ─ FastFileHandler
///        ─ HTTP/1.1 encoder, decoder ─ ForwardedResponseObserver ─ Hummingbird
/// ```
///
/// ``FastFileHandler`` answers file requests from the raw bytes and hands the others, one at a
/// time, to the decoder and Hummingbird; the observer tells it when Hummingbird's response has
/// ended. The idle timeout is the fast path's (it sees every request): Hummingbird's own would
/// see only the requests it answers and close a busy connection.
struct ReelHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let inner: HTTP1Channel
    let headDeadline: TimeAmount
    let idleTimeout: TimeAmount
    let fastPath: FastFileHandler.Shared

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (headDeadline, idleTimeout, fastPath) = (self.headDeadline, self.idleTimeout, self.fastPath)
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(LingeringCloseHandler(linger: .seconds(30)))
            try channel.pipeline.syncOperations.addHandler(RequestHeadLimiter(headDeadline: headDeadline))
        }.flatMap {
            inner.setup(channel: channel, logger: logger)
        }.flatMapThrowing { value in
            // Reads are asked by the fast path (see FastFileHandler.channelReadComplete).
            try channel.syncOptions?.setOption(.autoRead, value: false)
            let pipeline = channel.pipeline.syncOperations
            let limiter = try pipeline.handler(type: RequestHeadLimiter.self)
            let fast = FastFileHandler(fastPath)
            try pipeline.addHandlers([IdleStateHandler(readTimeout: idleTimeout), fast], position: .after(limiter))
            let decoder = try pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let observer = ForwardedResponseObserver(fastPath: fast, context: try pipeline.context(handler: fast))
            try pipeline.addHandler(observer, position: .after(decoder.handler))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with Reel's request-head limits, its file fast path and an idle timeout.
    static func reelHTTP1(idleTimeout: TimeAmount, headDeadline: TimeAmount, fastPath: FastFileHandler.Shared) -> HTTPServerBuilder {
        .init { responder in
            ReelHTTP1Channel(
                inner: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: nil)),
                headDeadline: headDeadline, idleTimeout: idleTimeout, fastPath: fastPath
            )
        }
    }
}
