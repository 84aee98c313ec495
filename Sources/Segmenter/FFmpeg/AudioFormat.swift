import CFFmpeg

/// The shape of a stream of audio samples: rate, channels and sample format.
///
/// Channels are described by count and, when the layout is a plain set of speakers, its
/// `AV_CH_*` mask (FFmpeg's native channel order); a zero mask means "the default layout for
/// that many channels".
public struct AudioFormat: Sendable, Hashable, CustomStringConvertible {
    public var sampleRate: Int
    public var channelCount: Int
    public var sampleFormat: SampleFormat
    /// The `AV_CH_*` speaker mask, 0 for the default layout of `channelCount` channels.
    public var channelMask: UInt64

    public init(sampleRate: Int, channelCount: Int, sampleFormat: SampleFormat, channelMask: UInt64 = 0) {
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.sampleFormat = sampleFormat
        self.channelMask = channelMask
    }

    /// Describes `layout`; a layout in another order than the native one keeps only its count.
    init(sampleRate: Int32, layout: AVChannelLayout, sampleFormat: Int32) {
        self.init(
            sampleRate: Int(sampleRate),
            channelCount: Int(layout.nb_channels),
            sampleFormat: SampleFormat(rawValue: sampleFormat),
            channelMask: layout.order == AV_CHANNEL_ORDER_NATIVE ? layout.u.mask : 0
        )
    }

    /// The channel layout as FFmpeg's `AVChannelLayout`: the mask when it names exactly
    /// `channelCount` speakers, otherwise the default layout for the count.
    ///
    /// Native and unspecified layouts own no memory, so the value needs no `av_channel_layout_uninit`.
    var channelLayout: AVChannelLayout {
        var layout = AVChannelLayout()
        if channelMask != 0, channelMask.nonzeroBitCount == channelCount,
           av_channel_layout_from_mask(&layout, channelMask) == 0 {
            return layout
        }
        av_channel_layout_default(&layout, Int32(channelCount))
        return layout
    }

    /// FFmpeg's description of the layout, e.g. "stereo" or "5.1".
    public var channelLayoutName: String {
        var layout = channelLayout
        var buffer = [CChar](repeating: 0, count: 64)
        guard av_channel_layout_describe(&layout, &buffer, buffer.count) >= 0 else { return "\(channelCount) channels" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var description: String { "\(sampleRate) Hz \(channelLayoutName) \(sampleFormat)" }
}
