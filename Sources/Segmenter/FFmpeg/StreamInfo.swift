import CFFmpeg
import HLSPlaylist

/// A Sendable snapshot of one demuxed stream and its codec parameters.
public struct StreamInfo: Sendable, Hashable {
    public var index: Int
    public var type: MediaType
    /// FFmpeg's short codec name (`avcodec_get_name`), e.g. "h264", "hevc", "aac".
    public var codecName: String
    /// FFmpeg's `AVCodecID` raw value.
    public var codecID: UInt32
    /// The container's codec tag as four characters (e.g. "avc1", "hvc1"), nil when unset.
    public var codecTag: String?
    /// Codec profile number (`AV_PROFILE_*`), nil when unknown.
    public var profile: Int32?
    /// Codec profile name from libavcodec, e.g. "High", "Main", "LC".
    public var profileName: String?
    /// Codec level number (e.g. 30 for H.264 level 3.0), nil when unknown.
    public var level: Int32?
    public var width: Int
    public var height: Int
    public var pixelFormat: String?
    public var sampleRate: Int
    public var channels: Int
    /// Declared bit rate in bits per second, nil when the container does not say.
    public var bitRate: Int64?
    public var timeBase: Rational
    public var averageFrameRate: Rational
    public var realFrameRate: Rational
    /// Stream duration in `timeBase` units, nil when unknown.
    public var duration: Int64?
    /// First timestamp in `timeBase` units, nil when unknown.
    public var startTime: Int64?
    /// Codec private data (avcC, hvcC, AudioSpecificConfig, ...).
    public var extradata: [UInt8]
    /// Frames of reordering delay; nonzero when B-frames are present.
    public var videoDelay: Int
    /// True for cover art: a video stream holding one still picture.
    public var isAttachedPicture: Bool = false
    /// The shape of a video stream's pixels; 0/1 when the container and codec do not say (square).
    public var sampleAspectRatio: Rational = Rational(0, 1)
    /// The container's `language` tag as written (ISO 639-2 `eng`, `fre`/`fra`, or a BCP 47 tag), nil when absent.
    public var language: String? = nil
    /// The container's `title` tag (a track name such as "Commentary"), nil when absent.
    public var title: String? = nil
    /// The container marks the track as the default of its type (`AV_DISPOSITION_DEFAULT`).
    public var isDefault: Bool = false
    /// The container marks the track as forced (`AV_DISPOSITION_FORCED`: subtitles shown even when off).
    public var isForced: Bool = false
    /// Colour primaries the stream declares; `.unspecified` when neither container nor codec says.
    public var colorPrimaries: ColorPrimaries = .unspecified
    /// Transfer characteristics the stream declares (PQ and HLG make it HDR: see `videoRange`).
    public var colorTransfer: ColorTransfer = .unspecified
    /// Matrix coefficients the stream declares.
    public var colorSpace: ColorSpace = .unspecified
    /// Code value range the stream declares.
    public var colorRange: ColorRange = .unspecified
    /// The container's display matrix (the 9 values of `AV_PKT_DATA_DISPLAYMATRIX`, e.g. from an
    /// MP4 `tkhd`), nil when it has none: see `orientation`.
    public var displayMatrix: [Int32]? = nil
    /// The container's HDR10 mastering display (MP4 `mdcv`, Matroska colour metadata), nil when
    /// it has none; an HEVC stream may still carry one in its SEI (`Frame.masteringDisplay`).
    public var masteringDisplay: MasteringDisplay? = nil
    /// The container's HDR10 content light levels (MP4 `clli`, Matroska), nil when it has none;
    /// an HEVC stream may still carry them in its SEI (`Frame.contentLightLevel`).
    public var contentLightLevel: ContentLightLevel? = nil

    /// Stream duration in seconds, nil when unknown.
    public var durationSeconds: Double? {
        duration.map { Double($0) * timeBase.doubleValue }
    }

    /// Start time in seconds, nil when unknown.
    public var startSeconds: Double? {
        startTime.map { Double($0) * timeBase.doubleValue }
    }

    /// The colour fields together, as an encoder's settings take them.
    public var colorDescription: ColorDescription {
        ColorDescription(primaries: colorPrimaries, transfer: colorTransfer, space: colorSpace, range: colorRange)
    }

    /// The HLS `VIDEO-RANGE` of the stream: PQ for SMPTE ST 2084, HLG for ARIB STD-B67, else SDR.
    public var videoRange: VideoRange { VideoRange(colorTransfer) }

    /// How the stored pictures are turned for display; `.upright` without a display matrix.
    public var orientation: VideoOrientation {
        displayMatrix.map { VideoOrientation(displayMatrix: $0) } ?? .upright
    }

    /// The pictures' size as displayed: width and height swapped when the display matrix turns
    /// them a quarter.
    public var uprightDimensions: VideoDimensions {
        orientation.upright(VideoDimensions(width: width, height: height))
    }

}

