import HTTPTypes
import Hummingbird

/// CORS as SPEC sets it: any origin may read, the range and validator headers are exposed,
/// and a preflight may ask for `Range` and the conditional headers.
enum CrossOrigin {
    static let exposedHeaders = "Content-Length, Content-Range, ETag, Accept-Ranges, Last-Modified, Cache-Control"

    static func apply(to headers: inout HTTPFields) {
        headers[.accessControlAllowOrigin] = "*"
        headers[.accessControlExposeHeaders] = exposedHeaders
    }

    /// The answer to `OPTIONS` on any path.
    static func preflight() -> Response {
        Response(
            status: .noContent,
            headers: [
                .accessControlAllowMethods: "GET, HEAD, OPTIONS",
                .accessControlAllowHeaders: "Range, If-Range, If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since",
                .accessControlMaxAge: "86400",
                .allow: "GET, HEAD, OPTIONS",
                .cacheControl: "no-cache",
            ]
        )
    }
}
