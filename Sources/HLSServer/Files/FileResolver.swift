import HLSPlaylist
import NIOCore
import NIOPosix
import Synchronization

/// Decides the response to a GET or HEAD of a file below a served root, by RFC 9110: resolves
/// the path (never leaving the root), reads the validators, picks the Cache-Control policy,
/// evaluates the conditions and ranges (``FileResponsePlan``) and lays out the head and body.
///
/// Synchronous, and cheap enough to run on an event loop: a path already served whole from
/// memory costs one `fstatat` that checks the file is the same (inode, size, mtime); any other
/// an `openat2` and an `fstat` (answered from the kernel's dentry and inode caches). Small files
/// (playlists, init segments, most segments) come from memory. A small file not in memory yet is answered from
/// the file, and ``CacheFill`` tells the caller to read it into the cache off the event loop.
/// Reading happens inline for playlists only: a new version of a playlist (up to 256 KiB) is
/// read into the cache where it is first asked for, with one `pread` of page-cached bytes,
/// since every waiting player asks for it at once; and a playlist with no manifest beside it
/// (a hand-made tree) or asked for as a delta update is parsed once per version of the file.
struct FileResolver: Sendable {
    let cache: SmallFileCache
    /// Descriptors of the files too large for `cache`, kept open while their paths name them.
    let openFiles: OpenFileCache
    /// The cache policies of playlists without a manifest beside them, by file identity.
    let playlistPolicies = IdentityCache<CachePolicy>()
    /// The rendered 200 heads of files too large for memory, by file.
    private let largeFileHeads = FileCache<SmallFileCache.RenderedHead>()
    /// ETag and Last-Modified texts, by file.
    private let validatorTexts = FileCache<ValidatorText>()
    /// Playlist delta updates (`_HLS_skip`), by file: nil when the playlist offers none.
    private let deltas = FileCache<DeltaUpdate>()
    /// The fields every 206 of a single range shares, by file: players and browsers seeking in
    /// a source file ask for ranges, each a different one.
    private let rangeHeads = FileCache<SmallFileCache.RenderedHead>()
    /// Paths served whole from memory with a final Cache-Control, and the file they named then.
    private let knownPaths = PathIndex()
    /// Small files being read into the cache now: a thousand clients missing the same
    /// file start one read, not a thousand.
    private let filling = KeySet()

    /// How a root's files are cached by clients.
    enum Policy: Sendable {
        /// The HLS library: segments immutable, playlists by their state.
        case library(catalog: AssetCatalog)
        /// Source files.
        case media
    }

    init(cache: SmallFileCache) {
        self.cache = cache
        openFiles = OpenFileCache(keepingFilesLargerThan: cache.maximumFileSize)
    }

    /// A small file to read into the cache, off the event loop.
    struct CacheFill {
        var file: OpenedFile
    }

