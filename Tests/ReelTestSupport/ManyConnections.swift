import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Many HTTP/1.1 requests at once, each on its own connection, on a few event-loop threads:
/// for tests that hold thousands of requests open (a thread per request would not scale).
public enum ManyConnections {
    /// Sends `GET target` with `Connection: close` on `count` connections at once and returns
    /// each response's status code (0 when the connection failed or the response was cut off).
    public static func get(port: Int, target: String, count: Int, timeout: TimeAmount = .seconds(60)) async throws -> [Int] {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let request = ByteBuffer(string: "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        let futures: [EventLoopFuture<Int>] = (0..<count).map { _ in
            let loop = group.next()
            let result = Once(loop.makePromise(of: Int.self))
            ClientBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.pipeline.addHandler(StatusCollector(result: result))
                }
                .connectTimeout(.seconds(10))
                .connect(host: "127.0.0.1", port: port)
                .flatMap { channel in channel.writeAndFlush(request) }
                .whenFailure { _ in result.complete(0) }
            loop.scheduleTask(in: timeout) { result.complete(0) }
            return result.promise.futureResult
        }
        var statuses: [Int] = []
        for future in futures { statuses.append(try await future.get()) }
        try await group.shutdownGracefully()
        return statuses
    }
}

/// A promise completed by whichever of its completers comes first.
private final class Once: Sendable {
    let promise: EventLoopPromise<Int>
    private let done = NIOLockedValueBox(false)

    init(_ promise: EventLoopPromise<Int>) {
        self.promise = promise
    }

    func complete(_ status: Int) {
        let first = done.withLockedValue { done in
            defer { done = true }
            return !done
        }
        if first { promise.succeed(status) }
    }
}

/// Reads a whole response (until the server closes) and reports its status code.
private final class StatusCollector: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: confined to its channel's event loop.
    typealias InboundIn = ByteBuffer
    private let result: Once
    private var head: [UInt8] = []

    init(result: Once) {
        self.result = result
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if head.count < 16, let bytes = buffer.readBytes(length: min(buffer.readableBytes, 16 - head.count)) {
            head += bytes
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // "HTTP/1.1 200 OK"
        let text = String(decoding: head, as: UTF8.self)
        let status = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        result.complete(status)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
