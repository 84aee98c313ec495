import NIOCore

/// A response head as HTTP/1.1 bytes, for the fast path, which writes below the HTTP encoder:
/// the status line, the ``FileResponse``'s fields, CORS, `Date`, `Connection: close` when the
/// connection ends with it, and the empty line.
enum RawResponse {
    static func head(_ response: FileResponse, date: String, keepAlive: Bool, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 512)
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(statusText(response.status))
        buffer.writeStaticString("\r\n")
        if var rendered = response.renderedHeaders {
            buffer.writeBuffer(&rendered)
        } else {
            write(response.headers, to: &buffer)
        }
        buffer.writeString(crossOrigin)
        buffer.writeStaticString("Date: ")
        buffer.writeString(date)
        buffer.writeStaticString(keepAlive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n")
        return buffer
    }

    /// The CORS fields every response of the fast path carries.
    private static let crossOrigin = "Access-Control-Allow-Origin: *\r\nAccess-Control-Expose-Headers: \(CrossOrigin.exposedHeaders)\r\n"

    /// The status code and reason phrase (`206 Partial Content`) of the statuses the fast path
    /// answers with, made once each.
    private static let statusTexts: [Int: String] = Dictionary(
        uniqueKeysWithValues: [200, 206, 304, 400, 403, 404, 412, 416, 503].map { ($0, "\($0) \(reasonPhrase($0))") }
    )

    private static func statusText(_ status: Int) -> String {
        statusTexts[status] ?? "\(status) \(reasonPhrase(status))"
    }

    /// `headers` as HTTP/1.1 field lines.
    static func render(_ headers: [(name: String, value: String)]) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 384)
        write(headers, to: &buffer)
        return buffer
    }

    private static func write(_ headers: [(name: String, value: String)], to buffer: inout ByteBuffer) {
        for (name, value) in headers {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
    }

    /// The reason phrases of the statuses the fast path answers with.
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 206: "Partial Content"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 412: "Precondition Failed"
        case 416: "Range Not Satisfiable"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
