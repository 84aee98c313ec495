/// The ranges a response will carry, after resolution against the file size and the
/// amplification defence: sorted, non-overlapping, never more bytes than the file.
public struct ByteRangeSet: Sendable, Hashable {
    public let ranges: [Range<Int64>]

    /// More parts than this are answered as one range covering them all.
    public static let maximumParts = 16
    /// Ranges closer than this are merged: a part header costs about as much as the gap.
    public static let mergeGap: Int64 = 80

    /// Resolves `specs` against `size`; nil when none is satisfiable (416).
    public init?(_ specs: [RangeSpecifier], size: Int64) {
        let resolved = specs.compactMap { $0.resolve(size: size) }.sorted { $0.lowerBound < $1.lowerBound }
        guard !resolved.isEmpty else { return nil }
        var merged: [Range<Int64>] = []
        for range in resolved {
            if let last = merged.last, range.lowerBound <= last.upperBound + Self.mergeGap {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        let total = merged.reduce(Int64(0)) { $0 + Int64($1.count) }
        if merged.count > Self.maximumParts || total > size {
            merged = [merged.first!.lowerBound..<merged.last!.upperBound]
        }
        ranges = merged
    }

    /// Bytes selected in all.
    public var byteCount: Int64 { ranges.reduce(0) { $0 + Int64($1.count) } }
}
