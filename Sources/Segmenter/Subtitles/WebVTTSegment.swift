/// Writes one WebVTT media segment of an HLS subtitle rendition.
///
/// Each segment starts with `X-TIMESTAMP-MAP` (RFC 8216 §3.5) so that players place its cues
/// on the same timeline as the video and audio segments: `LOCAL:00:00:00.000` (cue time 0, which
/// is media time 0) meets `MPEGTS:<mpegTimestamp>`, the 90 kHz timestamp media time 0 has in
/// the other renditions' segments.
public enum WebVTTSegment {
    /// The segment's text: the header, then each cue in the order given as
    /// `HH:MM:SS.mmm --> HH:MM:SS.mmm`, its payload and a blank line.
    ///
    /// Cue times are media seconds, rounded to the millisecond (halves up); a time before 0 is
    /// written as 0 and an end before its start as the start. Payloads are written as they are:
    /// they must keep the rules of `SubtitleCue.text`.
    public static func render(cues: [SubtitleCue], mpegTimestamp: Int64) -> String {
        var text = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:\(mpegTimestamp),LOCAL:00:00:00.000\n\n"
        for cue in cues {
            let start = milliseconds(cue.start)
            let end = max(start, milliseconds(cue.end))
            text += "\(timestamp(milliseconds: start)) --> \(timestamp(milliseconds: end))\n\(cue.text)\n\n"
        }
        return text
    }

    /// `seconds` as a WebVTT timestamp, `HH:MM:SS.mmm` (hours take more digits past 99).
    public static func timestamp(_ seconds: Double) -> String {
        timestamp(milliseconds: milliseconds(seconds))
    }

    /// Whole milliseconds in `seconds`, halves rounded up; 0 for negative or not-a-number times,
    /// and at most about 285 years (`maximumSeconds`), so that no time can overflow.
    ///
    /// The time is first taken to the nearest microsecond, so binary noise such as
    /// 1.0005 being stored as 1.000499999… does not move a half millisecond down.
    static func milliseconds(_ seconds: Double) -> Int64 {
        guard seconds > 0 else { return 0 }
        let microseconds = Int64((min(seconds, maximumSeconds) * 1_000_000).rounded())
        return (microseconds + 500) / 1000
    }

    static let maximumSeconds: Double = 9_000_000_000

    private static func timestamp(milliseconds total: Int64) -> String {
        let hours = total / 3_600_000
        let minutes = total / 60_000 % 60
        let seconds = total / 1000 % 60
        let millis = total % 1000
        return "\(padded(hours, 2)):\(padded(minutes, 2)):\(padded(seconds, 2)).\(padded(millis, 3))"
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
