/// Feeds one rendition's packets to its ``SegmentWriter``: begins the first segment, ends one
/// and begins the next wherever the caller says a segment starts, reports every completed
/// segment, and (MPEG-TS, audio muxed into a video rendition) interleaves audio packets
/// with the video by time.
///
/// Not Sendable: owned by the thread that writes the rendition.
final class RenditionCutter {
    let writer: SegmentWriter
    let progress: RenditionProgress
    private var started = false
    private var segmentIndex = 0
    private(set) var end = 0.0
    /// Audio waiting for the video to pass its time.
    private var audio = FIFO<(packet: Packet, time: Double)>()

    init(writer: SegmentWriter, progress: RenditionProgress) {
        self.writer = writer
        self.progress = progress
    }

    /// Writes `packet`, presented at `time` (seconds from the origin). With `startsSegment` the
    /// segment before it ends at `time` and it begins the next one. `interleaveUntil` is the time
    /// up to which queued audio goes first (the packet's decoding time; for a segment start its
    /// presentation time, so audio before the cut stays in the segment it belongs to).
    func write(_ packet: Packet, time: Double, startsSegment: Bool, interleaveUntil: Double? = nil) throws(IngestError) {
        let audioLimit = startsSegment ? time : (interleaveUntil ?? time)
        if !started {
            try writer.beginSegment(index: 0, at: 0)
            started = true
        } else if startsSegment {
            try writeAudio(before: audioLimit)
            try writer.endSegment(at: time)
            segmentIndex += 1
            reportProgress()
            try writer.beginSegment(index: segmentIndex, at: time)
        }
        try writeAudio(before: audioLimit)
        end = max(end, time + writer.durationSeconds(of: packet))
        try writer.write(packet, time: time)
        // Low-Latency HLS: a part the packet completed is published with the next playlist.
        if writer.pendingParts.count != reportedParts { reportProgress() }
    }

    private var reportedParts = 0

    private func reportProgress() {
        reportedParts = writer.pendingParts.count
        progress.update(RenditionSegments(segments: writer.segments, initSection: writer.initSection, pendingParts: writer.pendingParts))
    }

    /// Queues an audio packet to be muxed into this rendition when the video reaches its time.
    func queueAudio(_ packet: Packet, time: Double) {
        audio.append((packet, time))
    }

    /// Writes what is queued and ends the last segment; true when anything was written.
    @discardableResult
    func finish() throws(IngestError) -> Bool {
        guard started else { return false }
        try writeAudio(before: .infinity)
        try writer.endSegment(at: end, final: true)
        reportProgress()
        return true
    }

    private func writeAudio(before limit: Double) throws(IngestError) {
        while let next = audio.first, next.time < limit {
            _ = audio.popFirst()
            end = max(end, next.time + writer.durationSeconds(of: next.packet))
            try writer.write(next.packet, time: next.time)
        }
    }
}
