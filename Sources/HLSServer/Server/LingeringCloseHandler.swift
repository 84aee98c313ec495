import NIOCore

/// Delays a full close until the bytes already written have left, so a response is never cut
/// short by its own connection's close.
///
/// A connection is closed right after the last part of a response is written when the client
/// asked for `Connection: close` or the server is shutting down; a slow client still has the
/// tail of the body in the channel's outbound buffer then, and a plain close discards it. This
/// handler sits next to the socket and turns such a close into an empty write and a flush: writes
/// complete in order, so when the empty one has, every byte before it has gone, and the close
/// follows. It forces the close after `linger`, so a client that stops reading cannot hold the
/// connection open forever. Writes themselves pass through untouched: no bookkeeping per write.
final class LingeringCloseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = Any
    typealias OutboundOut = Any

    private let linger: TimeAmount
    private var heldClose: EventLoopPromise<Void>??
    private var forcedClose: Scheduled<Void>?

    init(linger: TimeAmount) {
        self.linger = linger
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, context.channel.isActive else {
            context.close(mode: mode, promise: promise)
            return
        }
        guard heldClose == nil else {
            // Already closing: this close completes when the channel does.
            if let promise { context.channel.closeFuture.cascade(to: promise) }
            return
        }
        heldClose = .some(promise)
        let drained = context.eventLoop.makePromise(of: Void.self)
        drained.futureResult.assumeIsolated().whenComplete { _ in self.releaseClose(context: context) }
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(capacity: 0)), promise: drained)
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
