extension MediaPlaylist {
    /// The lowest `EXT-X-VERSION` this playlist needs, as ``render()`` writes it,
    /// per RFC 8216 §7:
    ///
    /// - 3 when there is any segment: `EXTINF` is always written as a
    ///   decimal-floating-point number (`6.000000`);
    /// - 2 for an `EXT-X-KEY` with an `IV`;
    /// - 4 for `EXT-X-BYTERANGE` (on a segment) or `EXT-X-I-FRAMES-ONLY`;
    /// - 5 for `EXT-X-MAP` in an I-frames-only playlist, 6 for `EXT-X-MAP` otherwise;
    /// - 9 for `EXT-X-SKIP` (RFC 8216bis §8); the other Low-Latency tags need no version
    ///   of their own.
    ///
    /// Tags kept verbatim in ``unknownTags`` are not considered.
    public var minimumVersion: Int {
        var version = 1
        if segments.contains(where: { $0.key?.iv != nil }) { version = 2 }
        if !segments.isEmpty { version = 3 }
        if iFramesOnly || segments.contains(where: { $0.byteRange != nil }) { version = max(version, 4) }
        if map != nil || segments.contains(where: { $0.map != nil }) {
            version = max(version, iFramesOnly ? 5 : 6)
        }
        if skippedSegments != nil { version = max(version, 9) }
        return version
    }
}
