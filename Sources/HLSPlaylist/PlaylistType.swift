/// The value of `EXT-X-PLAYLIST-TYPE` (RFC 8216 §4.3.3.5).
public enum PlaylistType: String, Sendable, Hashable, CaseIterable {
    /// The playlist never changes.
    case vod = "VOD"
    /// Segments may only be appended to the playlist.
    case event = "EVENT"
}
