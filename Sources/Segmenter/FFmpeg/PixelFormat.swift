import CFFmpeg

/// A picture layout, FFmpeg's `AVPixelFormat` as a Swift value.
public struct PixelFormat: Sendable, Hashable, CustomStringConvertible {
    /// The `AVPixelFormat` raw value.
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    init(_ format: AVPixelFormat) {
        self.init(rawValue: format.rawValue)
    }

    var avPixelFormat: AVPixelFormat { AVPixelFormat(rawValue: rawValue) }

    /// Planar 4:2:0 YUV, 8 bits per component: what H.264 players everywhere decode.
    public static let yuv420p = PixelFormat(AV_PIX_FMT_YUV420P)

    /// Planar 4:2:0 YUV, 10 bits per component in 16-bit little-endian samples: HEVC Main 10's
    /// pictures (HDR sources decode to it).
    public static let yuv420p10le = PixelFormat(AV_PIX_FMT_YUV420P10LE)

    /// The format named `name` by FFmpeg (e.g. "yuv420p", "nv12"), nil when FFmpeg knows no such format.
    public init?(name: String) {
        let format = av_get_pix_fmt(name)
        guard format != AV_PIX_FMT_NONE else { return nil }
        self.init(format)
    }

    /// FFmpeg's name for the format, e.g. "yuv420p"; "none" when unset.
    public var name: String { av_get_pix_fmt_name(avPixelFormat).map { String(cString: $0) } ?? "none" }

    public var description: String { name }
}
