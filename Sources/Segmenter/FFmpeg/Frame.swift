import CFFmpeg

/// Owns one `AVFrame`: a decoded picture or block of audio samples.
///
/// Reused across decodes like `Packet`: receiving into a frame replaces what it held.
/// Not Sendable: one task owns a frame.
public final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    /// An empty frame, to be filled by a decoder.
    public init() {
        // av_frame_alloc only fails when malloc does; there is no useful recovery.
        guard let frame = av_frame_alloc() else { fatalError("av_frame_alloc: out of memory") }
        pointer = frame
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }

    /// A picture of `width` x `height` in `format` with its own (uninitialized) buffers.
    public convenience init(width: Int, height: Int, format: PixelFormat) throws(FFmpegError) {
        self.init()
        pointer.pointee.width = Int32(width)
        pointer.pointee.height = Int32(height)
        pointer.pointee.format = format.rawValue
        try ffmpegCheck("av_frame_get_buffer", av_frame_get_buffer(pointer, 0))
    }

    /// A block of `sampleCount` samples in `format` with its own (uninitialized) buffers.
    public convenience init(sampleCount: Int, format: AudioFormat) throws(FFmpegError) {
        self.init()
        pointer.pointee.nb_samples = Int32(sampleCount)
        pointer.pointee.format = format.sampleFormat.rawValue
        pointer.pointee.sample_rate = Int32(format.sampleRate)
        var layout = format.channelLayout
        try ffmpegCheck("av_channel_layout_copy", av_channel_layout_copy(&pointer.pointee.ch_layout, &layout))
        try ffmpegCheck("av_frame_get_buffer", av_frame_get_buffer(pointer, 0))
    }

    /// Drops the buffers so the frame can be filled again.
    public func unref() { av_frame_unref(pointer) }

    /// Makes sure no one else holds a reference to the frame's buffers (an encoder may still
    /// hold the previous picture), copying them if needed, so they can be written over.
    public func makeWritable() throws(FFmpegError) {
        try ffmpegCheck("av_frame_make_writable", av_frame_make_writable(pointer))
    }

    /// Picture width in pixels (0 for audio).
    public var width: Int { Int(pointer.pointee.width) }

    /// Picture height in pixels (0 for audio).
    public var height: Int { Int(pointer.pointee.height) }

    /// The picture's pixel format (meaningful for video frames only).
    public var pixelFormat: PixelFormat { PixelFormat(rawValue: pointer.pointee.format) }

    /// The samples' format (meaningful for audio frames only).
    public var sampleFormat: SampleFormat { SampleFormat(rawValue: pointer.pointee.format) }

    /// The pixel shape; 0/1 when unknown (treat as square).
    public var sampleAspectRatio: Rational { Rational(pointer.pointee.sample_aspect_ratio) }

    /// Presentation timestamp in the codec's time base, nil when unknown.
    public var pts: Int64? {
        get { pointer.pointee.pts == REEL_AV_NOPTS_VALUE ? nil : pointer.pointee.pts }
        set { pointer.pointee.pts = newValue ?? REEL_AV_NOPTS_VALUE }
    }

    /// The decoder's best guess at the presentation timestamp (it fills gaps and repairs
    /// non-monotonic timestamps), nil when it has none.
    public var bestEffortTimestamp: Int64? {
        let value = pointer.pointee.best_effort_timestamp
        return value == REEL_AV_NOPTS_VALUE ? nil : value
    }

    /// Audio samples per channel (0 for video).
    public var sampleCount: Int { Int(pointer.pointee.nb_samples) }

    /// Audio sample rate in Hz (0 for video).
    public var sampleRate: Int { Int(pointer.pointee.sample_rate) }

    /// Audio channel count (0 for video).
    public var channelCount: Int { Int(pointer.pointee.ch_layout.nb_channels) }

    /// The audio frame's rate, channel layout and sample format.
    public var audioFormat: AudioFormat {
        AudioFormat(sampleRate: pointer.pointee.sample_rate, layout: pointer.pointee.ch_layout, sampleFormat: pointer.pointee.format)
    }

    /// True when the decoder marked the picture a keyframe.
    public var isKeyframe: Bool { pointer.pointee.key_frame != 0 }

    /// The picture type as an encoder reads it: true asks the encoder for an I picture here
    /// (with libx264's `forced-idr=1`, an IDR), false leaves the choice to the encoder.
    ///
    /// A decoder sets this from the decoded bitstream, so a decoded frame handed straight to an
    /// encoder would force keyframes wherever the input had them: set it explicitly.
    public var requestsKeyframe: Bool {
        get { pointer.pointee.pict_type == AV_PICTURE_TYPE_I }
        set { pointer.pointee.pict_type = newValue ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE }
    }
}

extension Frame {
    /// A new frame sharing this one's buffers (`av_frame_ref`): cheap, and the buffers live as
    /// long as either frame holds them. How one decoded picture reaches several encoders.
    public func reference() throws(FFmpegError) -> Frame {
        let copy = Frame()
        try ffmpegCheck("av_frame_ref", av_frame_ref(copy.pointer, pointer))
        return copy
    }
}

extension Frame {
    /// The HDR10 mastering display the picture carries (a decoder puts the HEVC SEI here), nil
    /// when it has none or an incomplete one.
    public var masteringDisplay: MasteringDisplay? {
        guard let side = av_frame_get_side_data(pointer, AV_FRAME_DATA_MASTERING_DISPLAY_METADATA),
              Int(side.pointee.size) >= MemoryLayout<AVMasteringDisplayMetadata>.size else { return nil }
        return MasteringDisplay(UnsafeRawPointer(side.pointee.data).load(as: AVMasteringDisplayMetadata.self))
    }

    /// The HDR10 content light levels the picture carries (from the HEVC SEI), nil when none.
    public var contentLightLevel: ContentLightLevel? {
        guard let side = av_frame_get_side_data(pointer, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL),
              Int(side.pointee.size) >= MemoryLayout<AVContentLightMetadata>.size else { return nil }
        return ContentLightLevel(UnsafeRawPointer(side.pointee.data).load(as: AVContentLightMetadata.self))
    }
}
