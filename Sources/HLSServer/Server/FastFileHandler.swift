import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Answers GET and HEAD of library and media files (`/hls/`, `/media/`) right above the socket,
/// ahead of any HTTP codec: the request head is scanned in place (``RequestScanner``), the
/// response head written as bytes, small files as slices of cached bytes and larger ones from
/// the page cache by sendfile: straight on the socket when the channel holds nothing for it
/// (``ChannelSocket``: the head with `MSG_MORE`, then `sendfile`), else, and for what the socket
/// does not take at once, as `FileRegion`s written through NIO with the head corked. No task,
/// no request object, no header dictionary per request.
///
/// A blocking playlist reload (`?_HLS_msn=N`), and a GET of the part a playlist's preload hint
/// names before it exists, wait here, as a closure registered with ``PlaylistReloadMonitor``:
/// no task and no request object, so a thousand waiting clients cost little more than their
/// connections. Further pipelined requests wait behind it.
///
/// Every other request (the page, the API, metrics, health, OPTIONS, other methods, and any
/// head the scanner does not accept) goes up, whole, to
/// SwiftNIO's HTTP decoder and Hummingbird; further pipelined requests wait here until
/// Hummingbird has ended its response (``ForwardedResponseObserver`` says when), so responses
/// leave in request order. A request with a body, or anything the scanner cannot delimit,
/// hands the rest of the connection to Hummingbird.
///
/// ``FileResolver`` decides every file response for both paths: one piece of RFC 9110 code.
/// This handler also keeps the connection's idle timeout and answers quiescing (SIGTERM: close
/// when the response in flight has gone out), since it sees every request.
///
/// Not Sendable: used on its channel's event loop only.
final class FastFileHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What every connection's handler shares.
    struct Shared: Sendable {
        let library: ServedRoot
        let media: ServedRoot
        let resolver: FileResolver
        let catalog: AssetCatalog
        let accessLog: AccessLog
        let threadPool: NIOThreadPool
        /// With `reel serve --secret-file`: the signature check; nil costs nothing per request.
        let access: SignedAccess?
    }

    private enum Mode {
        /// Scanning heads and answering files.
        case fast
        /// A request went up to Hummingbird; the next waits for its response to end.
        case forwarded
        /// A blocking reload waits for its segment; the next request waits behind it.
        case waiting
        /// Everything goes up: the connection is Hummingbird's from now on.
        case passThrough
    }

    private let shared: Shared
    private var mode = Mode.fast
    /// Bytes received and not yet handled.
    private var pending: ByteBuffer?
    /// Fast responses written whose last byte has not gone out yet.
    private var responsesInFlight = 0
    private var quiescing = false
    private var closing = false
    private var readHeld = false
    /// The blocking reload waiting, to end it when the connection closes or the server stops.
    private var reloadTicket: UInt64?
    /// Bytes went up to the decoder since the last read-complete went up.
    private var forwardedSinceReadComplete = false
    /// The channel's writability as the handlers above last heard it.
    private var writableAbove = true
    private var dates = HTTPDateCache()
    /// Metrics by route (library 0, media 1) and status, looked up once per connection.
    private var metricHandles: [Int: ServerMetrics.Handles] = [:]
    /// The connection's socket, for file responses sent without NIO (``ChannelSocket``); -1
    /// when unknown.
    private var socket: Int32 = -1

    init(_ shared: Shared) {
        self.shared = shared
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard mode != .passThrough else {
            forwardedSinceReadComplete = true
            return context.fireChannelRead(data)
        }
        var bytes = unwrapInboundIn(data)
        if pending == nil || pending?.readableBytes == 0 {
            pending = bytes
        } else {
            pending!.writeBuffer(&bytes)
        }
        process(context: context)
    }

    /// Answers the complete requests buffered, in order, until one goes to Hummingbird.
    private func process(context: ChannelHandlerContext) {
        var wrote = false
        while mode == .fast, !closing, var buffer = pending, buffer.readableBytes > 0 {
            let result = buffer.withUnsafeReadableBytes { RequestScanner.scan($0) }
            switch result {
            case .incomplete:
                pending = buffer
                if wrote { context.flush() }
                return
            case .request(let request):
                buffer.moveReaderIndex(forwardBy: request.length)
                keepPending(buffer)
                respond(to: request, context: context)
                wrote = true
            case .unsupported(let length?):
                // A whole head with no body: Hummingbird answers it, the rest waits.
                let head = buffer.readSlice(length: length)!
                keepPending(buffer)
                mode = .forwarded
                if wrote { context.flush() }
                forwardedSinceReadComplete = true
                syncWritabilityAbove(context: context)
                context.fireChannelRead(wrapInboundOut(head))
                return
            case .unsupported(nil):
                mode = .passThrough
                pending = nil
                if wrote { context.flush() }
                forwardedSinceReadComplete = true
                syncWritabilityAbove(context: context)
                context.fireChannelRead(wrapInboundOut(buffer))
                return
            }
        }
        if wrote { context.flush() }
    }

    /// Keeps what is left of a read, and nothing when nothing is: an empty view would hold the
    /// whole receive buffer (2 KiB or more) for as long as the connection waits, which is what
    /// 1000 parked blocking reloads would pay.
    private func keepPending(_ buffer: ByteBuffer) {
        pending = buffer.readableBytes > 0 ? buffer : nil
    }

    /// Hummingbird has written the end of the response to the request forwarded to it.
    func forwardedResponseEnded(context: ChannelHandlerContext) {
        guard mode == .forwarded else { return }
        mode = .fast
        continueAfterHeldRequest(context: context)
    }

    /// A request that held the connection (forwarded, or a waiting reload) has its response:
    /// the requests behind it are answered, then reading goes on.
    private func continueAfterHeldRequest(context: ChannelHandlerContext) {
        if quiescing { return closeWhenIdle(context: context) }
        process(context: context)
        // Not in a socket read: Hummingbird's channel hands on what it read at read-complete.
        if forwardedSinceReadComplete {
            forwardedSinceReadComplete = false
            context.fireChannelReadComplete()
        }
        if readHeld, mode == .fast {
            readHeld = false
            context.read()
        }
    }

    /// Goes up only after bytes did: the decoder and Hummingbird have nothing to do at the end of
    /// a read the fast path answered, and the event would cross every handler above.
    ///
    /// The channel does not read by itself (`autoRead` is off: a read asked from the tail would
    /// cross every handler above too); the next read is asked here, from this handler down,
    /// unless Hummingbird is answering (it then asks itself, from the tail, through its channel's
    /// backpressure).
    func channelReadComplete(context: ChannelHandlerContext) {
        if forwardedSinceReadComplete {
            forwardedSinceReadComplete = false
            context.fireChannelReadComplete()
        }
        readNext(context: context)
    }

    /// Goes up only while Hummingbird answers: a file larger than the write buffer's high water
    /// mark makes the channel unwritable and writable again, and the two events would cross
    /// every handler above (its async writer among them) for a response they never saw.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        guard mode != .fast else { return }
        writableAbove = context.channel.isWritable
        context.fireChannelWritabilityChanged()
    }

    /// Before a request goes up: the handlers above learn the writability they missed.
    private func syncWritabilityAbove(context: ChannelHandlerContext) {
        guard context.channel.isWritable != writableAbove else { return }
        writableAbove.toggle()
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let reloadTicket { PlaylistReloadMonitor.shared.release(reloadTicket, with: .timedOut) }
        context.fireChannelInactive()
    }

    func channelActive(context: ChannelHandlerContext) {
        socket = ChannelSocket.descriptor(of: context.channel) ?? -1
        context.fireChannelActive()
        readNext(context: context)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            socket = ChannelSocket.descriptor(of: context.channel) ?? -1
            readNext(context: context)
        }
    }

    private func readNext(context: ChannelHandlerContext) {
        switch mode {
        case .fast: if !closing { context.read() }
        case .forwarded, .waiting: readHeld = true
        case .passThrough: context.channel.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let idle as IdleStateHandler.IdleStateEvent where idle == .read:
            // A connection silent for the idle timeout is closed, unless a response is still
            // going out: a file by regions, or more bytes than the channel's high water mark.
            if mode == .fast, responsesInFlight == 0, context.channel.isWritable { context.close(promise: nil) }
        case is ChannelShouldQuiesceEvent where mode != .passThrough:
            quiescing = true
            // A waiting reload is answered 503 at once: it must not hold up the server's exit.
            if let reloadTicket { PlaylistReloadMonitor.shared.release(reloadTicket, with: .shuttingDown) }
            closeWhenIdle(context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func closeWhenIdle(context: ChannelHandlerContext) {
        guard !closing, responsesInFlight == 0, mode == .fast else { return }
        closing = true
        context.close(promise: nil)
    }

    // MARK: Outbound

    /// While Hummingbird answers, no more is read: pipelined requests wait in the socket.
    func read(context: ChannelHandlerContext) {
        if mode == .forwarded || mode == .waiting {
            readHeld = true
        } else {
            context.read()
        }
    }

    // MARK: Answering

    private func respond(to request: RequestScanner.Request, context: ChannelHandlerContext, started: ContinuousClock.Instant = .now, waited: Bool = false) {
        let (path, query) = Self.split(request.target)
        // The scanner accepts only these two prefixes.
        guard let (isLibrary, encodedPath) = Route.file(path) else { preconditionFailure("not a file request: \(path)") }
        var signature: URLSignature?
        if let access = shared.access, let decision = access.decide(route: isLibrary ? .hls : .media, rest: encodedPath, query: query, now: Int64(time(nil))) {
            guard case .signed(let granted) = decision else { return answer(request, error: 403, path: path, context: context, started: started) }
            signature = granted
        }
        let directives = isLibrary && query != nil ? DeliveryDirectives(query: query) : nil
        if let directives, !waited {
            switch BlockingReloadRequest(root: shared.library, encodedPath: encodedPath, directives: directives) {
            case .none: break
            case .invalid: return answer(request, error: 400, path: path, context: context, started: started)
            case .wait(let awaited, let location): return park(request, for: awaited, at: location, context: context, started: started)
            }
        }
        let now = Int64(time(nil))
        let (response, fill) = shared.resolver.resolve(
            request.conditions, root: isLibrary ? shared.library : shared.media, encodedPath: encodedPath,
            policy: isLibrary ? .library(catalog: shared.catalog) : .media, now: now,
            deltaUpdate: directives?.asksDeltaUpdate == true, reload: directives?.isBlockingReload == true, signature: signature
        )
        // A part asked for before it is published, by its preload hint: held until it is.
        if response.status == 404, isLibrary, !waited,
           case .wait(let awaited, let location)? = BlockingReloadRequest.hinted(root: shared.library, encodedPath: encodedPath) {
            return park(request, for: awaited, at: location, context: context, started: started)
        }
        if let fill { shared.resolver.fill(fill, on: shared.threadPool) }
        answer(request, with: response, path: path, context: context, started: started, now: now)
    }

    /// A request target's path and query (without the `?`), both still percent-encoded.
    private static func split(_ target: String) -> (path: Substring, query: Substring?) {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (target[...], nil) }
        return (Substring(target.utf8[..<mark]), Substring(target.utf8[target.utf8.index(after: mark)...]))
    }

    private func answer(_ request: RequestScanner.Request, error status: Int, path: Substring, context: ChannelHandlerContext, started: ContinuousClock.Instant) {
        let response = FileResponse.error(status, reason: RawResponse.reasonPhrase(status))
        answer(
            request, with: request.isHead ? response.withoutBody() : response, path: path, context: context,
            started: started, now: Int64(time(nil))
        )
    }

    /// Writes the response, records it in the metrics and the access log, and closes the
    /// connection after it when the request asked.
    private func answer(
        _ request: RequestScanner.Request, with response: FileResponse, path: Substring, context: ChannelHandlerContext,
        started: ContinuousClock.Instant, now: Int64
    ) {
        let isLibrary = path.utf8.starts(with: Route.libraryPrefix.utf8)
        let head = RawResponse.head(response, date: dates.string(for: now), keepAlive: request.keepAlive, allocator: context.channel.allocator)
        if case .file(let file, let parts) = response.body, parts.count == 1, parts[0].prefix == nil, socketIsOurs(context: context) {
            send(head, file: file, range: parts[0].range, context: context)
        } else {
            context.write(wrapOutboundOut(head), promise: nil)
            writeBody(response.body, context: context)
        }
        // Measured to the response written (as Hummingbird's path measures): not to its last
        // byte received.
        let elapsed = ContinuousClock.now - started
        let sent = request.isHead ? 0 : Int(response.contentLength)
        let metricKey = response.status * 2 + (isLibrary ? 0 : 1)
        let handles = metricHandles[metricKey] ?? shared.accessLog.metrics.handles(route: (isLibrary ? Route.hls : .media).rawValue, status: response.status)
        metricHandles[metricKey] = handles
        handles.record(bytes: sent, duration: elapsed)
        shared.accessLog.metrics.fastPathResponses.increment()
        shared.accessLog.log(method: request.isHead ? "HEAD" : "GET", path: path, status: response.status, bytes: sent, elapsed: elapsed)
        if !request.keepAlive {
            // LingeringCloseHandler holds the close until the response has gone out.
            closing = true
            context.flush()
            context.close(promise: nil)
        }
    }

    // MARK: Blocking reloads

    /// Registers the request with the monitor; reads stop until it is answered.
    private func park(
        _ request: RequestScanner.Request, for awaited: PlaylistReloadMonitor.Awaited, at location: PlaylistReloadMonitor.Location, context: ChannelHandlerContext,
        started: ContinuousClock.Instant
    ) {
        mode = .waiting
        shared.accessLog.metrics.blockingReloadStarted()
        let eventLoop = context.eventLoop
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: eventLoop)
        reloadTicket = PlaylistReloadMonitor.shared.park(for: awaited, at: location) { outcome in
            eventLoop.execute {
                loopBound.value.handler.reloadReleased(outcome, request: request, context: loopBound.value.context, started: started)
            }
        }
    }

    /// The monitor's answer for the waiting request (on the event loop): the playlist, or 400
    /// or 503; then the requests that arrived behind it.
    private func reloadReleased(
        _ outcome: PlaylistReloadMonitor.Outcome, request: RequestScanner.Request, context: ChannelHandlerContext, started: ContinuousClock.Instant
    ) {
        shared.accessLog.metrics.blockingReloadFinished()
        reloadTicket = nil
        mode = .fast
        guard context.channel.isActive else { return }
        if let status = outcome.refusal {
            answer(request, error: status, path: Self.split(request.target).path, context: context, started: started)
        } else {
            respond(to: request, context: context, started: started, waited: true)
        }
        context.flush()
        continueAfterHeldRequest(context: context)
    }

    /// Writes the body's parts. Regions of the file go out from its descriptor, which the file
    /// (an ``OpenedFile``, perhaps shared with other responses through ``OpenFileCache``) keeps
    /// open until they have gone out. These are the only responses tracked until then: a large
    /// file can take long, and quiescing and the idle timeout wait for it.
    private func writeBody(_ body: FileResponse.Body, context: ChannelHandlerContext) {
        switch body {
        case .none:
            break
        case .bytes(let buffers):
            for buffer in buffers { context.write(NIOAny(IOData.byteBuffer(buffer)), promise: nil) }
        case .file(let file, let parts):
            // Borrowed: given back, not closed, once the regions have gone out.
            let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: file.descriptor)
            let finished = context.eventLoop.makePromise(of: Void.self)
            if responsesInFlight == 0 { setCork(true, context: context) }
            responsesInFlight += 1
            var writes: [IOData] = []
            for part in parts {
                if let prefix = part.prefix { writes.append(.byteBuffer(ByteBuffer(string: prefix))) }
                guard !part.range.isEmpty else { continue }
                writes.append(.fileRegion(FileRegion(fileHandle: handle, readerIndex: Int(part.range.lowerBound), endIndex: Int(part.range.upperBound))))
            }
            for (index, write) in writes.enumerated() {
                context.write(NIOAny(write), promise: index == writes.count - 1 ? finished : nil)
            }
            if writes.isEmpty { finished.succeed() }
            let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
            finished.futureResult.whenComplete { _ in
                _ = try? handle.takeDescriptorOwnership()
                withExtendedLifetime(file) {}
                loopBound.value.handler.fileResponseWentOut(context: loopBound.value.context)
            }
        }
    }

    /// Whether this handler may write to the socket itself now: its descriptor is known and the
    /// channel holds no bytes (written, flushed or not, by this handler or Hummingbird) that must
    /// go out first.
    private func socketIsOurs(context: ChannelHandlerContext) -> Bool {
        guard socket >= 0, responsesInFlight == 0, context.channel.isActive else { return false }
        return (try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)) == 0
    }

    /// Sends a head and one range of a file straight to the socket: the head with `MSG_MORE`
    /// (it leaves in the body's first segment, as a cork would have it, without the two
    /// `setsockopt`s), then the range by `sendfile`. What the socket does not take now (its
    /// buffer is full, or the call fails) goes through NIO as usual, which waits for the socket
    /// to be writable again and handles its errors.
    private func send(_ head: ByteBuffer, file: OpenedFile, range: Range<Int64>, context: ChannelHandlerContext) {
        var head = head
        let sent = head.withUnsafeReadableBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_MORE) | Int32(MSG_NOSIGNAL)) }
        if sent > 0 { head.moveReaderIndex(forwardBy: sent) }
        var offset = off_t(range.lowerBound)
        if head.readableBytes == 0 {
            shared.accessLog.metrics.directFileResponses.increment()
            while offset < range.upperBound {
                let count = sendfile(socket, file.descriptor, &offset, Int(range.upperBound - Int64(offset)))
                if count > 0 || (count < 0 && errno == EINTR) { continue }
                break
            }
        } else {
            context.write(wrapOutboundOut(head), promise: nil)
        }
        if Int64(offset) < range.upperBound {
            writeBody(.file(file, parts: [.init(range: Int64(offset)..<range.upperBound)]), context: context)
        }
    }

    private func setCork(_ on: Bool, context: ChannelHandlerContext) {
        try? context.channel.syncOptions?.setOption(.tcpOption(.init(rawValue: TCP_CORK)), value: on ? 1 : 0)
    }

    private func fileResponseWentOut(context: ChannelHandlerContext) {
        responsesInFlight -= 1
        if responsesInFlight == 0 { setCork(false, context: context) }
        if quiescing { closeWhenIdle(context: context) }
    }
}

/// Sees the responses Hummingbird writes (above the HTTP encoder) and tells the fast path when
/// one has ended, so the next pipelined request can be answered.
final class ForwardedResponseObserver: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let fastPath: FastFileHandler
    private let fastPathContext: ChannelHandlerContext

    init(fastPath: FastFileHandler, context: ChannelHandlerContext) {
        self.fastPath = fastPath
        fastPathContext = context
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else { return context.write(data, promise: promise) }
        context.write(data, promise: promise)
        fastPath.forwardedResponseEnded(context: fastPathContext)
    }
}

/// The `Date` field's text, formatted once per second.
struct HTTPDateCache {
    private var second: Int64 = -1
    private var text = ""

    mutating func string(for now: Int64) -> String {
        if now != second {
            second = now
            text = HTTPDate.format(now)
        }
        return text
    }
}
