#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// Sits in front of the HTTP decoder and watches raw request heads, so limits get the status
/// codes RFC 9110 names instead of a generic 400: a request line over 8 KiB gets 414, a head
/// over 64 KiB gets 431, and a head that trickles in for longer than the deadline (a stalled
/// or slowloris client) is closed. Bytes pass through untouched.
final class RequestHeadLimiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

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
            let rejection = buffer.withUnsafeReadableBytes { scan($0, context: context) }
            if let rejection {
                reject(context: context, status: rejection)
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

    /// Advances the head state machine over `bytes`; the status line of a rejection, if one is due.
    ///
    /// Line by line (`memchr` finds each LF), with the state in locals while the loop runs: a
    /// stored property read per byte costs an exclusivity check per byte, more than the rest.
    private func scan(_ bytes: UnsafeRawBufferPointer, context: ChannelHandlerContext) -> String? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let (maximumRequestLine, maximumHead) = (Self.maximumRequestLine, Self.maximumHead)
        var (inHead, onRequestLine, lineLength, headLength, tail) = (self.inHead, self.onRequestLine, self.lineLength, self.headLength, self.tail)
        // Taken out of the property (not copied): appends then need no copy-on-write.
        var prefix: [UInt8] = []
        swap(&prefix, &linePrefix)
        defer {
            (self.inHead, self.onRequestLine, self.lineLength, self.headLength, self.tail) = (inHead, onRequestLine, lineLength, headLength, tail)
            linePrefix = prefix
        }
        var index = 0
        let count = bytes.count
        while index < count {
            if !inHead {
                // Stray CRLFs between requests are allowed (RFC 9112 §2.2).
                let byte = base[index]
                if byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                    index += 1
                    continue
                }
                beginHead(context: context)
                (inHead, onRequestLine, lineLength, headLength, tail) = (true, true, 0, 0, 0)
                prefix.removeAll(keepingCapacity: true)
            }
            // The rest of this line, up to and without its LF.
            let found = memchr(base + index, Int32(UInt8(ascii: "\n")), count - index)
            let end = found.map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? count
            let run = end - index
            if run > 0 {
                for offset in 0..<min(run, 4) { tail = tail << 8 | UInt32(base[end - min(run, 4) + offset]) }
                let crs = base[end - 1] == UInt8(ascii: "\r") ? 1 : 0
                for offset in 0..<max(0, min(run - crs, 20 - lineLength)) { prefix.append(base[index + offset] | 0x20) }
                lineLength += run - crs
                headLength += run
                if onRequestLine, lineLength > maximumRequestLine { return "414 URI Too Long" }
                if headLength > maximumHead { return "431 Request Header Fields Too Large" }
            }
            index = end
            guard found != nil else { break }
            // The LF.
            index += 1
            headLength += 1
            tail = tail << 8 | UInt32(UInt8(ascii: "\n"))
            if !onRequestLine { noteField(prefix) }
            (onRequestLine, lineLength) = (false, 0)
            prefix.removeAll(keepingCapacity: true)
            if tail & 0xFFFF == 0x0A0A || tail == 0x0D0A_0D0A {
                finishHead()
                inHead = false
                // What follows is the body: not a head to measure.
                if standingDown { return nil }
            }
            if headLength > maximumHead { return "431 Request Header Fields Too Large" }
        }
        return nil
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

    /// Whether a header line (its first 20 bytes, lowercased) announces a body.
    private func noteField(_ prefix: [UInt8]) {
        if prefix.starts(with: Self.contentLength) {
            // Lowercased by `| 0x20`: digits and spaces keep their values.
            headHasBody = !prefix.dropFirst(Self.contentLength.count).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "0") }
        } else if prefix.starts(with: Self.transferEncoding) {
            headHasBody = true
        }
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
        context.writeAndFlush(NIOAny(buffer)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
