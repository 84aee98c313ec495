import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The responses Reel makes outside the file paths (the page, the API, health, metrics,
/// errors, preflights), as Hummingbird responses with the cache policy SPEC gives each kind.
enum ReelResponse {
    static func text(_ text: String, contentType: String, isHead: Bool) -> Response {
        bytes(ByteBuffer(string: text), contentType: contentType, isHead: isHead)
    }

    static func json(_ data: Data, isHead: Bool) -> Response {
        bytes(ByteBuffer(bytes: data), contentType: "application/json", isHead: isHead)
    }

    /// A dynamic (non-file) response: never stored by caches without revalidation.
    static func bytes(_ buffer: ByteBuffer, contentType: String, isHead: Bool) -> Response {
        var headers: HTTPFields = [.contentType: contentType, .cacheControl: CachePolicy.dynamic.headerValue]
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: .ok, headers: headers, body: isHead ? ResponseBody() : ResponseBody(byteBuffer: buffer))
    }

    /// An error response: a short text body (none for HEAD) and `no-store`, so no cache keeps it.
    static func error(_ status: HTTPResponse.Status, isHead: Bool = false) -> Response {
        let body = ByteBuffer(string: "\(status.code) \(status.reasonPhrase)\n")
        return Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store", .contentLength: String(body.readableBytes)],
            body: isHead ? ResponseBody() : ResponseBody(byteBuffer: body)
        )
    }

    /// 405 for a method Reel does not answer, with the ones it does.
    static let methodNotAllowed: Response = {
        var response = error(.methodNotAllowed)
        response.headers[.allow] = "GET, HEAD, OPTIONS"
        return response
    }()
}
