/// One transcoded rung's chain: scale each decoded picture (libswscale), turn it upright when
/// the source's display matrix says so, encode it (an IDR where a segment starts), cut the
/// packets into segments; for MPEG-TS with one audio track, audio packets are muxed in between.
///
/// Not Sendable: built on the coordinating thread, then handed to the rung's own thread
/// (``RungWorker``), which alone uses it from then on.
final class RungEncoding {
    /// What reaches a rung from the decoder.
    enum Input {
        /// A decoded picture (a reference: the decoder and other rungs share its buffers);
        /// `startsSegment` forces an IDR.
        case picture(Frame, startsSegment: Bool)
        /// An AAC packet to mux (MPEG-TS), its time in seconds from the origin.
        case audio(Packet, time: Double)
    }

    let name: String
    private let scaler: VideoScaler
    /// Turns scaled pictures upright; nil when the source's are.
    private let rotator: VideoRotator?
    private let encoder: VideoEncoder
    private let cutter: RenditionCutter
    /// The stream number the writer knows the video as.
    private let videoIndex: Int
    /// Timestamps of the pictures asked to be IDRs, not yet seen coming out of the encoder.
    private var forced = FIFO<Int64>()
    private let packet = Packet()

    init(name: String, scaler: VideoScaler, rotator: VideoRotator?, encoder: VideoEncoder, cutter: RenditionCutter, videoIndex: Int) {
        self.name = name
        self.scaler = scaler
        self.rotator = rotator
        self.encoder = encoder
        self.cutter = cutter
        self.videoIndex = videoIndex
    }

    func handle(_ input: Input) throws(IngestError) {
        switch input {
        case let .picture(frame, startsSegment):
            let scaled: Frame
            do {
                let picture = try scaler.scale(frame)
                scaled = try rotator?.rotate(picture) ?? picture
            } catch {
                throw .encode(rendition: name, error)
            }
            scaled.requestsKeyframe = startsSegment
            if startsSegment, let pts = scaled.pts { forced.append(pts) }
            do { try encoder.send(scaled) } catch { throw .encode(rendition: name, error) }
            try drain()
        case let .audio(packet, time):
            cutter.queueAudio(packet, time: time)
        }
    }

    /// Flushes the encoder and ends the last segment.
    func finish() throws(IngestError) {
        do { try encoder.flush() } catch { throw .encode(rendition: name, error) }
        try drain()
        try cutter.finish()
    }

    private func drain() throws(IngestError) {
        let timeBase = encoder.timeBase.doubleValue
        while true {
            let result: ReceiveResult
            do { result = try encoder.receive(into: packet) } catch { throw .encode(rendition: name, error) }
            guard result == .received else { return }
            guard let pts = packet.pts else { continue }
            var startsSegment = false
            if packet.isKeyframe, forced.first == pts {
                startsSegment = true
                _ = forced.popFirst()
                if cutter.progress.videoCodec == nil { learnCodec() }
            }
            packet.setStreamIndex(videoIndex)
            let decodeTime = packet.dts.map { Double($0) * timeBase }
            try cutter.write(packet, time: Double(pts) * timeBase, startsSegment: startsSegment, interleaveUntil: decodeTime)
        }
    }

    /// Reads the codec string from the first IDR's in-band parameter sets (MPEG-TS) or the
    /// encoder's out-of-band ones (fMP4).
    private func learnCodec() {
        guard var info = try? StreamInfo(encoded: encoder.codecParameters(), index: videoIndex, timeBase: encoder.timeBase) else { return }
        if info.extradata.isEmpty { info.extradata = packet.payloadPrefix(1024) }
        cutter.progress.videoCodec = CodecString.make(for: info)
    }
}
