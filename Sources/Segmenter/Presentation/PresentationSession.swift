import Foundation
import HLSPlaylist

/// The coordinating side of an ingest: takes the input's packets (on the normalized timeline)
/// and feeds every rendition of the presentation, deciding where segments start, and
/// publishes them in step.
///
/// Renditions: the `copy` rendition (stream copy), transcoded rungs (the video decoded once,
/// each picture handed to every rung's thread), audio tracks (copied, or encoded once each in a
/// ladder; muxed into the variants when there is one, else renditions of their own) and WebVTT
/// subtitles.
///
/// Where segments start (``Lead``): with a copied video, at the input's keyframes on the
/// segment grid (rungs get IDRs at exactly those pictures); with rungs only, at the first
/// picture on or after each multiple of the segment duration; without video, at the first
/// audio track's packets on that grid. Every other rendition cuts at the first packet or
/// picture at or after the same instants.
///
/// Not Sendable: lives on the ingest's thread; rungs get their state through ``HandOff``.
final class PresentationSession {
    /// Stream numbers inside every writer.
    static let videoIndex = 0
    static let audioIndex = 1
    static let audioGroup = "audio"
    static let subtitleGroup = "subs"
    /// MPEG-TS timestamps of every rendition start this late (ffmpeg's own TS output starts at
    /// 1.4 s too): enough that no B-frame or audio delay makes one negative, and the same
    /// picture has the same PTS in every rendition.
    static let transportStreamDelay = 1.4

    /// What decides where segments start.
    enum Lead {
        /// The copied video's keyframes.
        case copiedVideo
        /// A grid of the segment duration (transcoded rungs only).
        case grid
        /// The first audio track's packets (no video).
        case audio
    }

    let request: IngestRequest
    let lead: Lead
    var live: LivePublication
    /// In publication order.
    let progresses: [RenditionProgress]
    /// The video and audio renditions' (subtitles follow their cuts).
    private let mediaProgresses: [RenditionProgress]
    /// Low-Latency HLS: the renditions written in parts (none without `--part-duration`).
    private let partedProgresses: [RenditionProgress]

    let copyCutter: RenditionCutter?
    let rungs: RungSet?
    let audioFeeds: [AudioTrackFeed]
    let subtitleFeeds: [SubtitleTrackFeed]
    /// Audio feeds by input stream index.
    private let audioByStream: [Int: AudioTrackFeed]
    private let subtitlesByStream: [Int: SubtitleTrackFeed]

    private var copyPlanner: SegmentPlanner
    private var audioPlanner: SegmentPlanner
    private var videoStarted = false
    private var audioStarted = false
    /// How far the lead has been read (seconds): every segment start before it is known.
    private var horizon = -Double.infinity
    /// The latest media time read from the input, for subtitles whose cues arrive with it.
    private var mediaTime = 0.0

    init(request: IngestRequest, parts: Parts) {
        self.request = request
        lead = parts.lead
        live = parts.live
        progresses = parts.progresses
        mediaProgresses = parts.mediaProgresses
        partedProgresses = request.partDuration == nil ? [] : zip(parts.live.outlines, parts.progresses).filter { $0.0.hasParts }.map(\.1)
        copyCutter = parts.copyCutter
        rungs = parts.rungs
        audioFeeds = parts.audioFeeds
        subtitleFeeds = parts.subtitleFeeds
        audioByStream = Dictionary(uniqueKeysWithValues: parts.audioFeeds.map { ($0.track.stream.index, $0) })
        subtitlesByStream = Dictionary(uniqueKeysWithValues: parts.subtitleFeeds.compactMap { feed in feed.streamIndex.map { ($0, feed) } })
        copyPlanner = SegmentPlanner(duration: request.segmentDuration)
        copyPlanner.start(at: 0)
        audioPlanner = SegmentPlanner(duration: request.segmentDuration)
        audioPlanner.start(at: 0)
    }

    /// Segments per rendition published so far.
    var publishedSegments: Int { live.publishedCount }

    /// One demuxed packet, presented at `seconds` on the normalized timeline.
    func process(_ packet: Packet, of stream: StreamInfo, at seconds: Double, notice: (String) -> Void) throws(IngestError) {
        mediaTime = max(mediaTime, seconds)
        switch stream.type {
        case .video: try processVideo(packet, of: stream, at: seconds)
        case .audio: if let feed = audioByStream[stream.index] { try processAudio(packet, feed: feed, at: seconds) }
        case .subtitle: try subtitlesByStream[stream.index]?.receive(packet, at: seconds)
        default: break
        }
        for feed in subtitleFeeds { try feed.release(readUpTo: mediaTime) }
        // A failed rung is noticed when it refuses the next picture (its queue is abandoned).
        try publish(mediaTime: seconds, notice: notice)
    }

