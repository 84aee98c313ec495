import HLSPlaylist
import NIOCore
import NIOPosix
import Synchronization

/// Decides the response to a GET or HEAD of a file below a served root, by RFC 9110: resolves
/// the path (never leaving the root), reads the validators, picks the Cache-Control policy,
/// evaluates the conditions and ranges (``FileResponsePlan``) and lays out the head and body.
///
/// Synchronous, and cheap enough to run on an event loop: an `openat2` and an `fstat` per
/// request (answered from the kernel's dentry and inode caches), and small files (playlists,
/// init segments, most segments) from memory. A small file not in memory yet is answered from
/// the file, and ``CacheFill`` tells the caller to read it into the cache off the event loop.
/// Reading happens inline in one case only: a playlist with no manifest beside it (a hand-made
/// tree) is parsed once per version of the file to learn whether it is finished.
struct FileResolver: Sendable {
    let cache: SmallFileCache
    /// The cache policies of playlists without a manifest beside them, by file identity.
    let playlistPolicies = IdentityCache<CachePolicy>()
    /// Small files being read into the cache now, by key: a thousand clients missing the same
    /// file start one read, not a thousand.
    private let filling = KeySet()

    /// How a root's files are cached by clients.
    enum Policy: Sendable {
        /// The HLS library: segments immutable, playlists by their state.
        case library(catalog: AssetCatalog)
        /// Source files.
        case media
    }

    /// A small file to read into the cache, off the event loop.
    struct CacheFill {
        var key: String
        var file: OpenedFile
    }

    /// The response to a request for `encodedPath` (percent-encoded, below `root`) with
    /// `headers`, at `now` (seconds since the epoch, the Date the response will carry).
    func resolve(
        _ headers: FileRequestHeaders, root: ServedRoot, encodedPath: Substring, policy: Policy, now: Int64
    ) -> (response: FileResponse, fill: CacheFill?) {
        guard let segments = RequestPath.segments(encodedPath), let file = root.openFile(segments) else {
            return (headers.isHead ? FileResponse.notFound.withoutBody() : FileResponse.notFound, nil)
        }
        let key = root.path + "\u{0}" + segments.joined(separator: "/")
        let content = file.size <= cache.maximumFileSize ? cache.bytes(for: key, identity: file.identity) : nil
        let fill = content == nil && file.size <= cache.maximumFileSize ? CacheFill(key: key, file: file) : nil
        // Last-Modified is never later than `now`, the Date sent (RFC 9110 §8.8.2.1).
        let validators = FileValidators(
            entityTag: EntityTag(inode: file.inode, size: file.size, modifiedNanoseconds: file.modifiedNanoseconds),
            modified: file.modifiedSeconds, size: file.size, now: now
        )
        let plan = FileResponsePlan.evaluate(headers, validators: validators, now: now)
        let cacheControl = cachePolicy(for: segments, file: file, key: key, content: content, policy: policy)
        var response = layout(
            plan, file: file, content: content, validators: validators, cacheControl: cacheControl,
            contentType: MediaContentType.forPath(Substring(segments[segments.count - 1]))
        )
        if headers.isHead { response.body = .none }
        return (response, fill)
    }

    /// The head and body of `plan`.
    private func layout(
        _ plan: FileResponsePlan, file: OpenedFile, content: ByteBuffer?, validators: FileValidators,
        cacheControl: CachePolicy, contentType: String
    ) -> FileResponse {
        var headers: [(name: String, value: String)] = [
            ("ETag", validators.entityTag.description),
            ("Last-Modified", HTTPDate.format(validators.lastModified)),
            ("Cache-Control", cacheControl.headerValue),
        ]
        switch plan {
        case .notModified:
            return FileResponse(status: 304, headers: headers, body: .none, contentLength: 0)
        case .preconditionFailed:
            return FileResponse.preconditionFailed
        case .rangeNotSatisfiable:
            return FileResponse.error(416, reason: "Range Not Satisfiable", extra: [
                ("Content-Range", ContentRange.unsatisfied(size: file.size)), ("Accept-Ranges", "bytes"),
            ])
        case .full:
            headers += [("Content-Type", contentType), ("Accept-Ranges", "bytes")]
            return body(200, headers: headers, parts: [.init(range: 0..<file.size)], file: file, content: content)
        case .partial(let range):
            headers += [("Content-Type", contentType), ("Accept-Ranges", "bytes"), ("Content-Range", ContentRange.bytes(range, size: file.size))]
            return body(206, headers: headers, parts: [.init(range: range)], file: file, content: content)
        case .multipart(let ranges):
            let layout = MultipartByteRanges(ranges: ranges, size: file.size, partContentType: contentType)
            headers += [("Content-Type", layout.contentType), ("Accept-Ranges", "bytes")]
            var parts = ranges.indices.map { FileResponse.Part(prefix: layout.header(ofPart: $0), range: ranges[$0]) }
            parts.append(.init(prefix: layout.closing, range: 0..<0))
            return body(206, headers: headers, parts: parts, file: file, content: content)
        }
    }

    /// A body of file `parts`: slices of the cached bytes when the file is in memory, else the
    /// file itself.
    private func body(_ status: Int, headers: [(name: String, value: String)], parts: [FileResponse.Part], file: OpenedFile, content: ByteBuffer?) -> FileResponse {
        let length = parts.reduce(Int64(0)) { $0 + Int64($1.prefix?.utf8.count ?? 0) + Int64($1.range.count) }
        let headers = headers + [("Content-Length", String(length))]
        guard let content else {
            return FileResponse(status: status, headers: headers, body: length == 0 ? .none : .file(file, parts: parts), contentLength: length)
        }
        var buffers: [ByteBuffer] = []
        for part in parts {
            if let prefix = part.prefix { buffers.append(ByteBuffer(string: prefix)) }
            if !part.range.isEmpty, let slice = content.getSlice(at: content.readerIndex + Int(part.range.lowerBound), length: part.range.count) {
                buffers.append(slice)
            }
        }
        return FileResponse(status: status, headers: headers, body: buffers.isEmpty ? .none : .bytes(buffers), contentLength: length)
    }

    /// Reads `fill`'s file into the cache on `threadPool`, unless it is being read already;
    /// returns at once. A file that changed size meanwhile is not stored.
    func fill(_ fill: CacheFill, on threadPool: NIOThreadPool) {
        guard filling.insert(fill.key) else { return }
        let (cache, filling) = (self.cache, self.filling)
        threadPool.submit { state in
            defer { filling.remove(fill.key) }
            guard case .active = state else { return }
            let size = Int(fill.file.size)
            var buffer = ByteBufferAllocator().buffer(capacity: size)
            let read = try? buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { pointer in
                try fill.file.read(into: UnsafeMutableRawBufferPointer(rebasing: pointer[..<size]), at: 0)
            }
            if read == size { cache.store(buffer, for: fill.key, identity: fill.file.identity) }
        }
    }
}

/// A set of strings shared between threads.
final class KeySet: Sendable {
    private let keys = Mutex(Set<String>())

    /// Adds `key`; false when it was there already.
    func insert(_ key: String) -> Bool {
        keys.withLock { $0.insert(key).inserted }
    }

    func remove(_ key: String) {
        _ = keys.withLock { $0.remove(key) }
    }
}
