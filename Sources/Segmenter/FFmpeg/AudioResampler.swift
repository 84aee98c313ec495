import CFFmpeg

/// Owns a `SwrContext`: converts audio from one rate, channel layout and sample format to
/// another (e.g. a decoder's output to what the AAC encoder takes).
///
/// Not Sendable: one task owns a resampler.
public final class AudioResampler {
    private var context: OpaquePointer?

    /// What `convert` expects.
    public let input: AudioFormat
    /// What `convert` gives.
    public let output: AudioFormat

    /// A resampler from `input` to `output` (`swr_alloc_set_opts2`, `swr_init`).
    public init(input: AudioFormat, output: AudioFormat) throws(FFmpegError) {
        FFmpegLog.configure()
        self.input = input
        self.output = output
        var inputLayout = input.channelLayout
        var outputLayout = output.channelLayout
        // Every stored property is set: a throw below still runs deinit, which frees the context.
        try ffmpegCheck("swr_alloc_set_opts2", swr_alloc_set_opts2(
            &context,
            &outputLayout, output.sampleFormat.avSampleFormat, Int32(output.sampleRate),
            &inputLayout, input.sampleFormat.avSampleFormat, Int32(input.sampleRate),
            0, nil
        ))
        try ffmpegCheck("swr_init", swr_init(context))
    }

    deinit {
        swr_free(&context)
    }

    /// Converts `frame` (which must be in `input`'s format) into a new frame in `output`'s.
    ///
    /// The result may hold fewer or more samples than a plain rate conversion implies: the
    /// resampler's filter delays some, which `flush` gives back at the end. It carries no timestamp.
    public func convert(_ frame: Frame) throws(FFmpegError) -> Frame {
        let format = frame.audioFormat
        guard format.sampleRate == input.sampleRate, format.channelCount == input.channelCount,
              format.sampleFormat == input.sampleFormat else {
            throw FFmpegError(call: "swr_convert(input \(format), expected \(input))", code: reel_averror(EINVAL))
        }
        return try run(input: frame.pointer.pointee.extended_data, count: frame.sampleCount)
    }

    /// The samples still inside the resampler's filter, nil when there are none.
    public func flush() throws(FFmpegError) -> Frame? {
        let frame = try run(input: nil, count: 0)
        return frame.sampleCount > 0 ? frame : nil
    }

    private func run(input data: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?, count: Int) throws(FFmpegError) -> Frame {
        let capacity = try ffmpegCheck("swr_get_out_samples", swr_get_out_samples(context, Int32(count)))
        let converted = try Frame(sampleCount: max(Int(capacity), 1), format: output)
        let inputPlanes = UnsafeMutableRawPointer(data)?.assumingMemoryBound(to: UnsafePointer<UInt8>?.self)
        let written = try ffmpegCheck("swr_convert", swr_convert(
            context, converted.pointer.pointee.extended_data, max(capacity, 1), inputPlanes, Int32(count)
        ))
        converted.pointer.pointee.nb_samples = written
        return converted
    }
}