    /// The response to a request for `encodedPath` (percent-encoded, below `root`) with
    /// `headers`, at `now` (seconds since the epoch, the Date the response will carry).
    ///
    /// With `deltaUpdate` (a `_HLS_skip` request), a library playlist that offers delta updates
    /// is answered with its Playlist Delta Update, a representation of its own (its ETag is the
    /// file's with `-delta`), under the same conditional and range rules. With `reload` (the
    /// request was a blocking reload, `_HLS_msn`), a growing playlist's Cache-Control is
    /// ``CachePolicy/answeredReload(targetDuration:)``. With `signature` (the request carried
    /// one, and ``SignedAccess`` let it through), a playlist is answered with the signature in
    /// every URI it names (``respond(_:signing:file:path:content:policy:now:deltaUpdate:reload:)``).
    func resolve(
        _ headers: FileRequestHeaders, root: ServedRoot, encodedPath: Substring, policy: Policy, now: Int64,
        deltaUpdate: Bool = false, reload: Bool = false, signature: URLSignature? = nil
    ) -> (response: FileResponse, fill: CacheFill?) {
        guard let relative = RequestPath.relative(encodedPath) else {
            return (headers.isHead ? FileResponse.notFound.withoutBody() : FileResponse.notFound, nil)
        }
        // A signed playlist is the viewer's own representation, never the one every player shares.
        let signedPlaylist = signature != nil && LibraryLayout.isPlaylist(relative)
        if headers.isUnconditionalWholeFile, !deltaUpdate, !reload, !signedPlaylist, let hot = hotResponse(relative, root: root, isHead: headers.isHead) {
            return (hot, nil)
        }
        guard let file = openFiles.file(at: relative, in: root, now: now) else {
            return (headers.isHead ? FileResponse.notFound.withoutBody() : FileResponse.notFound, nil)
        }
        let path = FilePath(relative)
        var cached = file.size <= cache.maximumFileSize ? cache.entry(for: file.identity) : nil
        if cached == nil, LibraryLayout.isPlaylist(path.name), let bytes = file.readAll(limit: Self.inlinePlaylistSize) {
            // A new version of a playlist is asked for by every player at once (a thousand
            // blocking reloads are released together): read it here, once, into the cache.
            cache.store(bytes, for: file.identity)
            cached = (bytes, nil)
        }
        let content = cached?.bytes
        let fill = content == nil && file.size <= cache.maximumFileSize ? CacheFill(file: file) : nil
        if signedPlaylist, let signature {
            let response = respond(headers, signing: signature, file: file, path: path, content: content, policy: policy, now: now, deltaUpdate: deltaUpdate, reload: reload)
            return (response, fill)
        }
        if deltaUpdate, case .library = policy, LibraryLayout.isPlaylist(path.name), let delta = self.delta(of: file, content: content) {
            let cacheControl = cachePolicy(for: path, file: file, content: content, policy: policy, reload: reload)
            return (respond(headers, representation: delta, tagSuffix: "-delta", of: file, path: path, cacheControl: cacheControl, now: now), fill)
        }
        let cacheControl = cachePolicy(for: path, file: file, content: content, policy: policy, reload: reload)
        return (respond(headers, file: file, path: path, cached: cached, cacheControl: cacheControl, root: root, now: now), fill)
    }

    /// The response to `headers` for an open file (its bytes and rendered 200 head when cached).
    private func respond(
        _ headers: FileRequestHeaders, file: OpenedFile, path: FilePath, cached: (bytes: ByteBuffer, head: SmallFileCache.RenderedHead?)?,
        cacheControl: CachePolicy, root: ServedRoot, now: Int64
    ) -> FileResponse {
        let content = cached?.bytes
        // Most requests (players fetching playlists and segments) ask for a whole file with no
        // conditions: its 200 was rendered when it was first sent, once per version of the file.
        if headers.isUnconditionalWholeFile, let content, let head = cached?.head, head.cacheControl == cacheControl {
            return FileResponse(
                status: 200, headers: head.headers, body: headers.isHead || content.readableBytes == 0 ? .none : .bytes([content]),
                contentLength: file.size, renderedHeaders: head.rendered
            )
        }
        // Last-Modified is never later than `now`, the Date sent (RFC 9110 §8.8.2.1).
        let text = validatorText(of: file)
        let validators = FileValidators(entityTag: text.entityTag, modified: file.modifiedSeconds, size: file.size, now: now)
        let plan = FileResponsePlan.evaluate(headers, validators: validators, now: now)
        // A large file's whole 200 has its head rendered once per version too; its body goes
        // from the file (sendfile on the fast path).
        if content == nil, plan == .full, headers.isUnconditionalWholeFile,
           let head = largeFileHeads.value(for: file.identity), head.cacheControl == cacheControl {
            return FileResponse(
                status: 200, headers: head.headers, body: headers.isHead || file.size == 0 ? .none : .file(file, parts: [.init(range: 0..<file.size)]),
                contentLength: file.size, renderedHeaders: head.rendered
            )
        }
        if case .partial(let range) = plan, validators.lastModified == file.modifiedSeconds {
            var response = partial(range, file: file, content: content, text: text, cacheControl: cacheControl, path: path)
            if headers.isHead { response.body = .none }
            return response
        }
        var response = layout(
            plan, file: file, content: content, validators: validators, cacheControl: cacheControl,
            contentType: MediaContentType.forPath(path.name),
            lastModifiedText: validators.lastModified == file.modifiedSeconds ? text.lastModified : HTTPDate.format(validators.lastModified)
        )
        // Stored only when Last-Modified is the file's own (not clamped to a Date before its
        // mtime): it is then right for every later request while the file is unchanged.
        if plan == .full, headers.isUnconditionalWholeFile, validators.lastModified == file.modifiedSeconds {
            let rendered = RawResponse.render(response.headers)
            response.renderedHeaders = rendered
            let head = SmallFileCache.RenderedHead(cacheControl: cacheControl, headers: response.headers, rendered: rendered)
            if content != nil {
                cache.store(head, for: file.identity)
                if cacheControl.isFinal { knownPaths.store(file.identity, root: root, relative: path.relative) }
            } else {
                largeFileHeads.store(head, for: file.identity)
            }
        }
        if headers.isHead { response.body = .none }
        return response
    }

