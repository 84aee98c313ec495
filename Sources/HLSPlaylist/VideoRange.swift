/// The `VIDEO-RANGE` attribute of `EXT-X-STREAM-INF` and `EXT-X-I-FRAME-STREAM-INF`
/// (draft-pantos-hls-rfc8216bis §4.4.6.2): the dynamic range of the video, written
/// unquoted (`VIDEO-RANGE=PQ`).
public enum VideoRange: String, Sendable, Hashable, CaseIterable {
    /// `SDR`: standard dynamic range (e.g. BT.709 or BT.601 transfer).
    case sdr = "SDR"
    /// `PQ`: the SMPTE ST 2084 perceptual quantizer (HDR10, Dolby Vision).
    case pq = "PQ"
    /// `HLG`: Hybrid Log-Gamma (ITU-R BT.2100).
    case hlg = "HLG"
}
