import NIOCore

/// Delays a full close until the bytes already written have left, so a response is never cut
/// short by its own connection's close.
///
/// Hummingbird closes a connection right after writing the last part of a response when the
/// client asked for `Connection: close` or the server is shutting down; a slow client still has
/// the tail of the body in the channel's outbound buffer then, and a plain close discards it.
/// This handler sits next to the socket, holds such a close until every pending write has
/// completed, and forces it after `linger` so a client that stops reading cannot hold the
/// connection open forever.
final class LingeringCloseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = Any
    typealias OutboundOut = Any

    private let linger: TimeAmount
    private var pendingWrites = 0
    private var heldClose: EventLoopPromise<Void>??
    private var forcedClose: Scheduled<Void>?

    init(linger: TimeAmount) {
        self.linger = linger
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        pendingWrites += 1
        let written = promise ?? context.eventLoop.makePromise()
        written.futureResult.assumeIsolated().whenComplete { _ in
            self.pendingWrites -= 1
            if self.pendingWrites == 0 { self.releaseClose(context: context) }
        }
        context.write(data, promise: written)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, pendingWrites > 0, heldClose == nil else {
            context.close(mode: mode, promise: promise)
            return
        }
        heldClose = .some(promise)
        context.flush()
        forcedClose = context.eventLoop.assumeIsolated().scheduleTask(in: linger) {
            self.releaseClose(context: context)
        }
    }

    private func releaseClose(context: ChannelHandlerContext) {
        guard let promise = heldClose else { return }
        heldClose = nil
        forcedClose?.cancel()
        forcedClose = nil
        context.close(mode: .all, promise: promise)
    }
}
