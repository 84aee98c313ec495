import HLSServer
import Testing

@Suite("HTTP dates")
struct HTTPDateTests {
    @Test(arguments: [
        ("Sun, 06 Nov 1994 08:49:37 GMT", Int64(784_111_777)),
        ("Sunday, 06-Nov-94 08:49:37 GMT", Int64(784_111_777)),
        ("Sun Nov  6 08:49:37 1994", Int64(784_111_777)),
        ("Mon, 01 Jan 2024 00:00:00 GMT", Int64(1_704_067_200)),
        ("Thu, 01 Jan 1970 00:00:00 GMT", Int64(0)),
    ])
    func parses(text: String, seconds: Int64) {
        #expect(HTTPDate.parse(text) == seconds)
    }

    @Test(arguments: [
        "", "yesterday", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "784111777",
        "Sun, 06 Nov 1994 08:49 GMT",
    ])
    func rejects(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test(arguments: [Int64(0), 784_111_777, 1_704_067_200, 4_102_444_799])
    func roundTrips(seconds: Int64) {
        #expect(HTTPDate.parse(HTTPDate.format(seconds)) == seconds)
    }

    @Test func formatsIMFFixdate() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}

@Suite("Entity tags")
struct EntityTagTests {
    @Test func parsesListsAndWildcard() {
        #expect(EntityTagList(parsing: "*") == .any)
        #expect(EntityTagList(parsing: " \"a\" , W/\"b\",,\"c,d\"") == .tags([
            EntityTag(opaque: "a"), EntityTag(opaque: "b", isWeak: true), EntityTag(opaque: "c,d"),
        ]))
    }

    @Test(arguments: ["", "a", "\"unterminated", "W/a", "\"a\" \"b\"", "*, \"a\"", "\"a\"x", "w/\"a\""])
    func rejectsMalformedLists(text: String) {
        #expect(EntityTagList(parsing: text) == nil)
    }

    @Test func comparisons() {
        let strong = EntityTag(opaque: "x")
        let weak = EntityTag(opaque: "x", isWeak: true)
        #expect(strong.matchesStrongly(strong))
        #expect(!strong.matchesStrongly(weak) && !weak.matchesStrongly(weak))
        #expect(strong.matchesWeakly(weak) && weak.matchesWeakly(weak))
        #expect(!strong.matchesWeakly(EntityTag(opaque: "y")))
    }

    @Test func fileTagChangesWithEveryField() {
        let base = EntityTag(inode: 1, size: 2, modifiedNanoseconds: 3)
        #expect(base.description == "\"1-2-3\"")
        #expect(base != EntityTag(inode: 9, size: 2, modifiedNanoseconds: 3))
        #expect(base != EntityTag(inode: 1, size: 9, modifiedNanoseconds: 3))
        #expect(base != EntityTag(inode: 1, size: 2, modifiedNanoseconds: 4))
    }
}

@Suite("Range parsing and resolution")
struct RangeTests {
    @Test(arguments: [
        ("bytes=0-499", [RangeSpecifier.from(first: 0, last: 499)]),
        ("bytes=500-", [.from(first: 500, last: nil)]),
        ("bytes=-500", [.suffix(length: 500)]),
        ("BYTES = 0-0 , -1", [.from(first: 0, last: 0), .suffix(length: 1)]),
        ("bytes=0-1,,2-3", [.from(first: 0, last: 1), .from(first: 2, last: 3)]),
    ])
    func parses(header: String, expected: [RangeSpecifier]) {
        #expect(RangeSpecifier.parse(header) == expected)
    }

    @Test(arguments: [
        "", "bytes", "bytes=", "bytes=,", "items=0-1", "bytes=5-2", "bytes=a-b", "bytes=1", "bytes=--1", "bytes=-1-2",
        "bytes=+1-2", "bytes=0-99999999999999999999", "bytes 0-1",
    ])
    func invalidIsNil(header: String) {
        #expect(RangeSpecifier.parse(header) == nil)
    }