    /// The delta update of a playlist, made once per version of the file; nil when the playlist
    /// offers none (it is then answered whole).
    private func delta(of file: OpenedFile, content: ByteBuffer?) -> ByteBuffer? {
        if let known = deltas.value(for: file.identity) { return known.bytes }
        let text = (content ?? file.readAll(limit: Self.largestParsedPlaylist)).map { String(buffer: $0) }
        let delta = text.flatMap { try? MediaPlaylist(parsing: $0) }?.deltaUpdate().map { ByteBuffer(string: $0.render()) }
        deltas.store(DeltaUpdate(bytes: delta), for: file.identity)
        return delta
    }

    /// A playlist for a signed request: its text, or its delta update's, with the signature in
    /// every URI it names (``SignedPlaylist``). A representation of its own, rewritten per
    /// request: its ETag is the file's (or the delta's) marked `-s` and the start of the
    /// signature's code, its Cache-Control the file's made `private` (``CachePolicy/perViewer(_:)``).
    private func respond(
        _ headers: FileRequestHeaders, signing signature: URLSignature, file: OpenedFile, path: FilePath, content: ByteBuffer?, policy: Policy,
        now: Int64, deltaUpdate: Bool, reload: Bool
    ) -> FileResponse {
        var delta: ByteBuffer?
        if deltaUpdate, case .library = policy { delta = self.delta(of: file, content: content) }
        guard let source = delta ?? content ?? file.readAll(limit: Self.largestParsedPlaylist) else {
            return headers.isHead ? FileResponse.notFound.withoutBody() : FileResponse.notFound
        }
        let signed = ByteBuffer(bytes: SignedPlaylist.rewrite(bytes: Array(buffer: source), query: Array(signature.query.utf8)))
        let cacheControl = CachePolicy.perViewer(cachePolicy(for: path, file: file, content: content, policy: policy, reload: reload))
        let mark = Base64URL.encode(Array(signature.code.prefix(6)))
        return respond(headers, representation: signed, tagSuffix: (delta == nil ? "" : "-delta") + "-s" + mark, of: file, path: path, cacheControl: cacheControl, now: now)
    }

    /// A representation made from a file in memory (a delta update, a signed playlist), by the
    /// same RFC 9110 rules as the file: its validators are the file's Last-Modified and its ETag
    /// marked with `tagSuffix`, its size the representation's.
    private func respond(
        _ headers: FileRequestHeaders, representation: ByteBuffer, tagSuffix: String, of file: OpenedFile, path: FilePath, cacheControl: CachePolicy,
        now: Int64
    ) -> FileResponse {
        let text = validatorText(of: file)
        let entityTag = EntityTag(opaque: text.entityTag.opaque + tagSuffix)
        let validators = FileValidators(entityTag: entityTag, modified: file.modifiedSeconds, size: Int64(representation.readableBytes), now: now)
        let plan = FileResponsePlan.evaluate(headers, validators: validators, now: now)
        var response = layout(
            plan, file: nil, content: representation, validators: validators, cacheControl: cacheControl,
            contentType: MediaContentType.forPath(path.name),
            lastModifiedText: validators.lastModified == file.modifiedSeconds ? text.lastModified : HTTPDate.format(validators.lastModified)
        )
        if headers.isHead { response.body = .none }
        return response
    }

