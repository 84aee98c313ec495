import CFFmpeg

/// How audio samples are stored, FFmpeg's `AVSampleFormat` as a Swift value.
public struct SampleFormat: Sendable, Hashable, CustomStringConvertible {
    /// The `AVSampleFormat` raw value.
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    init(_ format: AVSampleFormat) {
        self.init(rawValue: format.rawValue)
    }

    var avSampleFormat: AVSampleFormat { AVSampleFormat(rawValue: rawValue) }

    /// 32-bit float, one plane per channel: what FFmpeg's AAC encoder and decoder use.
    public static let floatPlanar = SampleFormat(AV_SAMPLE_FMT_FLTP)

    /// Signed 16-bit, channels interleaved.
    public static let signed16 = SampleFormat(AV_SAMPLE_FMT_S16)

    /// FFmpeg's name for the format, e.g. "fltp"; "none" when unset.
    public var name: String { av_get_sample_fmt_name(avSampleFormat).map { String(cString: $0) } ?? "none" }

    /// True when each channel has its own plane.
    public var isPlanar: Bool { av_sample_fmt_is_planar(avSampleFormat) != 0 }

    public var description: String { name }
}
