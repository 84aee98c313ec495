/// One subtitle cue, ready to be written into a WebVTT segment.
///
/// Times are seconds on the caller's media timeline (media time 0 is where the video and audio
/// segments start counting). `text` is a WebVTT cue payload: markup such as `<i>` is kept as
/// WebVTT tags, `&`, `<` and `>` in the words are escaped (`&amp;`, `&lt;`, `&gt;`), lines are
/// separated by "\n", no line is blank (a blank line would end the cue) and the string "-->"
/// never occurs. `SubtitleTranscoder` makes cues that keep these rules; whoever builds a cue by
/// hand keeps them too.
public struct SubtitleCue: Sendable, Hashable {
    /// When the cue appears, in seconds.
    public var start: Double
    /// When the cue disappears, in seconds; never before `start` in cues Reel makes.
    public var end: Double
    /// The WebVTT cue payload.
    public var text: String

    public init(start: Double, end: Double, text: String) {
        self.start = start
        self.end = end
        self.text = text
    }
}