    @Test(arguments: [
        ("bytes=0-99", 1000, [0..<100]),
        ("bytes=990-5000", 1000, [990..<1000]),
        ("bytes=-5000", 1000, [0..<1000]),
        ("bytes=0-0,999-999", 1000, [0..<1, 999..<1000]),
        ("bytes=0-9,5-19", 1000, [0..<20]),
        ("bytes=0-9,50-59", 1000, [0..<60]),
        ("bytes=0-9,100-109", 1000, [0..<10, 100..<110]),
        ("bytes=100-109,0-9", 1000, [0..<10, 100..<110]),
        ("bytes=2000-,0-1", 1000, [0..<2]),
    ] as [(String, Int64, [Range<Int64>])])
    func resolves(header: String, size: Int64, expected: [Range<Int64>]) throws {
        let specs = try #require(RangeSpecifier.parse(header))
        #expect(ByteRangeSet(specs, size: size)?.ranges == expected)
    }

    @Test(arguments: [("bytes=1000-", 1000), ("bytes=-0", 1000), ("bytes=0-", 0), ("bytes=-10", 0), ("bytes=5000-6000,1000-", 1000)] as [(String, Int64)])
    func unsatisfiable(header: String, size: Int64) throws {
        let specs = try #require(RangeSpecifier.parse(header))
        #expect(ByteRangeSet(specs, size: size) == nil)
    }

    @Test func manyPartsCollapseAndNeverAmplify() throws {
        let header = "bytes=" + stride(from: 0, to: 100_000, by: 1000).map { "\($0)-\($0 + 9)" }.joined(separator: ",")
        let specs = try #require(RangeSpecifier.parse(header))
        let set = try #require(ByteRangeSet(specs, size: 100_000))
        #expect(set.ranges == [0..<99_010])
        let repeated = try #require(RangeSpecifier.parse("bytes=" + Array(repeating: "0-", count: 200).joined(separator: ",")))
        let whole = try #require(ByteRangeSet(repeated, size: 1000))
        #expect(whole.byteCount == 1000)
    }
}

@Suite("Conditional requests (RFC 9110 §13.2.2)")
struct ConditionalTests {
    let validators = FileValidators(entityTag: EntityTag(opaque: "v1"), lastModified: 1_704_067_200, size: 1000)
    let now: Int64 = 1_800_000_000
    let lastModified = "Mon, 01 Jan 2024 00:00:00 GMT"
    let earlier = "Sun, 31 Dec 2023 00:00:00 GMT"
    let later = "Tue, 02 Jan 2024 00:00:00 GMT"

    private func plan(_ headers: FileRequestHeaders) -> FileResponsePlan {
        FileResponsePlan.evaluate(headers, validators: validators, now: now)
    }

    @Test func preconditions() {
        #expect(plan(.init(ifMatch: "\"v1\"")) == .full)
        #expect(plan(.init(ifMatch: "\"v2\"")) == .preconditionFailed)
        #expect(plan(.init(ifMatch: "W/\"v1\"")) == .preconditionFailed)
        #expect(plan(.init(ifMatch: "*")) == .full)
        #expect(plan(.init(ifMatch: "garbage")) == .preconditionFailed)
        #expect(plan(.init(ifUnmodifiedSince: earlier)) == .preconditionFailed)
        #expect(plan(.init(ifUnmodifiedSince: lastModified)) == .full)
        #expect(plan(.init(ifUnmodifiedSince: "not a date")) == .full)
        #expect(plan(.init(ifMatch: "\"v1\"", ifUnmodifiedSince: earlier)) == .full, "If-Unmodified-Since only without If-Match")
    }

    @Test func revalidation() {
        #expect(plan(.init(ifNoneMatch: "\"v1\"")) == .notModified)
        #expect(plan(.init(ifNoneMatch: "W/\"v1\"")) == .notModified)
        #expect(plan(.init(ifNoneMatch: "\"v0\", \"v1\"")) == .notModified)
        #expect(plan(.init(ifNoneMatch: "*")) == .notModified)
        #expect(plan(.init(ifNoneMatch: "\"v2\"")) == .full)
        #expect(plan(.init(ifModifiedSince: lastModified)) == .notModified)
        #expect(plan(.init(ifModifiedSince: later)) == .notModified)
        #expect(plan(.init(ifModifiedSince: earlier)) == .full)
        #expect(plan(.init(ifModifiedSince: "Fri, 01 Jan 2100 00:00:00 GMT")) == .notModified, "a future date is a later date")
        #expect(plan(.init(ifNoneMatch: "\"v2\"", ifModifiedSince: lastModified)) == .full, "If-Modified-Since only without If-None-Match")
        #expect(plan(.init(ifMatch: "\"v2\"", ifNoneMatch: "\"v1\"")) == .preconditionFailed, "412 before 304")
    }

