import Foundation
import HLSPlaylist
import NIOCore
import NIOHTTP1
import NIOPosix

/// A playlist tree served over HTTP, for `reel validate URL`: GET for playlists and for the
/// WebVTT segments of subtitle renditions (their headers are checked), HEAD for the sizes of
/// segments (byte ranges must lie inside them).
struct HTTPPlaylistSource: PlaylistSource {
    /// The directory the tree's relative paths resolve against (ends with "/").
    let base: URL

    func contents(of path: String) async throws -> Data {
        let response = try await HTTPFetch.perform(.GET, url: url(path))
        guard response.status == 200 else { throw HTTPFetch.Failure(message: "\(url(path)): HTTP \(response.status)") }
        return response.body
    }

    func size(of path: String) async throws -> Int? {
        let response = try await HTTPFetch.perform(.HEAD, url: url(path))
        if response.status == 404 { return nil }
        guard response.status == 200, let length = response.headers.first(name: "content-length").flatMap(Int.init) else {
            throw HTTPFetch.Failure(message: "\(url(path)): HTTP \(response.status)")
        }
        return length
    }

    private func url(_ path: String) -> URL {
        URL(string: path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path, relativeTo: base)!.absoluteURL
    }
}

/// One HTTP/1.1 request on its own connection, over SwiftNIO.
enum HTTPFetch {
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
    }

    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    static let timeout: TimeAmount = .seconds(30)

    /// The gist of a connection error (NIO's own descriptions name every attempted address).
    static func reason(_ error: any Error) -> String {
        let text = "\(error)"
        for known in ["Connection refused", "Network is unreachable", "No route to host"] where text.contains(known) {
            return known.lowercased()
        }
        if case .connectTimeout? = error as? ChannelError { return "connection timed out" }
        return text
    }

    static func perform(_ method: HTTPMethod, url: URL) async throws -> Response {
        guard url.scheme == "http", let host = url.host else {
            throw Failure(message: "\(url): only http:// URLs can be validated")
        }
        let port = url.port ?? 80
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let promise = eventLoop.makePromise(of: Response.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            promise.fail(error)
            throw Failure(message: "\(url): cannot connect (\(reason(error)))")
        }
        let deadline = eventLoop.scheduleTask(in: timeout) {
            promise.fail(Failure(message: "\(url): no response within \(timeout.nanoseconds / 1_000_000_000) s"))
            channel.close(promise: nil)
        }
        var target = url.path.isEmpty ? "/" : url.path
        if let query = url.query { target += "?" + query }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: target)
        head.headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
        head.headers.add(name: "Connection", value: "close")
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        defer {
            deadline.cancel()
            channel.close(promise: nil)
        }
        return try await promise.futureResult.get()
    }

    /// Collects one response and completes the promise with it.
    final class ResponseCollector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart

        private let promise: EventLoopPromise<Response>
        private var response: Response?

        init(promise: EventLoopPromise<Response>) {
            self.promise = promise
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                response = Response(status: Int(head.status.code), headers: head.headers, body: Data())
            case .body(let buffer):
                response?.body.append(contentsOf: buffer.readableBytesView)
            case .end:
                if let response { promise.succeed(response) }
                context.close(promise: nil)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(Failure(message: "connection closed before a complete response"))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }
    }
}
