extension MediaPlaylist {
    /// The Playlist Delta Update a server answers `_HLS_skip=YES` (or `v2`) with (RFC 8216bis
    /// §4.4.5.2, §6.2.5.1): the oldest segments replaced by `EXT-X-SKIP:SKIPPED-SEGMENTS`, the
    /// rest as they are. nil when the playlist offers no delta updates (no `CAN-SKIP-UNTIL` in
    /// its `EXT-X-SERVER-CONTROL`) or is a delta update already.
    ///
    /// A segment is skipped when it ends at least `CAN-SKIP-UNTIL` seconds before the end of
    /// the last complete segment, so every segment within the skip boundary stays. Skipping
    /// stops at the first segment that changes `EXT-X-MAP` or carries tags the model keeps
    /// verbatim (an `EXT-X-DATERANGE`, say): what follows it may depend on them, and a client
    /// that has not seen them could not rebuild the playlist. The media sequence number is
    /// the full playlist's (it counts the skipped segments). The `EXT-X-KEY` in effect for the
    /// first segment kept is written before it.
    public func deltaUpdate() -> MediaPlaylist? {
        guard skippedSegments == nil, let canSkipUntil = serverControl?.canSkipUntil, canSkipUntil > 0 else { return nil }
        let total = duration
        var end = 0.0
        var skipped = 0
        for (index, segment) in segments.enumerated() {
            end += segment.duration
            let carriesState = segment.map != nil || !(index == 0 ? unknownTags : segment.unknownTags).isEmpty
            guard total - end >= canSkipUntil, !carriesState else { break }
            skipped += 1
        }
        var delta = self
        // The key in effect stays in effect: the first segment left carries it.
        let key = segments.prefix(skipped).last { $0.key != nil }?.key
        delta.segments.removeFirst(skipped)
        if !delta.segments.isEmpty, delta.segments[0].key == nil { delta.segments[0].key = key }
        delta.skippedSegments = skipped
        return delta
    }
}