    @Test func ranges() {
        #expect(plan(.init(range: "bytes=0-9")) == .partial(0..<10))
        #expect(plan(.init(range: "bytes=0-9,500-509")) == .multipart([0..<10, 500..<510]))
        #expect(plan(.init(range: "bytes=1000-")) == .rangeNotSatisfiable)
        #expect(plan(.init(range: "bytes=9-0")) == .full)
        #expect(plan(.init(ifNoneMatch: "\"v1\"", range: "bytes=0-9")) == .notModified)
        #expect(plan(.init(ifRange: "\"v1\"", range: "bytes=0-9")) == .partial(0..<10))
        #expect(plan(.init(ifRange: "\"v2\"", range: "bytes=0-9")) == .full)
        #expect(plan(.init(ifRange: "W/\"v1\"", range: "bytes=0-9")) == .full)
        #expect(plan(.init(ifRange: lastModified, range: "bytes=0-9")) == .partial(0..<10))
        #expect(plan(.init(ifRange: later, range: "bytes=0-9")) == .full, "If-Range dates must match exactly")
        #expect(plan(.init(ifRange: "\"v2\"")) == .full, "If-Range without Range does nothing")
    }
}

/// One conditional request against a file modified at `modified`, answered at `now` (the
/// response's Date), both Unix seconds.
struct DateConditionCase: Sendable, CustomTestStringConvertible {
    var name: String
    var headers: FileRequestHeaders
    var modified: Int64 = dateL
    var now: Int64 = dateN
    var expected: FileResponsePlan

    var testDescription: String { name }

    var plan: FileResponsePlan {
        let validators = FileValidators(entityTag: EntityTag(opaque: "v1"), modified: modified, size: 1000, now: now)
        return FileResponsePlan.evaluate(headers, validators: validators, now: now)
    }
}

/// Mon, 01 Jan 2024 00:00:00 GMT: the file's modification second.
let dateL: Int64 = 1_704_067_200
/// Fri, 15 Jan 2027 08:00:00 GMT: the response's Date.
let dateN: Int64 = 1_800_000_000
/// Fri, 01 Jan 2100 00:00:00 GMT.
let date2100: Int64 = 4_102_444_800
private func http(_ seconds: Int64) -> String { HTTPDate.format(seconds) }

@Suite("Last-Modified against Date (RFC 9110 §8.8.2)")
struct LastModifiedTests {
    // §8.8.2.1: never later than Date; a future modification time becomes Date.
    @Test(arguments: [
        ("modified long before Date", dateL, dateN, dateL),
        ("modified one second before Date", dateN - 1, dateN, dateN - 1),
        ("modified in Date's own second", dateN, dateN, dateN),
        ("modified one second after Date", dateN + 1, dateN, dateN),
        ("modified in 2100", date2100, dateN, dateN),
    ])
    func neverLaterThanDate(name: String, modified: Int64, now: Int64, expected: Int64) {
        #expect(FileValidators.lastModified(modified: modified, now: now) == expected, "\(name)")
        let validators = FileValidators(entityTag: EntityTag(opaque: "v1"), modified: modified, size: 1, now: now)
        #expect(validators.lastModified == expected, "\(name)")
        #expect(HTTPDate.format(validators.lastModified) == HTTPDate.format(expected))
    }

    // §8.8.2.2: strong once Date is at least one second after Last-Modified.
    @Test(arguments: [
        ("long before Date", dateL, dateN, true),
        ("exactly one second before Date", dateN - 1, dateN, true),
        ("in Date's own second", dateN, dateN, false),
        ("one second after Date, clamped to Date", dateN + 1, dateN, false),
        ("in 2100, clamped to Date", date2100, dateN, false),
    ])
    func strongAtLeastOneSecondBeforeDate(name: String, modified: Int64, now: Int64, strong: Bool) {
        let validators = FileValidators(entityTag: EntityTag(opaque: "v1"), lastModified: modified, size: 1)
        #expect(validators.lastModifiedIsStrong(now: now) == strong, "\(name)")
    }

