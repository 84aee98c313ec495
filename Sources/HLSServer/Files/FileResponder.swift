import Foundation
import HLSPlaylist
import HTTPTypes
import Hummingbird
import NIOCore

/// Answers file requests that reach Hummingbird (the fast path, ``FastFileHandler``, answers
/// the rest): blocking playlist reloads once they may be served, and requests made through
/// Hummingbird's test client. ``FileResolver`` decides the response; this writes it, small
/// bodies from memory and large ones in bounded chunks read on the thread pool, so memory stays
/// flat whatever the file size and client count.
struct FileResponder: Sendable {
    let reader: FileReader
    let resolver: FileResolver

    /// - Parameters:
    ///   - deltaUpdate: the request asks for a playlist delta update (`_HLS_skip`).
    ///   - reload: the request is a blocking reload (`_HLS_msn`), answered now.
    ///   - signature: the request's signature, which a playlist carries into its URIs.
    func respond(
        to request: Request, root: ServedRoot, encodedPath: Substring, policy: FileResolver.Policy, deltaUpdate: Bool = false, reload: Bool = false,
        signature: URLSignature? = nil
    ) async throws -> Response {
        let headers = FileRequestHeaders(
            isHead: request.method == .head,
            ifMatch: request.headers.joined(.ifMatch),
            ifNoneMatch: request.headers.joined(.ifNoneMatch),
            ifModifiedSince: request.headers[.ifModifiedSince],
            ifUnmodifiedSince: request.headers[.ifUnmodifiedSince],
            ifRange: request.headers[.ifRange],
            range: request.headers[.range]
        )
        let resolver = self.resolver
        // On the thread pool: opening, fstat and a playlist's parse are blocking calls.
        // Hummingbird sets Date itself, from a clock cached once a second that may be up to a
        // second behind: a second earlier than the clock is never later than the Date it sends
        // (the fast path, which writes Date itself, uses the clock's own second).
        let now = Int64(Date().timeIntervalSince1970) - 1
        let (response, fill) = try await reader.threadPool.runIfActive {
            resolver.resolve(
                headers, root: root, encodedPath: encodedPath, policy: policy, now: now, deltaUpdate: deltaUpdate, reload: reload, signature: signature
            )
        }
        if let fill { resolver.fill(fill, on: reader.threadPool) }
        return hummingbirdResponse(response)
    }

    private func hummingbirdResponse(_ response: FileResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        let status = HTTPResponse.Status(code: response.status)
        switch response.body {
        case .none:
            return Response(status: status, headers: fields, body: ResponseBody())
        case .bytes(let buffers):
            return Response(status: status, headers: fields, body: buffers.count == 1 ? ResponseBody(byteBuffer: buffers[0]) : ResponseBody(contentsOf: buffers))
        case .file(let file, let parts):
            let reader = self.reader
            return Response(status: status, headers: fields, body: ResponseBody(contentLength: Int(response.contentLength)) { writer in
                let stream = reader.budget.begin()
                defer { reader.budget.end(stream) }
                for part in parts {
                    if let prefix = part.prefix { try await writer.write(ByteBuffer(string: prefix)) }
                    var offset = part.range.lowerBound
                    while offset < part.range.upperBound {
                        let count = Int(min(Int64(reader.budget.chunkSize), part.range.upperBound - offset))
                        let chunk = try await reader.read(file, offset: offset, count: count)
                        // The file shrank after we announced its length: end the response abnormally.
                        guard chunk.readableBytes > 0 else { throw FileReadError(code: EIO) }
                        offset += Int64(chunk.readableBytes)
                        try await writer.write(chunk)
                    }
                }
                try await writer.finish(nil)
            })
        }
    }
}

extension HTTPFields {
    /// Every value of a field that may be repeated, joined as one comma-separated list.
    func joined(_ name: HTTPField.Name) -> String? {
        let values = self[values: name]
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}
