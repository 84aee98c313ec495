import HLSPlaylist

/// The transcoded rungs of a ladder: the input's video decoded once, each picture handed by
/// reference to every rung's thread (``RungWorker``) with the segment starts marked, where
/// each rung scales, encodes and writes it.
///
/// Not Sendable: lives on the ingest's coordinating thread.
final class RungSet {
    /// A rung ready to start: its encoding chain (handed to its thread) and where its
    /// outline sits among the presentation's renditions.
    struct Rung {
        var encoding: RungEncoding
        var progress: RenditionProgress
        var outlineIndex: Int
    }

    private let input: String
    private let decoder: Decoder
    private let timeBase: Rational
    private let workers: [RungWorker]
    private let outlineIndices: [Int]
    /// Codec strings of audio muxed into every rung (MPEG-TS), after the video's.
    private let muxedAudioCodecs: [String]
    private var cuts: CutSchedule
    private var frameRateLimit = FrameRateLimit(maximumRate: Double(LadderRung.maximumFrameRate))
    private var firstPicture = true
    private let frame = Frame()

    /// Starts one thread per rung; the encodings belong to them from now on.
    init(input: String, decoder: Decoder, timeBase: Rational, rungs: [Rung], cuts: CutSchedule, muxedAudioCodecs: [String]) {
        self.input = input
        self.decoder = decoder
        self.timeBase = timeBase
        self.cuts = cuts
        self.muxedAudioCodecs = muxedAudioCodecs
        outlineIndices = rungs.map(\.outlineIndex)
        workers = rungs.map { RungWorker(HandOff($0.encoding), progress: $0.progress) }
    }

    /// The copied video starts a segment at `time`: the picture there becomes an IDR in every rung.
    func announceCut(at time: Double) {
        cuts.append(time)
    }

    func decode(_ packet: Packet) throws(IngestError) {
        do { try decoder.send(packet) } catch { throw .decode(input: input, error) }
    }

    /// Hands every decoded picture to the rungs; `onPicture` hears each picture's time (in
    /// presentation order) and whether it starts a segment (the first does not count).
    func drainDecoder(onPicture: (Double, Bool) throws(IngestError) -> Void) throws(IngestError) {
        while true {
            let result: ReceiveResult
            do { result = try decoder.receive(into: frame) } catch { throw .decode(input: input, error) }
            guard result == .received else { return }
            guard let timestamp = frame.bestEffortTimestamp ?? frame.pts else { continue }
            let time = Double(timestamp) * timeBase.doubleValue
            let startsSegment = firstPicture || cuts.startsSegment(at: time)
            try onPicture(time, startsSegment && !firstPicture)
            firstPicture = false
            guard frameRateLimit.admits(time, startsSegment: startsSegment) else { continue }
            for worker in workers {
                let picture: Frame
                do { picture = try frame.reference() } catch { throw .encode(rendition: worker.name, error) }
                guard worker.send(.picture(picture, startsSegment: startsSegment)) else { try checkRungs(); return }
            }
        }
    }

    /// Flushes the decoder's last pictures to the rungs.
    func flushDecoder(onPicture: (Double, Bool) throws(IngestError) -> Void) throws(IngestError) {
        do { try decoder.flush() } catch { throw .decode(input: input, error) }
        try drainDecoder(onPicture: onPicture)
    }

    /// An encoded audio packet to mux into every rung (MPEG-TS with one audio track).
    func sendAudio(_ packet: Packet, at time: Double) throws(IngestError) {
        for worker in workers {
            let copy: Packet
            do { copy = try packet.reference() } catch { throw .encode(rendition: worker.name, error) }
            guard worker.send(.audio(copy, time: time)) else { try checkRungs(); return }
        }
    }

    /// No more input: waits until every rung has written its last segment.
    func finish() throws(IngestError) {
        for worker in workers { worker.finish() }
        try checkRungs()
    }

    /// Stops every rung thread without finishing.
    func cancel() {
        for worker in workers { worker.cancel() }
    }

    /// Gives the rungs' outlines the codec strings their encoders have shown so far.
    func learnCodecs(into live: inout LivePublication) {
        for (worker, index) in zip(workers, outlineIndices) {
            guard let codec = worker.progress.videoCodec else { continue }
            live.setCodecs([codec] + muxedAudioCodecs, ofRendition: index)
        }
    }

    private func checkRungs() throws(IngestError) {
        for worker in workers {
            if let failure = worker.progress.failure { throw failure }
        }
    }
}
