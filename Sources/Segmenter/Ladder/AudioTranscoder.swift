import CFFmpeg

/// Decodes one of the input's audio tracks and encodes it once as AAC-LC: the audio of every
/// rung.
///
/// Decoded samples go through libswresample to the encoder's rate (the input's when it is
/// 44.1 or 48 kHz, else 48 kHz), the track's channels up to two (mono stays mono, anything
/// wider becomes stereo) and planar float. Encoded packets carry
/// timestamps in 1/rate counted from the first decoded sample's time, so they stay in step with
/// the video whatever the input's audio delay.
///
/// Not Sendable: owned by the ingest's coordinating thread.
final class AudioTranscoder {
    let stream: StreamInfo
    /// The input's name, for errors.
    let input: String
    /// The rendition the audio is for, for errors.
    let rendition: String
    private let decoder: Decoder
    let encoder: AudioEncoder
    private var resampler: AudioResampler?
    private var started = false
    private let frame = Frame()
    private var spare = Packet()

    /// The encoder's output rate for an input at `sampleRate`.
    static func outputRate(forInput sampleRate: Int) -> Int {
        [44_100, 48_000].contains(sampleRate) ? sampleRate : 48_000
    }

    /// Channels of the encoded audio for an input with `channels`.
    static func outputChannels(forInput channels: Int) -> Int {
        channels == 1 ? 1 : 2
    }

    /// - Parameter bitRate: for stereo; mono gets half.
    init(input: String, rendition: String, stream: StreamInfo, parameters: CodecParameters, bitRate: Int) throws(FFmpegError) {
        self.input = input
        self.rendition = rendition
        self.stream = stream
        decoder = try Decoder(parameters: parameters, timeBase: stream.timeBase, threads: 1)
        let channels = Self.outputChannels(forInput: stream.channels)
        encoder = try AudioEncoder(settings: AudioEncoder.Settings(
            sampleRate: Self.outputRate(forInput: stream.sampleRate), channelCount: channels,
            bitRate: bitRate * channels / 2, globalHeader: true
        ))
    }

    /// Decodes `packet` and hands every AAC packet that is ready to `emit`, with its time in
    /// seconds on the input's timeline.
    func send(_ packet: Packet, emit: (Packet) throws(IngestError) -> Void) throws(IngestError) {
        do {
            try decoder.send(packet)
        } catch {
            throw .decode(input: input, error)
        }
        try drainDecoder(emit: emit)
    }

    /// Flushes the decoder, the resampler and the encoder.
    func finish(emit: (Packet) throws(IngestError) -> Void) throws(IngestError) {
        do { try decoder.flush() } catch { throw .decode(input: input, error) }
        try drainDecoder(emit: emit)
        do {
            if let rest = try resampler?.flush() { try encoder.send(rest) }
            encoder.flush()
        } catch {
            throw .encode(rendition: rendition, error)
        }
        try drainEncoder(emit: emit)
    }

    private func drainDecoder(emit: (Packet) throws(IngestError) -> Void) throws(IngestError) {
        while true {
            let result: ReceiveResult
            do { result = try decoder.receive(into: frame) } catch { throw .decode(input: input, error) }
            guard result == .received else { return }
            do {
                if !started, let timestamp = frame.bestEffortTimestamp ?? frame.pts {
                    started = true
                    encoder.start(at: av_rescale_q(timestamp, stream.timeBase.avRational, encoder.timeBase.avRational))
                }
                // Built from the first frame: a decoder declares its output format only then.
                let resampler: AudioResampler
                if let existing = self.resampler {
                    resampler = existing
                } else {
                    resampler = try AudioResampler(input: frame.audioFormat, output: encoder.inputFormat)
                    self.resampler = resampler
                }
                try encoder.send(try resampler.convert(frame))
            } catch {
                throw .encode(rendition: rendition, error)
            }
            try drainEncoder(emit: emit)
        }
    }

    private func drainEncoder(emit: (Packet) throws(IngestError) -> Void) throws(IngestError) {
        while true {
            let result: ReceiveResult
            do { result = try encoder.receive(into: spare) } catch { throw .encode(rendition: rendition, error) }
            guard result == .received else { return }
            // The emitted packet is kept by whoever writes it; receive the next into a new one.
            let packet = spare
            spare = Packet()
            try emit(packet)
        }
    }
}