    /// The end of the input at `end` seconds: flushes decoders and encoders, waits for every
    /// rung, ends every rendition's last segment.
    func finishInput(end: Double) throws(IngestError) {
        if rungs != nil || copyCutter != nil {
            guard videoStarted else { throw .noKeyframe(input: request.inputDescription) }
        } else if !audioStarted {
            throw .input(InputError(path: request.inputDescription, reason: .noMediaStreams))
        }
        try rungs?.flushDecoder { (time, cut) throws(IngestError) in self.picture(at: time, startsSegment: cut) }
        for feed in audioFeeds {
            try feed.finish { (packet, time) throws(IngestError) in try self.deliverAudio(packet, feed: feed, at: time) }
        }
        for feed in audioFeeds { try feed.release(upTo: .infinity) }
        try rungs?.finish()
        try copyCutter?.finish()
        for feed in audioFeeds { try feed.cutter?.finish() }
        let segments = mediaProgresses.map(\.segmentCount).max() ?? 0
        for feed in subtitleFeeds { try feed.finish(segments: segments, end: end) }
    }

    /// Publishes the finished asset.
    func complete(duration: Double, notice: (String) -> Void) throws(IngestError) -> [AssetManifest.Rendition] {
        learnCodecs()
        return try live.complete(progresses.map(\.written), duration: duration, notice: notice)
    }

    /// Stops every rung thread (after a failure or an interruption).
    func cancel() {
        rungs?.cancel()
    }

    // MARK: - Video

    private func processVideo(_ packet: Packet, of stream: StreamInfo, at seconds: Double) throws(IngestError) {
        // Pictures before the first keyframe cannot be decoded (nor copied) on their own.
        if !videoStarted && !packet.isKeyframe { return }
        let isFirst = !videoStarted
        videoStarted = true
        let decodeTime = packet.dts.map { Double($0) * stream.timeBase.doubleValue } ?? seconds
        let cut = lead == .copiedVideo && packet.isKeyframe && !isFirst && copyPlanner.shouldCut(atCutPoint: seconds)
        if cut { announceCut(at: seconds) }
        try rungs?.decode(packet)
        if let copyCutter {
            packet.setStreamIndex(Self.videoIndex)
            try copyCutter.write(packet, time: seconds, startsSegment: cut, interleaveUntil: decodeTime)
        }
        if lead == .copiedVideo { horizon = max(horizon, decodeTime) }
        try rungs?.drainDecoder { (time, cut) throws(IngestError) in self.picture(at: time, startsSegment: cut) }
        for feed in audioFeeds { try feed.release(upTo: horizon) }
    }

    /// A decoded picture reached the rungs. Rungs only: a picture that starts a segment is where
    /// every other rendition cuts, and every cut before the latest picture is known.
    private func picture(at time: Double, startsSegment: Bool) {
        guard lead == .grid else { return }
        if startsSegment { announceCut(at: time) }
        horizon = max(horizon, time)
    }

    // MARK: - Audio

    private func processAudio(_ packet: Packet, feed: AudioTrackFeed, at seconds: Double) throws(IngestError) {
        try feed.receive(packet, at: seconds) { (packet, time) throws(IngestError) in
            try self.deliverAudio(packet, feed: feed, at: time)
        }
    }

    private func deliverAudio(_ packet: Packet, feed: AudioTrackFeed, at time: Double) throws(IngestError) {
        guard let cutter = feed.cutter else {
            try rungs?.sendAudio(packet, at: time)
            copyCutter?.queueAudio(packet, time: time)
            return
        }
        switch lead {
        case .audio where feed === audioFeeds.first:
            // The first audio track leads: its packets on the grid start segments.
            let cut = audioStarted && audioPlanner.shouldCut(atCutPoint: time)
            audioStarted = true
            if cut { announceCut(at: time) }
            try cutter.write(packet, time: time, startsSegment: cut)
            horizon = max(horizon, time)
            for other in audioFeeds where other !== feed { try other.release(upTo: horizon) }
        case .audio, .copiedVideo, .grid:
            feed.hold(packet, at: time)
            try feed.release(upTo: horizon)
        }
    }

    // MARK: - Cuts and publication

    /// A segment starts at `time` in the lead: every other rendition cuts there too.
    private func announceCut(at time: Double) {
        if lead == .copiedVideo { rungs?.announceCut(at: time) }
        // Rungs only: the rungs decided this cut themselves (the grid).
        for (index, feed) in audioFeeds.enumerated() where !(lead == .audio && index == 0) {
            feed.announceCut(at: time)
        }
        for feed in subtitleFeeds { feed.announceCut(at: time) }
    }

    private func learnCodecs() {
        rungs?.learnCodecs(into: &live)
    }

    private func publish(mediaTime: Double, notice: (String) -> Void) throws(IngestError) {
        if !partedProgresses.isEmpty {
            // Low-Latency HLS: a playlist for every part all renditions with parts have completed.
            guard partedProgresses.allSatisfy({ $0.partCount > live.publishedParts }) else { return }
            learnCodecs()
            try live.partsCompleted(progresses.map(\.written), mediaTime: mediaTime, notice: notice)
            return
        }
        // Per packet: only counts are read until every rendition has a new segment.
        guard progresses.allSatisfy({ $0.segmentCount > live.publishedCount }) else { return }
        learnCodecs()
        try live.segmentsCompleted(progresses.map(\.written), mediaTime: mediaTime, notice: notice)
    }
}