    /// The 206 of one range: the fields that do not depend on the range were rendered once per
    /// version of the file (and policy), the range's two are added. The same fields, in the same
    /// order, as ``layout(_:file:content:validators:cacheControl:contentType:lastModifiedText:)``.
    private func partial(
        _ range: Range<Int64>, file: OpenedFile, content: ByteBuffer?, text: ValidatorText, cacheControl: CachePolicy, path: FilePath
    ) -> FileResponse {
        let common: SmallFileCache.RenderedHead
        if let known = rangeHeads.value(for: file.identity), known.cacheControl == cacheControl {
            common = known
        } else {
            let fields = [
                ("ETag", text.entityTag.description), ("Last-Modified", text.lastModified), ("Cache-Control", cacheControl.headerValue),
                ("Content-Type", MediaContentType.forPath(path.name)), ("Accept-Ranges", "bytes"),
            ]
            common = .init(cacheControl: cacheControl, headers: fields, rendered: RawResponse.render(fields))
            rangeHeads.store(common, for: file.identity)
        }
        let contentRange = ContentRange.bytes(range, size: file.size)
        let contentLength = String(range.count)
        var rendered = ByteBufferAllocator().buffer(capacity: common.rendered.readableBytes + 96)
        rendered.writeImmutableBuffer(common.rendered)
        rendered.writeStaticString("Content-Range: ")
        rendered.writeString(contentRange)
        rendered.writeStaticString("\r\nContent-Length: ")
        rendered.writeString(contentLength)
        rendered.writeStaticString("\r\n")
        let slice = content.flatMap { $0.getSlice(at: $0.readerIndex + Int(range.lowerBound), length: range.count) }
        return FileResponse(
            status: 206, headers: common.headers + [("Content-Range", contentRange), ("Content-Length", contentLength)],
            body: range.isEmpty ? .none : slice.map { .bytes([$0]) } ?? .file(file, parts: [.init(range: range)]),
            contentLength: Int64(range.count), renderedHeaders: rendered
        )
    }

    /// The 200 of a whole file sent before, found with one `fstatat` (no open, no fstat, no close):
    /// a path whose file was opened below the root, sent whole with a final Cache-Control
    /// (segments, finished playlists, media files), and whose (device, inode, size, mtime) is
    /// still the same, names the same bytes, already in memory with their rendered head. A final
    /// policy stays right while the file is unchanged (a replaced asset has new files), so the
    /// manifest is not asked either. Nil sends the request the long way.
    private func hotResponse(_ relative: String, root: ServedRoot, isHead: Bool) -> FileResponse? {
        guard let known = knownPaths.identity(root: root, relative: relative),
              let identity = root.identity(of: relative), identity == known,
              let cached = cache.entry(for: identity), let head = cached.head, head.cacheControl.isFinal else { return nil }
        return FileResponse(
            status: 200, headers: head.headers, body: isHead || cached.bytes.readableBytes == 0 ? .none : .bytes([cached.bytes]),
            contentLength: identity.size, renderedHeaders: head.rendered
        )
    }

    /// A file's strong ETag and Last-Modified text, formatted once per version of the file.
    private func validatorText(of file: OpenedFile) -> ValidatorText {
        if let known = validatorTexts.value(for: file.identity) { return known }
        let text = ValidatorText(
            entityTag: EntityTag(inode: file.inode, size: file.size, modifiedNanoseconds: file.modifiedNanoseconds),
            lastModified: HTTPDate.format(file.modifiedSeconds)
        )
        validatorTexts.store(text, for: file.identity)
        return text
    }

    /// The head and body of `plan`.
    private func layout(
        _ plan: FileResponsePlan, file: OpenedFile?, content: ByteBuffer?, validators: FileValidators,
        cacheControl: CachePolicy, contentType: String, lastModifiedText: String
    ) -> FileResponse {
        var headers: [(name: String, value: String)] = [
            ("ETag", validators.entityTag.description),
            ("Last-Modified", lastModifiedText),
            ("Cache-Control", cacheControl.headerValue),
        ]
        switch plan {
        case .notModified:
            return FileResponse(status: 304, headers: headers, body: .none, contentLength: 0)
        case .preconditionFailed:
            return FileResponse.preconditionFailed
        case .rangeNotSatisfiable:
            return FileResponse.error(416, reason: "Range Not Satisfiable", extra: [
                ("Content-Range", ContentRange.unsatisfied(size: validators.size)), ("Accept-Ranges", "bytes"),
            ])
        case .full:
            headers += [("Content-Type", contentType), ("Accept-Ranges", "bytes")]
            return body(200, headers: headers, parts: [.init(range: 0..<validators.size)], file: file, content: content)
        case .partial(let range):
            headers += [("Content-Type", contentType), ("Accept-Ranges", "bytes"), ("Content-Range", ContentRange.bytes(range, size: validators.size))]
            return body(206, headers: headers, parts: [.init(range: range)], file: file, content: content)
        case .multipart(let ranges):
            let layout = MultipartByteRanges(ranges: ranges, size: validators.size, partContentType: contentType)
            headers += [("Content-Type", layout.contentType), ("Accept-Ranges", "bytes")]
            var parts = ranges.indices.map { FileResponse.Part(prefix: layout.header(ofPart: $0), range: ranges[$0]) }
            parts.append(.init(prefix: layout.closing, range: 0..<0))
            return body(206, headers: headers, parts: parts, file: file, content: content)
        }
    }

