/// One audio track of the input on its way to the presentation: copied or transcoded (a
/// ladder encodes each track once), then either muxed into the variants or written as a
/// rendition of its own, cut where the video's segments start.
///
/// A rendition of its own cuts at the first packet at or after each segment start. The starts
/// are decided as the input is read (the copied video's keyframes, the rungs' first picture of
/// each grid interval, or the first audio track's packets), so a packet is held until the lead
/// has passed its time and every start before it is known.
///
/// Not Sendable: owned by the ingest's coordinating thread.
final class AudioTrackFeed {
    /// Where the track's packets go.
    enum Destination {
        /// Into the variants' own files (one audio track: the `copy` rendition, or each rung in MPEG-TS).
        case muxed
        /// A rendition of its own.
        case rendition(RenditionCutter)
    }

    /// The input's name, for errors.
    let input: String
    let track: PresentationPlan.AudioTrack
    /// Nil when the track is copied as it is.
    let transcoder: AudioTranscoder?
    let destination: Destination
    /// What reaches the writers: the input stream, or the encoder's.
    let output: SegmentWriter.InputStream
    private var schedule = CutSchedule.explicit(tolerance: 1e-6)
    /// Packets waiting for the segment starts before them to be known.
    private var held = FIFO<(packet: Packet, time: Double)>()

    var cutter: RenditionCutter? {
        if case .rendition(let cutter) = destination { return cutter }
        return nil
    }

    /// RFC 6381 string of what the track's renditions carry.
    var codecs: [String] { CodecString.make(for: output.info).map { [$0] } ?? [] }

    /// Channels of what is written.
    var channels: Int { output.info.channels }

    init(
        input: String, track: PresentationPlan.AudioTrack, transcoder: AudioTranscoder?, destination: Destination,
        output: SegmentWriter.InputStream
    ) {
        self.input = input
        self.track = track
        self.transcoder = transcoder
        self.destination = destination
        self.output = output
    }

    /// A segment starts at `time` (segment starts come in increasing order).
    func announceCut(at time: Double) {
        schedule.append(time)
    }

    /// Hands `packet` (the input's, at `time` seconds) through the transcoder, if any, to `deliver`
    /// with its time; a copied packet is a new reference, since the demuxer reuses its own.
    func receive(_ packet: Packet, at time: Double, deliver: (Packet, Double) throws(IngestError) -> Void) throws(IngestError) {
        guard let transcoder else {
            let copy: Packet
            do { copy = try packet.reference() } catch { throw .remux(input: input, error) }
            copy.setStreamIndex(output.info.index)
            try deliver(copy, time)
            return
        }
        try transcoder.send(packet) { (encoded) throws(IngestError) in try self.deliverEncoded(encoded, to: deliver) }
    }

    /// Flushes the transcoder's last packets to `deliver`.
    func finish(deliver: (Packet, Double) throws(IngestError) -> Void) throws(IngestError) {
        try transcoder?.finish { (encoded) throws(IngestError) in try self.deliverEncoded(encoded, to: deliver) }
    }

    private func deliverEncoded(_ packet: Packet, to deliver: (Packet, Double) throws(IngestError) -> Void) throws(IngestError) {
        guard let timestamp = packet.pts, let transcoder else { return }
        packet.setStreamIndex(output.info.index)
        try deliver(packet, Double(timestamp) * transcoder.encoder.timeBase.doubleValue)
    }

    /// Writes `packet` to the track's rendition, its segment start decided by the schedule.
    private func write(_ packet: Packet, at time: Double) throws(IngestError) {
        guard let cutter else { return }
        try cutter.write(packet, time: time, startsSegment: schedule.startsSegment(at: time))
    }

    /// Keeps `packet` until ``release(upTo:)`` passes its time.
    func hold(_ packet: Packet, at time: Double) {
        held.append((packet, time))
    }

    /// Writes the held packets before `horizon`: every segment start before them is known.
    func release(upTo horizon: Double) throws(IngestError) {
        while let next = held.first, next.time < horizon {
            _ = held.popFirst()
            try write(next.packet, at: next.time)
        }
    }
}
