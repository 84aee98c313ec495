import CFFmpeg

/// Turns decoded pictures upright: mirrors and rotates them by a `VideoOrientation` (what a
/// display matrix asks of players), into a frame it allocates once and reuses, as
/// `VideoScaler` does. How ladder rungs of a rotated source come out upright with no matrix:
/// either once before the scalers, at the source's size (when the decoder's format is one it
/// takes), or after each scaler, at the rung's size (the scaler making the turned-back size and
/// the rotator's format from anything).
///
/// Takes planar YUV with 8- or 16-bit samples whose chroma is subsampled alike both ways, so
/// that a quarter turn keeps the format: yuv420p, yuvj420p, yuv420p10le, yuv444p, ... Samples
/// are moved, never resampled: with an odd width or height the last chroma column or row
/// covers one luma sample instead of two, and turning moves that half-pixel offset to another
/// edge (encoders take even sizes, which have none).
///
/// Not Sendable: one task owns a rotator.
public final class VideoRotator {
    private var output: Frame?
    private var source: (width: Int32, height: Int32, format: Int32) = (0, 0, -1)

    /// The turn every picture gets.
    public let orientation: VideoOrientation

    public init(orientation: VideoOrientation) {
        FFmpegLog.configure()
        self.orientation = orientation
    }

    /// True when `rotate` takes pictures in `format`.
    public static func supports(_ format: PixelFormat) -> Bool { layout(of: format) != nil }

    /// Turns `frame` upright into the rotator's own output frame and returns that frame: the
    /// input's size with width and height swapped by a quarter turn, its pixel format, colour
    /// description and timestamp, its pixel shape turned likewise, and no keyframe request.
    ///
    /// The returned frame is overwritten by the next call (after `makeWritable`, so an encoder
    /// still holding the previous picture keeps it intact); a source whose size or format
    /// changed mid-stream gets a new output frame.
    ///
    /// - Throws: `EINVAL` naming the format when it is not one `supports` accepts.
    public func rotate(_ frame: Frame) throws(FFmpegError) -> Frame {
        guard let layout = Self.layout(of: frame.pixelFormat) else {
            throw FFmpegError(call: "VideoRotator.rotate(\(frame.pixelFormat): not planar YUV with like chroma subsampling both ways)", code: reel_averror(EINVAL))
        }
        let output = try outputFrame(for: frame)
        try output.makeWritable()
        let input = frame.pointer.pointee
        for plane in 0..<3 {
            let shift = plane == 0 ? 0 : layout.chromaShift
            // AV_CEIL_RSHIFT: a chroma plane covers the last odd luma column or row too.
            let width = -((-Int(input.width)) >> shift)
            let height = -((-Int(input.height)) >> shift)
            guard let source = Self.plane(plane, of: frame), let destination = Self.plane(plane, of: output) else {
                throw FFmpegError(call: "VideoRotator.rotate(\(frame.pixelFormat) picture without plane \(plane))", code: reel_averror(EINVAL))
            }
            let from = (data: source, stride: Self.stride(plane, of: frame))
            let to = (data: destination, stride: Self.stride(plane, of: output))
            if layout.bytesPerSample == 2 {
                turn(UInt16.self, from: from, to: to, width: width, height: height)
            } else {
                turn(UInt8.self, from: from, to: to, width: width, height: height)
            }
        }
        output.pts = frame.bestEffortTimestamp ?? frame.pts
        output.requestsKeyframe = false
        output.pointer.pointee.sample_aspect_ratio = orientation.upright(sampleAspectRatio: Rational(input.sample_aspect_ratio)).avRational
        output.pointer.pointee.color_range = input.color_range
        output.pointer.pointee.color_primaries = input.color_primaries
        output.pointer.pointee.color_trc = input.color_trc
        output.pointer.pointee.colorspace = input.colorspace
        return output
    }

    /// The output frame for pictures like `frame`: the current one, or a new one after a change.
    private func outputFrame(for frame: Frame) throws(FFmpegError) -> Frame {
        let input = frame.pointer.pointee
        if let output, (input.width, input.height, input.format) == source { return output }
        let size = orientation.upright(VideoDimensions(width: frame.width, height: frame.height))
        let made = try Frame(width: size.width, height: size.height, format: frame.pixelFormat)
        output = made
        source = (input.width, input.height, input.format)
        return made
    }