    /// A body of `parts`: slices of the bytes when the representation is in memory (a cached
    /// file, a generated delta update), else the file itself.
    private func body(_ status: Int, headers: [(name: String, value: String)], parts: [FileResponse.Part], file: OpenedFile?, content: ByteBuffer?) -> FileResponse {
        let length = parts.reduce(Int64(0)) { $0 + Int64($1.prefix?.utf8.count ?? 0) + Int64($1.range.count) }
        let headers = headers + [("Content-Length", String(length))]
        guard let content else {
            guard let file else { preconditionFailure("a body with neither bytes nor a file") }
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

    /// Playlists up to this size are read into the cache where they are first asked for (one
    /// `pread` of page-cached bytes), not on the thread pool.
    static let inlinePlaylistSize: Int64 = 256 << 10

    /// Reads `fill`'s file into the cache on `threadPool`, unless it is being read already;
    /// returns at once. A file that changed size meanwhile is not stored.
    func fill(_ fill: CacheFill, on threadPool: NIOThreadPool) {
        guard filling.insert(fill.file.identity.file) else { return }
        let (cache, filling) = (self.cache, self.filling)
        threadPool.submit { state in
            defer { filling.remove(fill.file.identity.file) }
            guard case .active = state else { return }
            if let bytes = fill.file.readAll(limit: .max) { cache.store(bytes, for: fill.file.identity) }
        }
    }
}

/// A set of files shared between threads.
final class KeySet: Sendable {
    private let keys = Mutex(Set<FileKey>())

    /// Adds `key`; false when it was there already.
    func insert(_ key: FileKey) -> Bool {
        keys.withLock { $0.insert(key).inserted }
    }

    func remove(_ key: FileKey) {
        _ = keys.withLock { $0.remove(key) }
    }
}

/// A checked path relative to a served root, and its first and last components.
struct FilePath {
    let relative: String

    init(_ relative: String) {
        self.relative = relative
    }

    /// The first component: in the library, the asset.
    var first: Substring {
        relative.utf8.firstIndex(of: UInt8(ascii: "/")).map { Substring(relative.utf8[..<$0]) } ?? relative[...]
    }

    /// The last component: the file's name.
    var name: Substring {
        relative.utf8.lastIndex(of: UInt8(ascii: "/")).map { Substring(relative.utf8[relative.utf8.index(after: $0)...]) } ?? relative[...]
    }
}

/// The identity of the file each served path named when it was last opened below its root.
final class PathIndex: Sendable {
    private struct Key: Hashable {
        var root: ObjectIdentifier
        var relative: String
    }

    private let entries = Mutex<[Key: FileIdentity]>([:])

    func identity(root: ServedRoot, relative: String) -> FileIdentity? {
        entries.withLock { $0[Key(root: ObjectIdentifier(root), relative: relative)] }
    }

    func store(_ identity: FileIdentity, root: ServedRoot, relative: String) {
        entries.withLock { entries in
            // Bounded by the files served; forget all past a sane size.
            if entries.count > 50_000 { entries.removeAll() }
            entries[Key(root: ObjectIdentifier(root), relative: relative)] = identity
        }
    }
}

/// A playlist's delta update as rendered, or nil when the playlist offers none.
struct DeltaUpdate: Sendable {
    var bytes: ByteBuffer?
}

/// A file's validators as sent.
struct ValidatorText: Sendable {
    var entityTag: EntityTag
    /// The file's own modification time as an HTTP date (a Last-Modified later than Date is
    /// clamped, and formatted then).
    var lastModified: String
}

/// Values derived from files, by file (device, inode), valid while the file's identity is unchanged.
final class FileCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[FileKey: (identity: FileIdentity, value: Value)]>([:])

    func value(for identity: FileIdentity) -> Value? {
        entries.withLock { entries in
            guard let entry = entries[identity.file], entry.identity == identity else { return nil }
            return entry.value
        }
    }

    func store(_ value: Value, for identity: FileIdentity) {
        entries.withLock { entries in
            // Bounded by the files served; forget all past a sane size.
            if entries.count > 50_000 { entries.removeAll() }
            entries[identity.file] = (identity, value)
        }
    }
}
