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

    /// The validators of a response whose Date is `now`: `lastModified` is the file's
    /// modification second `modified` clamped by ``lastModified(modified:now:)``, so the
    /// Last-Modified header formed from it is never later than Date.
    public init(entityTag: EntityTag, modified: Int64, size: Int64, now: Int64) {
        self.init(entityTag: entityTag, lastModified: Self.lastModified(modified: modified, now: now), size: size)
    }

    /// The Last-Modified a response whose Date is `now` states for a file modified at `modified`
    /// (both Unix seconds): the modification second, or `now` when that is in the future.
    ///
    /// RFC 9110 §8.8.2.1: "An origin server with a clock ... MUST NOT generate a Last-Modified
    /// date that is later than the server's time of message origination (Date ...). If the last
    /// modification time is derived from implementation-specific metadata that evaluates to some
    /// time in the future, according to the origin server's clock, then the origin server MUST
    /// replace that value with the message origination date."
    public static func lastModified(modified: Int64, now: Int64) -> Int64 {
        min(modified, now)
    }

    /// Whether Last-Modified, compared by this origin server at `now`, is a strong validator
    /// (RFC 9110 §8.8.2.2): it is at least one second before the Date `now`.
    ///
    /// §8.8.2.2: a Last-Modified time "is implicitly weak unless it is possible to deduce that it
    /// is strong": for an origin server, when it "reliably knows that the associated
    /// representation did not change twice during the second covered by the presented
    /// validator". A file can still change within the second its Last-Modified names until that
    /// second is over, and "if two different responses were sent by the origin server during the
    /// same second, but both had the same Last-Modified time, then at least one of those responses
    /// would have a Date value equal to its Last-Modified time": so the date is strong only once
    /// Date is past it. A future modification time, clamped to Date, is never strong.
    public func lastModifiedIsStrong(now: Int64) -> Bool {
        Self.lastModified(modified: lastModified, now: now) <= now - 1
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

extension FileRequestHeaders {
    /// No condition and no range: the answer is the whole file (200), whatever its validators.
    public var isUnconditionalWholeFile: Bool {
        ifMatch == nil && ifNoneMatch == nil && ifModifiedSince == nil && ifUnmodifiedSince == nil && ifRange == nil && range == nil
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
    /// `now` (Unix seconds) is the response's Date, the server's time of message origination;
    /// the Last-Modified every comparison uses is `validators.lastModified` clamped to it
    /// (``FileValidators/lastModified(modified:now:)``, §8.8.2.1), the value the response
    /// states. A date condition compares whole seconds, Last-Modified's resolution.
    public static func evaluate(_ request: FileRequestHeaders, validators: FileValidators, now: Int64) -> FileResponsePlan {
        let lastModified = FileValidators.lastModified(modified: validators.lastModified, now: now)
        // 1. If-Match (§13.1.1): strong comparison; "*" matches any existing file.
        if let value = request.ifMatch {
            // An unparseable If-Match cannot match.
            guard EntityTagList(parsing: value)?.matchesStrongly(validators.entityTag) == true else { return .preconditionFailed }
        } else if let value = request.ifUnmodifiedSince, let date = HTTPDate.parse(value) {
            // 2. If-Unmodified-Since (§13.1.4), only without If-Match. "If the selected
            // representation's last modification date is earlier than or equal to the date
            // provided in the field value, the condition is true": any later date holds, one in
            // the future included. "A recipient MUST ignore the If-Unmodified-Since header field if
            // the received field value is not a valid HTTP-date (including when the field value
            // appears to be a list of dates)": `parse` gives nil for both.
            if lastModified > date { return .preconditionFailed }
        }
        // 3. If-None-Match (§13.1.2): weak comparison; GET and HEAD get 304.
        if let value = request.ifNoneMatch {
            if EntityTagList(parsing: value)?.matchesWeakly(validators.entityTag) == true { return .notModified }
        } else if let value = request.ifModifiedSince, let date = HTTPDate.parse(value) {
            // 4. If-Modified-Since (§13.1.3), only without If-None-Match. "If the selected
            // representation's last modification date is earlier or equal to the date provided in
            // the field value, the condition is false" and the answer is 304: any later date, one
            // in the future included (RFC 9110 dropped RFC 2616's "A date which is later than the
            // server's current time is invalid"). "A recipient MUST ignore the If-Modified-Since
            // header field if the received field value is not a valid HTTP-date, the field value
            // has more than one member": `parse` gives nil for both (repeated fields arrive joined
            // by commas).
            if lastModified <= date { return .notModified }
        }
        // 5. Range (§14.2), subject to If-Range (§13.1.5).
        guard let rangeHeader = request.range, let specs = RangeSpecifier.parse(rangeHeader) else { return .full }
        if let ifRange = request.ifRange, !ifRangeHolds(ifRange, validators: validators, now: now) { return .full }
        guard let set = ByteRangeSet(specs, size: validators.size) else { return .rangeNotSatisfiable }
        return set.ranges.count == 1 ? .partial(set.ranges[0]) : .multipart(set.ranges)
    }

    /// Whether If-Range holds (RFC 9110 §13.1.5); when it does not, the Range is ignored and the
    /// whole representation is sent.
    ///
    /// An entity-tag (recognised by its DQUOTE, or `W/`) holds when it "exactly matches the ETag
    /// field value for the selected representation using the strong comparison function": a weak
    /// tag never does. An HTTP-date holds only when it is strong and equal: "If the HTTP-date
    /// validator provided is not a strong validator in the sense defined by Section 8.8.2.2, the
    /// condition is false. If the HTTP-date validator provided exactly matches the Last-Modified
    /// field value for the selected representation, the condition is true. Otherwise, the
    /// condition is false." The date is strong when Last-Modified is at least one second before
    /// `now`, the response's Date (``FileValidators/lastModifiedIsStrong(now:)``); a file
    /// modified within the last second, or in the future, never matches by date.
    static func ifRangeHolds(_ value: String, validators: FileValidators, now: Int64) -> Bool {
        let trimmed = value.trimmingWhitespace()
        if trimmed.hasPrefix("\"") || trimmed.hasPrefix("W/") {
            return EntityTag(parsing: trimmed).map { $0.matchesStrongly(validators.entityTag) } ?? false
        }
        guard let date = HTTPDate.parse(trimmed), validators.lastModifiedIsStrong(now: now) else { return false }
        return date == FileValidators.lastModified(modified: validators.lastModified, now: now)
    }
}