extension StreamInfo {
    // In an extension so the struct keeps its memberwise initializer.
    init(_ stream: UnsafeMutablePointer<AVStream>) {
        self.init(
            index: Int(stream.pointee.index), parameters: stream.pointee.codecpar!.pointee,
            timeBase: Rational(stream.pointee.time_base), frameRate: Rational(stream.pointee.avg_frame_rate)
        )
        realFrameRate = Rational(stream.pointee.r_frame_rate)
        duration = stream.pointee.duration == REEL_AV_NOPTS_VALUE ? nil : stream.pointee.duration
        startTime = stream.pointee.start_time == REEL_AV_NOPTS_VALUE ? nil : stream.pointee.start_time
        isAttachedPicture = stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0
        // The container's value wins over the bitstream's, as in ffprobe.
        let containerAspect = Rational(stream.pointee.sample_aspect_ratio)
        if !containerAspect.isUnknown { sampleAspectRatio = containerAspect }
        language = Self.tag("language", in: stream.pointee.metadata)
        title = Self.tag("title", in: stream.pointee.metadata)
        isDefault = stream.pointee.disposition & AV_DISPOSITION_DEFAULT != 0
        isForced = stream.pointee.disposition & AV_DISPOSITION_FORCED != 0
        readSideData(of: stream)
    }

    /// The display matrix and HDR10 metadata the container attached to the stream.
    private mutating func readSideData(of stream: UnsafeMutablePointer<AVStream>) {
        func sideData(_ type: AVPacketSideDataType, atLeast size: Int) -> UnsafeRawPointer? {
            var found = 0
            guard let data = av_stream_get_side_data(stream, type, &found), found >= size else { return nil }
            return UnsafeRawPointer(data)
        }
        if let matrix = sideData(AV_PKT_DATA_DISPLAYMATRIX, atLeast: 9 * MemoryLayout<Int32>.size) {
            displayMatrix = Array(UnsafeBufferPointer(start: matrix.assumingMemoryBound(to: Int32.self), count: 9))
        }
        if let mastering = sideData(AV_PKT_DATA_MASTERING_DISPLAY_METADATA, atLeast: MemoryLayout<AVMasteringDisplayMetadata>.size) {
            masteringDisplay = MasteringDisplay(mastering.load(as: AVMasteringDisplayMetadata.self))
        }
        if let light = sideData(AV_PKT_DATA_CONTENT_LIGHT_LEVEL, atLeast: MemoryLayout<AVContentLightMetadata>.size) {
            contentLightLevel = ContentLightLevel(light.load(as: AVContentLightMetadata.self))
        }
    }

    /// A metadata entry's value, nil when absent or empty (MP4 writes `und` for "no language":
    /// that is kept, callers decide what it means).
    private static func tag(_ key: String, in metadata: OpaquePointer?) -> String? {
        guard let entry = av_dict_get(metadata, key, nil, 0), let value = entry.pointee.value else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    /// A stream an encoder produces: stream number `index` of the writer it feeds.
    init(encoded parameters: CodecParameters, index: Int, timeBase: Rational, frameRate: Rational = Rational(0, 1)) {
        self.init(index: index, parameters: parameters.pointer.pointee, timeBase: timeBase, frameRate: frameRate)
    }

    private init(index: Int, parameters: AVCodecParameters, timeBase: Rational, frameRate: Rational) {
        self.index = index
        type = MediaType(parameters.codec_type)
        codecID = parameters.codec_id.rawValue
        codecName = String(cString: avcodec_get_name(parameters.codec_id))
        codecTag = Self.fourCC(parameters.codec_tag)
        profile = parameters.profile == FF_PROFILE_UNKNOWN ? nil : parameters.profile
        profileName = avcodec_profile_name(parameters.codec_id, parameters.profile).map { String(cString: $0) }
        level = parameters.level == FF_LEVEL_UNKNOWN ? nil : parameters.level
        width = Int(parameters.width)
        height = Int(parameters.height)
        if type == .video, parameters.format >= 0,
           let name = av_get_pix_fmt_name(AVPixelFormat(rawValue: parameters.format)) {
            pixelFormat = String(cString: name)
        } else {
            pixelFormat = nil
        }
        sampleRate = Int(parameters.sample_rate)
        channels = Int(parameters.ch_layout.nb_channels)
        bitRate = parameters.bit_rate > 0 ? parameters.bit_rate : nil
        self.timeBase = timeBase
        averageFrameRate = frameRate
        realFrameRate = frameRate
        duration = nil
        startTime = nil
        if let data = parameters.extradata, parameters.extradata_size > 0 {
            extradata = Array(UnsafeBufferPointer(start: data, count: Int(parameters.extradata_size)))
        } else {
            extradata = []
        }
        videoDelay = Int(parameters.video_delay)
        sampleAspectRatio = Rational(parameters.sample_aspect_ratio)
        colorPrimaries = ColorPrimaries(rawValue: parameters.color_primaries.rawValue)
        colorTransfer = ColorTransfer(rawValue: parameters.color_trc.rawValue)
        colorSpace = ColorSpace(rawValue: parameters.color_space.rawValue)
        colorRange = ColorRange(rawValue: parameters.color_range.rawValue)
    }

    private static func fourCC(_ tag: UInt32) -> String? {
        guard tag != 0 else { return nil }
        let bytes = (0..<4).map { UInt8(truncatingIfNeeded: tag >> (8 * $0)) }
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
