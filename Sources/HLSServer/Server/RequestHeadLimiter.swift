import NIOCore

/// Sits in front of the HTTP decoder and watches raw request heads, so limits get the status
/// codes RFC 9110 names instead of a generic 400: a request line over 8 KiB gets 414, a head
/// over 64 KiB gets 431, and a head that trickles in for longer than the deadline (a stalled
/// or slowloris client) is closed. Bytes pass through untouched.
final class RequestHeadLimiter: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let maximumRequestLine = 8 * 1024
    static let maximumHead = 64 * 1024

    private let headDeadline: TimeAmount
    private var inHead = false
    private var onRequestLine = true
    private var lineLength = 0
    private var headLength = 0
    /// The last bytes seen, to find "\r\n\r\n" across buffer boundaries.
    private var tail: UInt32 = 0
    /// The start of the current header line, to spot request bodies.
    private var linePrefix: [UInt8] = []
    private var headHasBody = false
    /// Once a request carries a body this guard cannot find the next head; it stands down.
    private var standingDown = false
    private var rejected = false
    private var deadline: Scheduled<Void>?
    private var headStarted = NIODeadline.now()

    init(headDeadline: TimeAmount) {
        self.headDeadline = headDeadline
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if rejected { return }
        let buffer = unwrapInboundIn(data)
        if !standingDown {
            for byte in buffer.readableBytesView where !inspect(byte, context: context) {
                return
            }
            // The deadline is armed only for a head that did not arrive whole in one read (a
            // timer per request would cost more than the rest of this handler).
            if inHead, deadline == nil { armDeadline(context: context) }
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }

    /// Advances the head state machine by one byte; false once the request was rejected.
    private func inspect(_ byte: UInt8, context: ChannelHandlerContext) -> Bool {
        if !inHead {
            // Stray CRLFs between requests are allowed (RFC 9112 §2.2).
            if byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") { return true }
            beginHead(context: context)
        }
        headLength += 1
        tail = tail << 8 | UInt32(byte)
        if byte == UInt8(ascii: "\n") {
            finishLine()
            if tail & 0xFFFF == 0x0A0A || tail == 0x0D0A_0D0A {
                finishHead()
            }
            return true
        }
        if byte != UInt8(ascii: "\r") {
            lineLength += 1
            if linePrefix.count < 20 { linePrefix.append(byte | 0x20) }
        }
        if onRequestLine, lineLength > Self.maximumRequestLine {
            reject(context: context, status: "414 URI Too Long")
            return false
        }
        if headLength > Self.maximumHead {
            reject(context: context, status: "431 Request Header Fields Too Large")
            return false
        }
        return true
    }

    private func beginHead(context: ChannelHandlerContext) {
        inHead = true
        onRequestLine = true
        lineLength = 0
        headLength = 0
        tail = 0
        linePrefix.removeAll(keepingCapacity: true)
        headHasBody = false
        headStarted = .now()
    }

    private func armDeadline(context: ChannelHandlerContext) {
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(deadline: headStarted + headDeadline) {
            channel.close(promise: nil)
        }
    }

    private static let contentLength = Array("content-length:".utf8)
    private static let transferEncoding = Array("transfer-encoding:".utf8)

    private func finishLine() {
        if !onRequestLine {
            if linePrefix.starts(with: Self.contentLength) {
                // Lowercased by `| 0x20`: digits and spaces keep their values.
                headHasBody = !linePrefix.dropFirst(Self.contentLength.count).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "0") }
            } else if linePrefix.starts(with: Self.transferEncoding) {
                headHasBody = true
            }
        }
        onRequestLine = false
        lineLength = 0
        linePrefix.removeAll(keepingCapacity: true)
    }

    private func finishHead() {
        inHead = false
        deadline?.cancel()
        deadline = nil
        if headHasBody { standingDown = true }
    }

    private func reject(context: ChannelHandlerContext, status: String) {
        rejected = true
        deadline?.cancel()
        let response = "HTTP/1.1 \(status)\r\nContent-Length: 0\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
        let buffer = context.channel.allocator.buffer(string: response)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
