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

    private var playlistType: PlaylistType { complete ? .vod : .event }
    private var serverControl: ServerControl? { complete ? nil : ServerControl(canBlockReload: true) }

    /// The media playlist.
    func mediaPlaylist() -> MediaPlaylist {
        let entries = segments.map { segment in
            MediaSegment(
                uri: segment.uri,
                duration: segment.duration,
                byteRange: singleFile ? ByteRange(length: Int(segment.length), offset: Int(segment.offset)) : nil
            )
        }
        return MediaPlaylist(
            targetDuration: targetDuration,
            playlistType: playlistType,
            independentSegments: true,
            serverControl: serverControl,
            map: map,
            segments: entries,
            endList: complete
        )
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
