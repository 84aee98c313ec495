/// The `CLOSED-CAPTIONS` attribute of `EXT-X-STREAM-INF` (RFC 8216 §4.3.4.2).
public enum ClosedCaptions: Sendable, Hashable {
    /// `CLOSED-CAPTIONS=NONE`: the variant carries no closed captions.
    case none
    /// `CLOSED-CAPTIONS="id"`: the `GROUP-ID` of `EXT-X-MEDIA` tags with `TYPE=CLOSED-CAPTIONS`.
    case group(String)
}