    /// Turns one plane of `width` x `height` samples (its size before turning).
    private func turn<Sample>(
        _: Sample.Type, from: (data: UnsafeMutableRawPointer, stride: Int), to: (data: UnsafeMutableRawPointer, stride: Int),
        width: Int, height: Int
    ) {
        let size = MemoryLayout<Sample>.size
        let map = PlaneMap(orientation, width: width, height: height, sourceStride: from.stride / size)
        let turned = orientation.upright(VideoDimensions(width: width, height: height))
        Self.copy(
            from: UnsafePointer(from.data.assumingMemoryBound(to: Sample.self)), map: map,
            to: to.data.assumingMemoryBound(to: Sample.self), stride: to.stride / size,
            width: turned.width, height: turned.height
        )
    }

    /// Fills `width` x `height` destination samples, each from where `map` says. Quarter turns
    /// read down source columns, so they go in strips of destination columns 32 bytes wide: a
    /// strip reads as many source rows side by side, whose cache lines stay in L1 until used up
    /// (wider strips measured slower, up to twice at 128 bytes; 1080p takes about 1 ms).
    private static func copy<Sample>(
        from source: UnsafePointer<Sample>, map: PlaneMap, to destination: UnsafeMutablePointer<Sample>, stride: Int,
        width: Int, height: Int
    ) {
        if map.dx == 1 {
            for y in 0..<height {
                (destination + y * stride).update(from: source + (map.base + y * map.dy), count: width)
            }
            return
        }
        if map.dx == -1 {
            // Along source rows backwards: a constant step the compiler vectorizes.
            for y in 0..<height {
                let row = destination + y * stride
                let first = source + (map.base + y * map.dy)
                for x in 0..<width { row[x] = first[-x] }
            }
            return
        }
        let strip = 32 / MemoryLayout<Sample>.size
        for stripX in Swift.stride(from: 0, to: width, by: strip) {
            let columns = stripX..<min(stripX + strip, width)
            for y in 0..<height {
                let row = destination + y * stride
                var sample = source + (map.base + y * map.dy + stripX * map.dx)
                for x in columns {
                    row[x] = sample.pointee
                    sample += map.dx
                }
            }
        }
    }

    /// Where destination sample (X, Y) of a turned plane comes from: source element
    /// `base + X * dx + Y * dy`, counted in samples from the plane's first.
    struct PlaneMap: Equatable {
        var base: Int
        var dx: Int
        var dy: Int

        /// The map for a `width` x `height` source plane (size before turning) whose rows are
        /// `sourceStride` samples apart.
        init(_ orientation: VideoOrientation, width: Int, height: Int, sourceStride: Int) {
            // Source x (before the mirror) and y as x0 + xX * X + xY * Y and y0 + yX * X + yY * Y.
            var (x0, xX, xY, y0, yX, yY) = switch orientation.rotation {
            case .none: (0, 1, 0, 0, 0, 1)
            case .clockwise90: (0, 0, 1, height - 1, -1, 0)
            case .clockwise180: (width - 1, -1, 0, height - 1, 0, -1)
            case .clockwise270: (width - 1, 0, -1, 0, 1, 0)
            }
            if orientation.isMirrored { (x0, xX, xY) = (width - 1 - x0, -xX, -xY) }
            base = y0 * sourceStride + x0
            dx = yX * sourceStride + xX
            dy = yY * sourceStride + xY
        }
    }

    /// What the loops need to know of a pixel format, nil when they cannot take it.
    private static func layout(of format: PixelFormat) -> (bytesPerSample: Int, chromaShift: Int)? {
        guard let descriptor = av_pix_fmt_desc_get(format.avPixelFormat)?.pointee else { return nil }
        let unwanted = UInt64(AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_ALPHA | AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_PAL)
        let components = [descriptor.comp.0, descriptor.comp.1, descriptor.comp.2]
        guard descriptor.nb_components == 3, descriptor.flags & UInt64(AV_PIX_FMT_FLAG_PLANAR) != 0, descriptor.flags & unwanted == 0,
              descriptor.log2_chroma_w == descriptor.log2_chroma_h,
              components.enumerated().allSatisfy({ $0.element.plane == $0.offset && $0.element.offset == 0 && $0.element.step == components[0].step }),
              components[0].step == 1 || components[0].step == 2 else { return nil }
        return (Int(components[0].step), Int(descriptor.log2_chroma_w))
    }

    private static func plane(_ index: Int, of frame: Frame) -> UnsafeMutableRawPointer? {
        withUnsafeBytes(of: frame.pointer.pointee.data) { $0.load(fromByteOffset: index * MemoryLayout<UnsafeMutableRawPointer?>.stride, as: UnsafeMutableRawPointer?.self) }
    }

    private static func stride(_ index: Int, of frame: Frame) -> Int {
        withUnsafeBytes(of: frame.pointer.pointee.linesize) { Int($0.load(fromByteOffset: index * MemoryLayout<Int32>.stride, as: Int32.self)) }
    }
}
