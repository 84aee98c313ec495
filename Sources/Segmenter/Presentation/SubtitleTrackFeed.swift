import Foundation
import HLSPlaylist

/// One subtitle track on its way to a WebVTT rendition: cues from the input's packets (decoded
/// and turned into WebVTT text as they are read) or from a sidecar file (read whole up front),
/// shared out among segments that start where the video's do.
///
/// Each segment is a WebVTT file whose `X-TIMESTAMP-MAP` ties cue time 0 to the timestamp the
/// presentation's start has in the media segments (0 in fMP4, 1.4 s in MPEG-TS, in 90 kHz
/// units), so cue times are media times in either format.
///
/// An embedded track's segment is written once the reading has passed its end by
/// ``interleaveAllowance``: a cue starting just before a cut can arrive a little after the
/// keyframe that decided the cut. Publication waits for it, so a live input's segments appear
/// that much later.
///
/// Not Sendable: owned by the ingest's coordinating thread.
final class SubtitleTrackFeed {
    /// How far past a segment's end the input is read before the segment is written.
    static let interleaveAllowance = 1.0

    let track: PresentationPlan.SubtitleTrack
    let progress: RenditionProgress
    /// The input stream the cues come from; nil for a sidecar file.
    var streamIndex: Int? {
        if case .stream(let stream) = track.source { return stream.index }
        return nil
    }

    private let input: String
    private let transcoder: SubtitleTranscoder?
    private let publisher: AssetPublisher
    private let mpegTimestamp: Int64
    private var segmentation = SubtitleSegmentation(start: 0)
    /// Where each segment starts, as the lead announces them.
    private var starts: [Double] = [0]
    private var segments: [SegmentRecord] = []

    init(input: String, track: PresentationPlan.SubtitleTrack, demuxer: Demuxer, publisher: AssetPublisher, progress: RenditionProgress, mpegTimestamp: Int64) throws(IngestError) {
        self.input = input
        self.track = track
        self.publisher = publisher
        self.progress = progress
        self.mpegTimestamp = mpegTimestamp
        switch track.source {
        case .stream(let stream):
            do {
                transcoder = try SubtitleTranscoder(parameters: try demuxer.codecParameters(ofStream: stream.index), timeBase: stream.timeBase)
            } catch {
                throw .decode(input: input, error)
            }
        case .file(let path):
            transcoder = nil
            do {
                segmentation.add(contentsOf: try SubtitleFile.cues(path: path))
            } catch {
                throw .input(error)
            }
        }
    }

    /// A packet of the track, presented at `time` seconds.
    func receive(_ packet: Packet, at time: Double) throws(IngestError) {
        guard let transcoder, let stream = streamInfo else { return }
        let duration = packet.duration > 0 ? Double(packet.duration) * stream.timeBase.doubleValue : nil
        do {
            segmentation.add(contentsOf: try transcoder.cues(from: packet, start: time, duration: duration))
        } catch {
            throw .decode(input: input, error)
        }
    }

    /// A segment starts at `time`.
    func announceCut(at time: Double) {
        starts.append(time)
    }

    /// Writes the segments whose cues are all known now that the input is read up to `mediaTime`.
    func release(readUpTo mediaTime: Double) throws(IngestError) {
        let allowance = transcoder == nil ? 0 : Self.interleaveAllowance
        while segments.count + 1 < starts.count, starts[segments.count + 1] + allowance <= mediaTime {
            try writeSegment(endingAt: starts[segments.count + 1])
        }
    }

    /// The input has ended at `end`: writes the rest, so the rendition has `count` segments
    /// like every other.
    func finish(segments count: Int, end: Double) throws(IngestError) {
        if let transcoder { segmentation.add(contentsOf: transcoder.finish(endingAt: end)) }
        while segments.count < count {
            let next = segments.count + 1
            try writeSegment(endingAt: next < starts.count && next < count ? starts[next] : max(end, segmentation.segmentStart))
        }
    }

    private var streamInfo: StreamInfo? {
        if case .stream(let stream) = track.source { return stream }
        return nil
    }

    /// Writes the next segment (`seg-NNNNN.vtt`, `seg-G-NNNNN.vtt` from generation 1 on; aside,
    /// then renamed into place) and records it.
    private func writeSegment(endingAt end: Double) throws(IngestError) {
        let start = segmentation.segmentStart
        let text = WebVTTSegment.render(cues: segmentation.takeSegment(endingAt: end), mpegTimestamp: mpegTimestamp)
        let index = segments.count
        let name = LibraryLayout.segment(index, extension: LibraryLayout.subtitleSegmentExtension, generation: publisher.generation)
        let data = Data(text.utf8)
        try publisher.write(data, to: "\(track.rendition)/\(name)")
        segments.append(SegmentRecord(index: index, uri: name, start: start, duration: max(0, end - start), offset: 0, length: Int64(data.count), keyframes: []))
        progress.update(RenditionSegments(segments: segments))
    }
}