    @Test func evaluateClampsValidatorsGivenUnclamped() {
        let raw = FileValidators(entityTag: EntityTag(opaque: "v1"), lastModified: date2100, size: 1000)
        func plan(_ headers: FileRequestHeaders) -> FileResponsePlan { FileResponsePlan.evaluate(headers, validators: raw, now: dateN) }
        #expect(plan(.init(ifModifiedSince: http(dateN))) == .notModified)
        #expect(plan(.init(ifModifiedSince: http(dateN - 1))) == .full)
        #expect(plan(.init(ifUnmodifiedSince: http(dateN))) == .full)
        #expect(plan(.init(ifUnmodifiedSince: http(dateN - 1))) == .preconditionFailed)
        #expect(plan(.init(ifRange: http(dateN), range: "bytes=0-9")) == .full)
    }
}

@Suite("Date conditions (RFC 9110 §13.1.3-§13.1.5)")
struct DateConditionTests {
    static let ifModifiedSinceCases: [DateConditionCase] = [
        .init(name: "equal to Last-Modified: 304", headers: .init(ifModifiedSince: http(dateL)), expected: .notModified),
        .init(name: "one second after Last-Modified: 304", headers: .init(ifModifiedSince: http(dateL + 1)), expected: .notModified),
        .init(name: "one second before Last-Modified: 200", headers: .init(ifModifiedSince: http(dateL - 1)), expected: .full),
        .init(name: "one second before Date: 304", headers: .init(ifModifiedSince: http(dateN - 1)), expected: .notModified),
        .init(name: "equal to Date: 304", headers: .init(ifModifiedSince: http(dateN)), expected: .notModified),
        .init(name: "one second after Date (future): 304", headers: .init(ifModifiedSince: http(dateN + 1)), expected: .notModified),
        .init(name: "in 2100: 304", headers: .init(ifModifiedSince: http(date2100)), expected: .notModified),
        .init(name: "RFC 850 date after Last-Modified: 304", headers: .init(ifModifiedSince: "Tuesday, 02-Jan-24 00:00:00 GMT"), expected: .notModified),
        .init(name: "asctime date before Last-Modified: 200", headers: .init(ifModifiedSince: "Sun Dec 31 00:00:00 2023"), expected: .full),
        .init(name: "future mtime, date equal to Date (Last-Modified sent): 304", headers: .init(ifModifiedSince: http(dateN)),
              modified: date2100, expected: .notModified),
        .init(name: "future mtime, date one second before Date: 200", headers: .init(ifModifiedSince: http(dateN - 1)),
              modified: date2100, expected: .full),
        .init(name: "future mtime, date equal to the mtime: 304", headers: .init(ifModifiedSince: http(date2100)),
              modified: date2100, expected: .notModified),
        .init(name: "modified in Date's second, date equal: 304", headers: .init(ifModifiedSince: http(dateN)),
              modified: dateN, expected: .notModified),
        .init(name: "modified in Date's second, date one second before: 200", headers: .init(ifModifiedSince: http(dateN - 1)),
              modified: dateN, expected: .full),
        .init(name: "not a date: ignored", headers: .init(ifModifiedSince: "yesterday"), expected: .full),
        .init(name: "empty: ignored", headers: .init(ifModifiedSince: ""), expected: .full),
        .init(name: "Unix seconds: ignored", headers: .init(ifModifiedSince: String(date2100)), expected: .full),
        .init(name: "more than one member: ignored", headers: .init(ifModifiedSince: http(date2100) + ", " + http(date2100)), expected: .full),
        .init(name: "ignored with If-None-Match", headers: .init(ifNoneMatch: "\"v2\"", ifModifiedSince: http(date2100)), expected: .full),
    ]

    @Test(arguments: ifModifiedSinceCases)
    func ifModifiedSince(_ testCase: DateConditionCase) {
        #expect(testCase.plan == testCase.expected)
    }

