import HLSPlaylist

/// Turns what the segment writer recorded into HLS playlists, with bit rates measured from
/// the bytes written rather than declared.
///
/// While the ingest runs the playlists are `EVENT` playlists that announce blocking reloads;
/// complete, they are `VOD` with `EXT-X-ENDLIST`. The target duration is fixed up front.
struct PlaylistBuilder {
    let segments: [SegmentRecord]
    let initSection: (uri: String, offset: Int64, length: Int64)?
    let singleFile: Bool
    let targetDuration: Int
    /// True once the last segment is written.
    let complete: Bool
    /// Low-Latency HLS while the ingest runs (RFC 8216bis): parts, the hint, the reports.
    var lowLatency: LowLatency?

    /// What a Low-Latency playlist adds to the segments.
    struct LowLatency {
        /// `PART-TARGET`: the longest a part may last.
        var partTarget: Double
        /// The part that will be published next (`EXT-X-PRELOAD-HINT`).
        var nextPart: String
        /// Where the other renditions stand (`EXT-X-RENDITION-REPORT`).
        var renditionReports: [RenditionReport]
        /// The parts of the segment being written.
        var pendingParts: [PartRecord]
    }

    private var playlistType: PlaylistType { complete ? .vod : .event }

    /// Blocking reloads while the ingest runs; with parts, the hold-back a player keeps from the
    /// live edge (three part targets, Apple's recommendation; the RFC's minimum is two) and
    /// delta updates for playlists longer than six target durations.
    private var serverControl: ServerControl? {
        guard !complete else { return nil }
        guard let lowLatency else { return ServerControl(canBlockReload: true) }
        return ServerControl(canBlockReload: true, partHoldBack: 3 * lowLatency.partTarget, canSkipUntil: Double(6 * targetDuration))
    }

    /// The media playlist.
    func mediaPlaylist() -> MediaPlaylist {
        // Parts are listed for the segments of the last three target durations (RFC 8216bis
        // §6.2.2: older ones are removed).
        let end = segments.last.map { $0.start + $0.duration } ?? 0
        let entries = segments.map { segment in
            MediaSegment(
                uri: segment.uri,
                duration: segment.duration,
                byteRange: singleFile ? ByteRange(length: Int(segment.length), offset: Int(segment.offset)) : nil,
                key: segment.key.map { EncryptionKey(method: .aes128, uri: $0.uri, iv: $0.iv) },
                parts: lowLatency != nil && segment.start + segment.duration > end - Double(3 * targetDuration) ? segment.parts.map(Self.part) : []
            )
        }
        return MediaPlaylist(
            targetDuration: targetDuration,
            playlistType: playlistType,
            independentSegments: true,
            serverControl: serverControl,
            map: map,
            segments: entries,
            endList: complete,
            partTarget: lowLatency?.partTarget,
            pendingParts: lowLatency?.pendingParts.map(Self.part) ?? [],
            preloadHints: lowLatency.map { [PreloadHint(kind: .part, uri: $0.nextPart)] } ?? [],
            renditionReports: lowLatency?.renditionReports ?? []
        )
    }

    private static func part(_ part: PartRecord) -> PartialSegment {
        PartialSegment(uri: part.uri, duration: part.duration, independent: part.independent)
    }

    /// The I-frame playlist: one entry per keyframe, its duration the span to the next one.
    /// Every keyframe interval lies inside one segment, so the media target bounds it too.
    func iFramePlaylist() -> MediaPlaylist {
        let end = segments.last.map { $0.start + $0.duration } ?? 0
        let keyframes = segments.flatMap { segment in segment.keyframes.map { (segment.uri, $0) } }
        let entries = keyframes.enumerated().map { index, entry in
            let next = index + 1 < keyframes.count ? keyframes[index + 1].1.time : end
            return MediaSegment(
                uri: entry.0,
                duration: max(0, next - entry.1.time),
                byteRange: ByteRange(length: Int(entry.1.length), offset: Int(entry.1.offset))
            )
        }
        return MediaPlaylist(
            targetDuration: targetDuration,
            playlistType: playlistType,
            independentSegments: true,
            iFramesOnly: true,
            serverControl: serverControl,
            map: map,
            segments: entries,
            endList: complete
        )
    }

    private var map: MediaInitializationSection? {
        initSection.map { section in
            MediaInitializationSection(
                uri: section.uri,
                byteRange: singleFile ? ByteRange(length: Int(section.length), offset: Int(section.offset)) : nil
            )
        }
    }

    /// Peak and mean bit rate over `parts` (bytes and seconds each), bits per second.
    static func bitRates(_ parts: [(bytes: Int64, seconds: Double)]) -> (peak: Int, average: Int) {
        let timed = parts.filter { $0.seconds > 0 }
        let totalBytes = timed.reduce(Int64(0)) { $0 + $1.bytes }
        let totalSeconds = timed.reduce(0.0) { $0 + $1.seconds }
        let peak = timed.map { Double($0.bytes) * 8 / $0.seconds }.max() ?? 0
        let average = totalSeconds > 0 ? Double(totalBytes) * 8 / totalSeconds : 0
        return (Int(peak.rounded(.up)), Int(average.rounded(.up)))
    }
}
