import CFFmpeg

/// Owns a `SwsContext`: scales and converts decoded pictures to one target size and pixel
/// format, into a frame it allocates once and reuses.
///
/// Not Sendable: one task owns a scaler (one per ladder rung).
public final class VideoScaler {
    /// How libswscale filters when it resizes (`SWS_*` flags).
    public struct Algorithm: Sendable, Hashable {
        let flags: Int32

        /// Bicubic: ffmpeg's `scale` filter default, a good quality/speed balance for downscaling.
        public static let bicubic = Algorithm(flags: SWS_BICUBIC)
        public static let bilinear = Algorithm(flags: SWS_BILINEAR)
        public static let fastBilinear = Algorithm(flags: SWS_FAST_BILINEAR)
        /// Area averaging: cheap and alias-free for large reductions.
        public static let area = Algorithm(flags: SWS_AREA)
        public static let lanczos = Algorithm(flags: SWS_LANCZOS)
    }

    // Nil only after a failed rebuild, which frees the previous context.
    private var context: OpaquePointer?
    private var source: (width: Int32, height: Int32, format: Int32)
    private let output: Frame
    private let flags: Int32

    /// The size every output picture has.
    public let target: VideoDimensions
    /// The pixel format every output picture has.
    public let targetFormat: PixelFormat

    /// A scaler from `sourceWidth` x `sourceHeight` pictures in `sourceFormat` to `target` in
    /// `targetFormat`.
    public init(
        sourceWidth: Int, sourceHeight: Int, sourceFormat: PixelFormat,
        target: VideoDimensions, targetFormat: PixelFormat = .yuv420p, algorithm: Algorithm = .bicubic
    ) throws(FFmpegError) {
        FFmpegLog.configure()
        output = try Frame(width: target.width, height: target.height, format: targetFormat)
        guard let context = sws_getContext(
            Int32(sourceWidth), Int32(sourceHeight), sourceFormat.avPixelFormat,
            Int32(target.width), Int32(target.height), targetFormat.avPixelFormat,
            algorithm.flags, nil, nil, nil
        ) else {
            // libswscale reports no code: an unsupported format or a zero size is all it can be.
            throw FFmpegError(call: "sws_getContext(\(sourceWidth)x\(sourceHeight) \(sourceFormat) to \(target) \(targetFormat))", code: reel_averror(EINVAL))
        }
        self.context = context
        self.source = (Int32(sourceWidth), Int32(sourceHeight), sourceFormat.rawValue)
        self.flags = algorithm.flags
        self.target = target
        self.targetFormat = targetFormat
    }

    deinit {
        sws_freeContext(context)
    }

    /// Scales `frame` into the scaler's own output frame and returns that frame, carrying the
    /// input's timestamp and no keyframe request.
    ///
    /// The returned frame is overwritten by the next call (after `makeWritable`, so an encoder
    /// still holding the previous picture keeps it intact). A source whose size or format
    /// changed mid-stream gets a new scaling context.
    public func scale(_ frame: Frame) throws(FFmpegError) -> Frame {
        let input = frame.pointer.pointee
        if (input.width, input.height, input.format) != source {
            guard let context = sws_getCachedContext(
                context, input.width, input.height, AVPixelFormat(rawValue: input.format),
                Int32(target.width), Int32(target.height), targetFormat.avPixelFormat, flags, nil, nil, nil
            ) else {
                // sws_getCachedContext freed the old context before failing.
                self.context = nil
                throw FFmpegError(call: "sws_getCachedContext(\(input.width)x\(input.height) \(frame.pixelFormat))", code: reel_averror(EINVAL))
            }
            self.context = context
            source = (input.width, input.height, input.format)
        }
        guard let context else { throw FFmpegError(call: "sws_scale_frame(no context)", code: reel_averror(EINVAL)) }
        try output.makeWritable()
        try ffmpegCheck("sws_scale_frame", sws_scale_frame(context, output.pointer, frame.pointer))
        output.pts = frame.bestEffortTimestamp ?? frame.pts
        output.requestsKeyframe = false
        return output
    }
}
