import CFFmpeg

/// Owns an `AVAudioFifo`: gathers audio frames of any length and hands them back in frames of
/// exactly the size an encoder takes (AAC: 1024 samples), with timestamps counted in samples.
///
/// Not Sendable: one task owns an assembler.
public final class AudioFrameAssembler {
    private let fifo: OpaquePointer

    /// The format of every frame pushed and popped.
    public let format: AudioFormat

    /// The timestamp, in 1/`sampleRate` units, of the next sample to be popped.
    public internal(set) var nextTimestamp: Int64

    /// An empty assembler for `format` whose first sample has timestamp `startTimestamp`.
    public init(format: AudioFormat, startTimestamp: Int64 = 0) throws(FFmpegError) {
        guard format.channelCount > 0, format.sampleRate > 0 else {
            throw FFmpegError(call: "av_audio_fifo_alloc(\(format))", code: reel_averror(EINVAL))
        }
        guard let fifo = av_audio_fifo_alloc(format.sampleFormat.avSampleFormat, Int32(format.channelCount), 4096) else {
            throw FFmpegError(call: "av_audio_fifo_alloc", code: reel_averror(ENOMEM))
        }
        self.fifo = fifo
        self.format = format
        self.nextTimestamp = startTimestamp
    }

    deinit {
        av_audio_fifo_free(fifo)
    }

    /// Samples per channel waiting to be popped.
    public var bufferedSampleCount: Int { Int(av_audio_fifo_size(fifo)) }

    /// Appends the samples of `frame`, which must be in `format`.
    public func push(_ frame: Frame) throws(FFmpegError) {
        let pushed = frame.audioFormat
        guard pushed.sampleFormat == format.sampleFormat, pushed.channelCount == format.channelCount,
              pushed.sampleRate == format.sampleRate else {
            throw FFmpegError(call: "av_audio_fifo_write(\(pushed), expected \(format))", code: reel_averror(EINVAL))
        }
        guard frame.sampleCount > 0 else { return }
        let planes = UnsafeMutableRawPointer(frame.pointer.pointee.extended_data).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        let written = try ffmpegCheck("av_audio_fifo_write", av_audio_fifo_write(fifo, planes, Int32(frame.sampleCount)))
        guard Int(written) == frame.sampleCount else {
            throw FFmpegError(call: "av_audio_fifo_write", code: reel_averror(ENOMEM))
        }
    }

    /// A new frame of exactly `sampleCount` samples from the front of the queue, stamped with
    /// `nextTimestamp`; nil when fewer are buffered, unless `allowShort` (for the last frame),
    /// which gives what is left (nil when nothing is).
    public func pop(sampleCount: Int, allowShort: Bool = false) throws(FFmpegError) -> Frame? {
        let available = bufferedSampleCount
        guard available >= sampleCount || (allowShort && available > 0) else { return nil }
        let count = min(sampleCount, available)
        let frame = try Frame(sampleCount: count, format: format)
        let planes = UnsafeMutableRawPointer(frame.pointer.pointee.extended_data).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        let read = try ffmpegCheck("av_audio_fifo_read", av_audio_fifo_read(fifo, planes, Int32(count)))
        frame.pointer.pointee.nb_samples = read
        frame.pts = nextTimestamp
        nextTimestamp += Int64(read)
        return frame
    }
}