    static let ifUnmodifiedSinceCases: [DateConditionCase] = [
        .init(name: "equal to Last-Modified: 200", headers: .init(ifUnmodifiedSince: http(dateL)), expected: .full),
        .init(name: "one second after Last-Modified: 200", headers: .init(ifUnmodifiedSince: http(dateL + 1)), expected: .full),
        .init(name: "one second before Last-Modified: 412", headers: .init(ifUnmodifiedSince: http(dateL - 1)), expected: .preconditionFailed),
        .init(name: "equal to Date: 200", headers: .init(ifUnmodifiedSince: http(dateN)), expected: .full),
        .init(name: "in 2100: 200", headers: .init(ifUnmodifiedSince: http(date2100)), expected: .full),
        .init(name: "future mtime, date equal to Date: 200", headers: .init(ifUnmodifiedSince: http(dateN)),
              modified: date2100, expected: .full),
        .init(name: "future mtime, date one second before Date: 412", headers: .init(ifUnmodifiedSince: http(dateN - 1)),
              modified: date2100, expected: .preconditionFailed),
        .init(name: "not a date: ignored", headers: .init(ifUnmodifiedSince: "yesterday"), expected: .full),
        .init(name: "a list of dates: ignored", headers: .init(ifUnmodifiedSince: http(dateL - 1) + ", " + http(dateL - 1)), expected: .full),
        .init(name: "ignored with If-Match", headers: .init(ifMatch: "\"v1\"", ifUnmodifiedSince: http(dateL - 1)), expected: .full),
    ]

    @Test(arguments: ifUnmodifiedSinceCases)
    func ifUnmodifiedSince(_ testCase: DateConditionCase) {
        #expect(testCase.plan == testCase.expected)
    }

    static let ifRangeCases: [DateConditionCase] = [
        .init(name: "date equal, long before Date: 206", headers: .init(ifRange: http(dateL), range: "bytes=0-9"), expected: .partial(0..<10)),
        .init(name: "date equal, exactly one second before Date: 206", headers: .init(ifRange: http(dateN - 1), range: "bytes=0-9"),
              modified: dateN - 1, expected: .partial(0..<10)),
        .init(name: "date equal, modified in Date's second (weak): 200", headers: .init(ifRange: http(dateN), range: "bytes=0-9"),
              modified: dateN, expected: .full),
        .init(name: "date one second after Last-Modified: 200", headers: .init(ifRange: http(dateL + 1), range: "bytes=0-9"), expected: .full),
        .init(name: "date one second before Last-Modified: 200", headers: .init(ifRange: http(dateL - 1), range: "bytes=0-9"), expected: .full),
        .init(name: "RFC 850 date equal, strong: 206", headers: .init(ifRange: "Monday, 01-Jan-24 00:00:00 GMT", range: "bytes=0-9"),
              expected: .partial(0..<10)),
        .init(name: "future mtime, date equal to Date (Last-Modified sent, weak): 200", headers: .init(ifRange: http(dateN), range: "bytes=0-9"),
              modified: date2100, expected: .full),
        .init(name: "future mtime, date equal to the mtime: 200", headers: .init(ifRange: http(date2100), range: "bytes=0-9"),
              modified: date2100, expected: .full),
        .init(name: "weak date with an unsatisfiable range: 200, not 416", headers: .init(ifRange: http(dateN), range: "bytes=5000-"),
              modified: dateN, expected: .full),
        .init(name: "strong date with an unsatisfiable range: 416", headers: .init(ifRange: http(dateL), range: "bytes=5000-"),
              expected: .rangeNotSatisfiable),
        .init(name: "strong date, multipart: 206", headers: .init(ifRange: http(dateL), range: "bytes=0-9,500-509"),
              expected: .multipart([0..<10, 500..<510])),
        .init(name: "ETag, modified long ago: 206", headers: .init(ifRange: "\"v1\"", range: "bytes=0-9"), expected: .partial(0..<10)),
        .init(name: "ETag, modified in Date's second: still 206", headers: .init(ifRange: "\"v1\"", range: "bytes=0-9"),
              modified: dateN, expected: .partial(0..<10)),
        .init(name: "ETag, future mtime: still 206", headers: .init(ifRange: "\"v1\"", range: "bytes=0-9"),
              modified: date2100, expected: .partial(0..<10)),
        .init(name: "weak ETag: 200", headers: .init(ifRange: "W/\"v1\"", range: "bytes=0-9"), expected: .full),
        .init(name: "weak ETag, modified in Date's second: 200", headers: .init(ifRange: "W/\"v1\"", range: "bytes=0-9"),
              modified: dateN, expected: .full),
        .init(name: "other ETag: 200", headers: .init(ifRange: "\"v2\"", range: "bytes=0-9"), expected: .full),
        .init(name: "neither an ETag nor a date: 200", headers: .init(ifRange: "yesterday", range: "bytes=0-9"), expected: .full),
        .init(name: "without Range: 200", headers: .init(ifRange: http(dateL)), expected: .full),
    ]

