import HTTPTypes
import Hummingbird
import NIOCore

/// A file of the page itself (stylesheet, script, icon), compiled into Reel and served from
/// memory under `/static/`: the page needs nothing from anywhere else.
///
/// Like the page, these are `no-cache`: a browser keeps them but revalidates each use with
/// their strong ETag, a hash of the bytes, so it gets a 304 until a new Reel serves other bytes.
struct StaticAsset: Sendable {
    /// The URL path.
    let path: String
    let contentType: String
    let body: ByteBuffer
    let entityTag: EntityTag

    init(path: String, contentType: String, text: String) {
        self.path = path
        self.contentType = contentType
        body = ByteBuffer(string: text)
        // FNV-1a, 64 bits: stable across runs and builds (Swift's Hasher is seeded per process).
        let hash = text.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
        entityTag = EntityTag(opaque: String(hash, radix: 16))
    }

    static let stylesheet = StaticAsset(path: "/static/reel.css", contentType: "text/css; charset=utf-8", text: PageStyle.css)
    static let script = StaticAsset(path: "/static/reel.js", contentType: "text/javascript; charset=utf-8", text: PageScript.source)
    /// A play button on Reel's blue: the tab icon and the header's logo.
    static let icon = StaticAsset(path: "/static/icon.svg", contentType: "image/svg+xml", text: """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">\
        <rect width="32" height="32" rx="8" fill="#2f6fed"/>\
        <circle cx="16" cy="16" r="10.5" fill="none" stroke="#fff" stroke-opacity=".45" stroke-width="2"/>\
        <path d="M13.5 10.8v10.4l8.2-5.2z" fill="#fff"/></svg>

        """)

    /// The asset served at `path`, nil when there is none.
    static func named(_ path: String) -> StaticAsset? {
        [stylesheet, script, icon].first { $0.path == path }
    }

    /// 200 with the bytes, or 304 when `If-None-Match` names the current ETag.
    func response(ifNoneMatch: String?, isHead: Bool) -> Response {
        if let ifNoneMatch, EntityTagList(parsing: ifNoneMatch)?.matchesWeakly(entityTag) == true {
            // A 304 carries the ETag and Cache-Control the 200 would.
            return Response(status: .notModified, headers: [.eTag: entityTag.description, .cacheControl: CachePolicy.dynamic.headerValue])
        }
        var response = ReelResponse.bytes(body, contentType: contentType, isHead: isHead)
        response.headers[.eTag] = entityTag.description
        return response
    }
}
