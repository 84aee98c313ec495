/// Shares cues out among the segments of a WebVTT rendition, one segment at a time, so it
/// serves a whole file and a live input alike.
///
/// Segment N covers [its start, its end): its start is the previous segment's end (the first
/// starts at `init(start:)`), the last ends at the media end. A segment holds every cue that
/// overlaps it, with the cue's full timing, so a cue that spans several segments is repeated
/// in each (Apple's practice; players drop the repeats). A zero-length cue belongs to the
/// segment its start falls in. Cues that start at or after the media end are dropped: nothing
/// takes them after the last segment. A cue that runs past the media end stays whole in the
/// last segment.
///
/// Times are compared in whole microseconds, so float noise from timestamp arithmetic
/// (3.9999999999999996 for 4) cannot move a cue across a boundary.
///
/// Live use: `add` cues as they are decoded and `takeSegment(endingAt:)` when the video's
/// segment N ends; everything added by then that overlaps segment N is in it, so segment N can
/// be written once every cue starting before its end has been added. A cue added later than
/// that only reaches the segments not yet taken.
public struct SubtitleSegmentation: Sendable {
    /// Where the next segment taken starts, in seconds.
    public private(set) var segmentStart: Double
    /// Cues added and not yet finished with: those starting at or after `segmentStart`, and
    /// those still running into it. Ordered by start; equal starts keep the order they came in.
    public private(set) var heldCues: [SubtitleCue] = []

    /// Segmentation whose first segment starts at `start` (media time, in seconds).
    public init(start: Double = 0) {
        segmentStart = start
    }

    /// Adds a cue; it lands after every held cue starting at the same time or earlier.
    /// A cue whose end is before its start is held as a zero-length cue at its start.
    public mutating func add(_ cue: SubtitleCue) {
        var cue = cue
        if !(cue.end >= cue.start) { cue.end = cue.start }
        let position = heldCues.lastIndex { Self.ticks($0.start) <= Self.ticks(cue.start) }.map { $0 + 1 } ?? 0
        heldCues.insert(cue, at: position)
    }

    /// Adds cues in turn.
    public mutating func add(contentsOf cues: [SubtitleCue]) {
        for cue in cues { add(cue) }
    }

    /// The cues of the segment from `segmentStart` to `end`, ordered by start; the next segment
    /// then starts at `end`. Cues that still run past `end`, or start at or after it, stay held.
    /// An `end` not after `segmentStart` gives an empty segment and changes nothing.
    public mutating func takeSegment(endingAt end: Double) -> [SubtitleCue] {
        let start = Self.ticks(segmentStart)
        let stop = Self.ticks(end)
        guard stop > start else { return [] }
        var segment: [SubtitleCue] = []
        var kept: [SubtitleCue] = []
        for cue in heldCues {
            let (cueStart, cueEnd) = (Self.ticks(cue.start), Self.ticks(cue.end))
            let overlaps = cueStart == cueEnd
                ? start <= cueStart && cueStart < stop
                : cueStart < stop && cueEnd > start
            if overlaps { segment.append(cue) }
            if cueStart >= stop || cueEnd > stop { kept.append(cue) }
        }
        heldCues = kept
        segmentStart = end
        return segment
    }

    /// The cues of each segment of a whole input: segment i starts at `segmentStarts[i]` and
    /// ends at the next start, the last at `mediaEnd`. `cues` should be ordered by start.
    public static func segments(of cues: [SubtitleCue], segmentStarts: [Double], mediaEnd: Double) -> [[SubtitleCue]] {
        guard let first = segmentStarts.first else { return [] }
        var segmentation = SubtitleSegmentation(start: first)
        segmentation.add(contentsOf: cues)
        let ends = segmentStarts.dropFirst() + [mediaEnd]
        return ends.map { segmentation.takeSegment(endingAt: $0) }
    }

    /// `seconds` in whole microseconds (clamped far beyond any media time, so it cannot overflow).
    private static func ticks(_ seconds: Double) -> Int64 {
        guard !seconds.isNaN else { return 0 }
        return Int64((min(max(seconds, -1e12), 1e12) * 1_000_000).rounded())
    }
}
