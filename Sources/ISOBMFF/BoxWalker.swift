/// Walks the boxes that fill a range, one level deep: each header is read and checked, and the
/// walk skips to the next box without reading the payload. Descend by walking a box's
/// ``BoxHeader/payload``.
///
/// Reads go through a closure, `read(offset, count)`, which returns up to `count` bytes at
/// `offset` (fewer, or none, past the end of the data): a file, a buffer or a test's bytes.
public enum BoxWalker {
    /// At most this many boxes are looked at on one level, so garbage costs little and never
    /// loops: real files have a handful of boxes per level, fragmented ones a few per fragment.
    public static let defaultLimit = 1024

    /// The first box in `range` that `matches`; nil when none does before the range ends, a
    /// header is unreadable or malformed (nothing after it can be located), or `limit` boxes
    /// have been looked at.
    public static func first(
        in range: Range<Int64>, limit: Int = defaultLimit,
        read: (_ offset: Int64, _ count: Int) throws -> [UInt8],
        where matches: (BoxHeader) throws -> Bool
    ) rethrows -> BoxHeader? {
        var offset = range.lowerBound
        for _ in 0..<max(0, limit) {
            guard offset < range.upperBound else { return nil }
            let count = Int(min(Int64(BoxHeader.maximumLength), range.upperBound - offset))
            guard let header = BoxHeader(try read(offset, count), at: offset, end: range.upperBound) else { return nil }
            if try matches(header) { return header }
            offset = header.range.upperBound
        }
        return nil
    }

    /// The first box of `type` in `range`.
    public static func first(
        _ type: BoxType, in range: Range<Int64>, limit: Int = defaultLimit,
        read: (_ offset: Int64, _ count: Int) throws -> [UInt8]
    ) rethrows -> BoxHeader? {
        try first(in: range, limit: limit, read: read) { $0.type == type }
    }

    /// Every box in `range`, in order, up to the first malformed header or `limit` boxes.
    public static func boxes(
        in range: Range<Int64>, limit: Int = defaultLimit,
        read: (_ offset: Int64, _ count: Int) throws -> [UInt8]
    ) rethrows -> [BoxHeader] {
        var boxes: [BoxHeader] = []
        _ = try first(in: range, limit: limit, read: read) { header in
            boxes.append(header)
            return false
        }
        return boxes
    }
}
