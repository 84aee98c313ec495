import Foundation
import HLSPlaylist
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves files from a root with RFC 9110 semantics: validators, conditional requests,
/// single and multipart ranges, HEAD. Small files come from memory; large bodies stream from
/// disk in bounded chunks, so memory stays flat whatever the file size and client count.
struct FileResponder: Sendable {
    let reader: FileReader
    let cache: SmallFileCache
    /// The cache policies of playlists without a manifest beside them, by file identity.
    let playlistPolicies = IdentityCache<CachePolicy>()

    /// How a root's files are cached by clients.
    enum Policy: Sendable {
        /// The HLS library: segments immutable, playlists by their state.
        case library(catalog: AssetCatalog)
        /// Source files.
        case media
    }

    func respond(to request: Request, root: ServedRoot, encodedPath: Substring, policy: Policy) async throws -> Response {
        // open+fstat run inline: they are metadata calls answered from the dentry and inode
        // caches, and a thread-pool hop would cost more than they do. Reads go to the pool.
        guard let segments = RequestPath.segments(encodedPath), let file = root.openFile(segments) else {
            return ReelResponder.error(.notFound)
        }
        let contentType = MediaContentType.forPath(Substring(segments[segments.count - 1]))
        // `now` stands for the response's Date, to which Last-Modified is clamped (RFC 9110
        // §8.8.2.1). Hummingbird writes Date from a cache it refreshes once a second, so Date can
        // be a second behind the clock: the clock's second minus one is never later than Date.
        let now = Int64(Date().timeIntervalSince1970) - 1
        let validators = FileValidators(
            entityTag: EntityTag(inode: file.inode, size: file.size, modifiedNanoseconds: file.modifiedNanoseconds),
            modified: file.modifiedSeconds,
            size: file.size,
            now: now
        )
        let key = root.path + "\u{0}" + segments.joined(separator: "/")
        var content: ByteBuffer?
        if file.size <= cache.maximumFileSize {
            if let cached = cache.bytes(for: key, identity: file.identity) {
                content = cached
            } else {
                let bytes = try await reader.read(file, offset: 0, count: Int(file.size))
                // A file that changed size under us is not cached; the next request re-reads it.
                if Int64(bytes.readableBytes) == file.size { cache.store(bytes, for: key, identity: file.identity) }
                content = bytes
            }
        }
        let cacheControl = try await cachePolicy(for: segments, file: file, key: key, content: content, policy: policy)

        let headers = FileRequestHeaders(
            isHead: request.method == .head,
            ifMatch: request.headers.joined(.ifMatch),
            ifNoneMatch: request.headers.joined(.ifNoneMatch),
            ifModifiedSince: request.headers[.ifModifiedSince],
            ifUnmodifiedSince: request.headers[.ifUnmodifiedSince],
            ifRange: request.headers[.ifRange],
            range: request.headers[.range]
        )
        let plan = FileResponsePlan.evaluate(headers, validators: validators, now: now)
        var fields: HTTPFields = [
            .eTag: validators.entityTag.description,
            .lastModified: HTTPDate.format(validators.lastModified),
            .cacheControl: cacheControl.headerValue,
        ]
        switch plan {
        case .notModified:
            return Response(status: .notModified, headers: fields)
        case .preconditionFailed:
            return ReelResponder.error(.preconditionFailed)
        case .rangeNotSatisfiable:
            var response = ReelResponder.error(.rangeNotSatisfiable)
            response.headers[.contentRange] = ContentRange.unsatisfied(size: file.size)
            response.headers[.acceptRanges] = "bytes"
            return response
        case .full:
            fields[.contentType] = contentType
            fields[.acceptRanges] = "bytes"
            return body(status: .ok, fields: fields, parts: [(nil, 0..<file.size)], file: file, content: content, isHead: headers.isHead)
        case .partial(let range):
            fields[.contentType] = contentType
            fields[.acceptRanges] = "bytes"
            fields[.contentRange] = ContentRange.bytes(range, size: file.size)
            return body(status: .partialContent, fields: fields, parts: [(nil, range)], file: file, content: content, isHead: headers.isHead)
        case .multipart(let ranges):
            let layout = MultipartByteRanges(ranges: ranges, size: file.size, partContentType: contentType)
            fields[.contentType] = layout.contentType
            fields[.acceptRanges] = "bytes"
            var parts: [(String?, Range<Int64>)] = ranges.indices.map { (layout.header(ofPart: $0), ranges[$0]) }
            parts.append((layout.closing, 0..<0))
            return body(status: .partialContent, fields: fields, parts: parts, file: file, content: content, isHead: headers.isHead)
        }
    }

    /// A response whose body is, for each part, an optional text prefix then a range of the file.
    private func body(
        status: HTTPResponse.Status, fields: HTTPFields, parts: [(prefix: String?, range: Range<Int64>)],
        file: OpenedFile, content: ByteBuffer?, isHead: Bool
    ) -> Response {
        var fields = fields
        let length = parts.reduce(Int64(0)) { $0 + Int64($1.prefix?.utf8.count ?? 0) + Int64($1.range.count) }
        fields[.contentLength] = String(length)
        if isHead {
            return Response(status: status, headers: fields, body: ResponseBody())
        }
        if let content {
            var buffers: [ByteBuffer] = []
            for part in parts {
                if let prefix = part.prefix { buffers.append(ByteBuffer(string: prefix)) }
                if !part.range.isEmpty {
                    buffers.append(content.getSlice(at: content.readerIndex + Int(part.range.lowerBound), length: part.range.count)!)
                }
            }
            return Response(status: status, headers: fields, body: buffers.count == 1 ? ResponseBody(byteBuffer: buffers[0]) : ResponseBody(contentsOf: buffers))
        }
        let reader = self.reader
        return Response(status: status, headers: fields, body: ResponseBody(contentLength: Int(length)) { writer in
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

extension HTTPFields {
    /// Every value of a field that may be repeated, joined as one comma-separated list.
    func joined(_ name: HTTPField.Name) -> String? {
        let values = self[values: name]
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}
