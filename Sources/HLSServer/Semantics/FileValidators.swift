/// What a file offers for conditional requests: its strong ETag, its modification second and
/// its size.
public struct FileValidators: Sendable, Hashable {
    public var entityTag: EntityTag
    /// Unix seconds (Last-Modified has one-second resolution).
    public var lastModified: Int64
    public var size: Int64

    public init(entityTag: EntityTag, lastModified: Int64, size: Int64) {
        self.entityTag = entityTag
        self.lastModified = lastModified
        self.size = size
    }
}

/// The request headers that decide a file response, as raw values (nil when absent).
public struct FileRequestHeaders: Sendable, Hashable {
    public var isHead: Bool
    public var ifMatch: String?
    public var ifNoneMatch: String?
    public var ifModifiedSince: String?
    public var ifUnmodifiedSince: String?
    public var ifRange: String?
    public var range: String?

    public init(
        isHead: Bool = false, ifMatch: String? = nil, ifNoneMatch: String? = nil, ifModifiedSince: String? = nil,
        ifUnmodifiedSince: String? = nil, ifRange: String? = nil, range: String? = nil
    ) {
        self.isHead = isHead
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.ifUnmodifiedSince = ifUnmodifiedSince
        self.ifRange = ifRange
        self.range = range
    }
}

/// What to answer for a GET or HEAD of an existing file.
public enum FileResponsePlan: Sendable, Hashable {
    /// 200 with the whole file.
    case full
    /// 304: validators and cache headers, no body.
    case notModified
    /// 412: a precondition failed.
    case preconditionFailed
    /// 206 with one range (Content-Range).
    case partial(Range<Int64>)
    /// 206 multipart/byteranges.
    case multipart([Range<Int64>])
    /// 416 with `Content-Range: bytes */SIZE`.
    case rangeNotSatisfiable

    /// Evaluates the conditional and range headers in RFC 9110 §13.2.2 order.
    ///
    /// `now` (Unix seconds) lets If-Modified-Since dates in the future be ignored.
    public static func evaluate(_ request: FileRequestHeaders, validators: FileValidators, now: Int64) -> FileResponsePlan {
        // 1. If-Match: strong comparison; "*" matches any existing file.
        if let value = request.ifMatch {
            // An unparseable If-Match cannot match.
            guard EntityTagList(parsing: value)?.matchesStrongly(validators.entityTag) == true else { return .preconditionFailed }
        } else if let value = request.ifUnmodifiedSince, let date = HTTPDate.parse(value) {
            // 2. If-Unmodified-Since, only without If-Match; an invalid date is ignored.
            if validators.lastModified > date { return .preconditionFailed }
        }
        // 3. If-None-Match: weak comparison; GET and HEAD get 304.
        if let value = request.ifNoneMatch {
            if EntityTagList(parsing: value)?.matchesWeakly(validators.entityTag) == true { return .notModified }
        } else if let value = request.ifModifiedSince, let date = HTTPDate.parse(value), date <= now {
            // 4. If-Modified-Since, only without If-None-Match; future dates are ignored.
            if validators.lastModified <= date { return .notModified }
        }
        // 5. Range, subject to If-Range.
        guard let rangeHeader = request.range, let specs = RangeSpecifier.parse(rangeHeader) else { return .full }
        if let ifRange = request.ifRange, !ifRangeHolds(ifRange, validators: validators) { return .full }
        guard let set = ByteRangeSet(specs, size: validators.size) else { return .rangeNotSatisfiable }
        return set.ranges.count == 1 ? .partial(set.ranges[0]) : .multipart(set.ranges)
    }

    /// If-Range holds for a strongly matching ETag, or a date exactly equal to Last-Modified.
    static func ifRangeHolds(_ value: String, validators: FileValidators) -> Bool {
        let trimmed = value.trimmingWhitespace()
        if trimmed.hasPrefix("\"") || trimmed.hasPrefix("W/") {
            return EntityTag(parsing: trimmed).map { $0.matchesStrongly(validators.entityTag) } ?? false
        }
        return HTTPDate.parse(trimmed) == validators.lastModified
    }
}
