import NIOCore

/// A response decided for a file request, written as it is by either transport: the NIO fast
/// path (``FastFileHandler``: bytes, or `FileRegion`s that go out by sendfile) or Hummingbird
/// (``FileResponder``: bytes, or reads on the thread pool). One decision, two writers: the RFC
/// 9110 semantics live in ``FileResolver`` and ``FileResponsePlan`` only.
struct FileResponse: Sendable {
    /// What follows the head.
    enum Body: Sendable {
        /// No body: HEAD, 304, or an empty file.
        case none
        /// Bytes in memory (a cached small file, an error text), written in order.
        case bytes([ByteBuffer])
        /// Ranges of the open file, each after an optional text prefix (multipart boundaries).
        case file(OpenedFile, parts: [Part])
    }

    /// A range of the file and the text written before it.
    struct Part: Sendable {
        var prefix: String?
        var range: Range<Int64>
    }

    var status: Int
    /// Header fields in the order written.
    var headers: [(name: String, value: String)]
    var body: Body
    /// The body's length: what Content-Length says (the body a GET would get, for HEAD).
    var contentLength: Int64
    /// `headers` as HTTP/1.1 lines (`Name: value\r\n` each), when rendered already: a whole
    /// small file's 200 is the same for every request while the file is unchanged.
    var renderedHeaders: ByteBuffer? = nil

    /// An error: a short text body and `no-store`, so no cache keeps it (SPEC: error responses,
    /// 404 included, are `no-store`).
    static func error(_ status: Int, reason: String, extra: [(name: String, value: String)] = []) -> FileResponse {
        let text = ByteBuffer(string: "\(status) \(reason)\n")
        return FileResponse(
            status: status,
            headers: [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")] + extra
                + [("Content-Length", String(text.readableBytes))],
            body: .bytes([text]),
            contentLength: Int64(text.readableBytes)
        )
    }

    static let notFound = error(404, reason: "Not Found")
    static let preconditionFailed = error(412, reason: "Precondition Failed")

    /// The response to HEAD: the same head, no body.
    func withoutBody() -> FileResponse {
        var response = self
        response.body = .none
        return response
    }
}