    @Test(arguments: ifRangeCases)
    func ifRange(_ testCase: DateConditionCase) {
        #expect(testCase.plan == testCase.expected)
    }
}

@Suite("Request paths")
struct RequestPathTests {
    @Test(arguments: [
        ("clip/master.m3u8", ["clip", "master.m3u8"]),
        ("sub%20dir/clip.webm", ["sub dir", "clip.webm"]),
        ("caf%C3%A9.mp4", ["café.mp4"]),
        ("%252e%252e/x", ["%2e%2e", "x"]),
        ("a..b/c", ["a..b", "c"]),
    ])
    func accepts(encoded: String, expected: [String]) {
        #expect(RequestPath.segments(encoded) == expected)
    }

    @Test(arguments: [
        "", "../x", "a/../x", "%2e%2e/x", "%2E%2e/x", ".", "a/./b", "a//b", "a/", "/a", ".hidden", "a/.hidden",
        "a%2fb", "a%2Fb", "a%5cb", "a\\b", "a%00b", "a%0ab", "a%zz", "a%4", "%C3%28", "a%7f",
    ])
    func rejects(encoded: String) {
        #expect(RequestPath.segments(encoded) == nil)
    }
}

@Suite("Multipart layout and cache policy")
struct MultipartAndCacheTests {
    @Test func multipartLengthMatchesAssembly() {
        let layout = MultipartByteRanges(ranges: [0..<10, 500..<510], size: 1000, partContentType: "video/mp4", boundary: "BOUNDARY")
        var assembled = ""
        for index in layout.ranges.indices {
            assembled += layout.header(ofPart: index) + String(repeating: "x", count: layout.ranges[index].count)
        }
        assembled += layout.closing
        #expect(Int64(assembled.utf8.count) == layout.contentLength)
        #expect(layout.header(ofPart: 1) == "\r\n--BOUNDARY\r\nContent-Type: video/mp4\r\nContent-Range: bytes 500-509/1000\r\n\r\n")
        #expect(layout.contentType == "multipart/byteranges; boundary=BOUNDARY")
        #expect(MultipartByteRanges.randomBoundary() != MultipartByteRanges.randomBoundary())
    }

    @Test(arguments: [
        (Int64(0)..<1, Int64(1), "bytes 0-0/1"),
        (1_000_000..<2_000_000, 322_892_582, "bytes 1000000-1999999/322892582"),
        (Int64.max - 10..<Int64.max, Int64.max, "bytes 9223372036854775797-9223372036854775806/9223372036854775807"),
    ])
    func contentRange(range: Range<Int64>, size: Int64, text: String) {
        #expect(ContentRange.bytes(range, size: size) == text)
        #expect(ContentRange.unsatisfied(size: size) == "bytes */\(size)")
    }

    @Test(arguments: [
        (CachePolicy.segment, "public, max-age=31536000, immutable"),
        (.finishedPlaylist, "public, max-age=3600"),
        (.growingPlaylist(targetDuration: 6), "public, max-age=3"),
        (.growingPlaylist(targetDuration: 1), "public, max-age=1"),
        (.growingPlaylist(targetDuration: 11), "public, max-age=5"),
        (.mediaFile, "public, max-age=3600"),
        (.dynamic, "no-cache"),
        (.error, "no-store"),
    ])
    func cacheControl(policy: CachePolicy, expected: String) {
        #expect(policy.headerValue == expected)
    }
}
