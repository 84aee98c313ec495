import CReelLinux
import Foundation
import HLSPlaylist

/// An ingest: demux the input once, put its timestamps on one timeline, feed every rendition
/// (stream copy, transcoded rungs, audio tracks, subtitles: ``PresentationSession``), cut
/// segments where the lead's keyframes meet a cumulative grid, and publish the asset
/// progressively: live (EVENT playlists) from its first segment, VOD when the input ends,
/// withdrawn if the ingest fails.
///
/// Blocking: run it on a thread of its own, never on the cooperative pool.
public struct IngestPipeline {
    public let request: IngestRequest

    public init(_ request: IngestRequest) {
        self.request = request
    }

    /// - Parameters:
    ///   - progress: called about five times a second, and once at the end.
    ///   - notice: warnings worth a line on stderr that do not stop the ingest.
    ///   - isCancelled: polled once per packet; when it returns true the ingest stops, withdraws
    ///     what it published and throws `IngestError.interrupted`.
    public func run(
        progress: (IngestProgress) -> Void = { _ in },
        notice: (String) -> Void = { _ in },
        isCancelled: () -> Bool = { false }
    ) throws(IngestError) -> IngestResult {
        // The muxers buffer in growing heap buffers (an MP4 fragment: up to about a mebibyte,
        // see SegmentWriter.fragmentPayloadLimit); under glibc's adaptive mmap threshold larger
        // ones (a single huge picture) would stay in the heap after free and resident memory
        // would creep up by several of them. A fixed threshold returns them.
        _ = reel_set_mmap_threshold(4 << 20)
        let began = ContinuousClock.now
        let (file, demuxer) = try openInput()
        let ladder = try ladderRungs(demuxer, notice: notice)
        let copiedTypes: Set<MediaType> = ladder.rungs.isEmpty ? [.video, .audio] : ladder.copiesVideo ? [.video] : []
        var plan = try PresentationPlan.make(
            streams: demuxer.streams, sidecars: sidecars(), format: request.format, copiedTypes: copiedTypes,
            input: request.inputDescription, isTextSubtitle: SubtitleTranscoder.canDecodeAsText(codecName:)
        )
        plan.notices.forEach(notice)
        if !ladder.rungs.isEmpty, let video = plan.video { plan.video = hdrMetadata(of: video, in: file) }
        if request.format == .ts, ladder.copiesVideo, let video = plan.video, video.orientation != .upright {
            notice("\(request.inputDescription): MPEG-TS cannot carry the picture's rotation (\(video.orientation)); players will show the copy rendition unrotated (use --format fmp4, or a ladder, whose rungs are turned upright)")
        }
        let selection = plan.streams
        demuxer.keepOnly(streams: Set(selection.map(\.index)))
        let origin = demuxer.startTime ?? selection.compactMap(\.startSeconds).min() ?? 0
        let frameRate = plan.video.map(LadderRung.outputFrameRate(source:)) ?? Rational(25, 1)
        let targetDuration: Int
        if plan.video != nil, !ladder.copiesVideo {
            // Segments start at the first picture on or after each grid point: at most a frame late.
            targetDuration = MediaPlaylist.minimumTargetDuration(forSegmentDurations: [request.segmentDuration + 1 / frameRate.doubleValue + SegmentForecast.margin])
        } else {
            targetDuration = try forecast(file: file, selection: selection, origin: origin, declaredEnd: demuxer.declaredEnd.map { $0 - origin }).targetDuration
        }

        let publisher = try AssetPublisher(library: request.library, name: request.name, force: request.force, durability: request.durability)
        let session = try PresentationSession.make(PresentationSession.Blueprint(
            request: request, publisher: publisher, demuxer: demuxer, plan: plan, rungs: ladder.rungs,
            copiesVideo: ladder.copiesVideo, frameRate: frameRate, targetDuration: targetDuration,
            source: .init(path: request.inputDescription, size: file.size)
        ))
        let end: Double
        do {
            end = try forEachPacket(
                of: demuxer, selection: selection, origin: origin, began: began,
                progress: progress, segments: { session.publishedSegments }, isCancelled: isCancelled
            ) { (packet, stream, seconds) throws(IngestError) in
                try session.process(packet, of: stream, at: seconds, notice: notice)
            }
            try session.finishInput(end: end)
        } catch {
            session.cancel()
            throw relabel(error)
        }
        try checkComplete(demuxer, origin: origin, end: end)
        let renditions = try session.complete(duration: end, notice: notice)
        progress(report(mediaTime: end, duration: demuxer.duration, since: began, segments: session.publishedSegments))
        return result(publisher: publisher, duration: end, renditions: renditions, since: began)
    }

    /// `video` with the HDR10 static metadata (mastering display, light levels) its first
    /// picture carries, when its container has none: x265 and most HEVC encoders put it only in
    /// the bitstream's SEI, and 10-bit rungs should say what their source said. Decodes one
    /// picture of a second reading of the file; standard input cannot be read twice, so its rungs
    /// get only what the container says.
    func hdrMetadata(of video: StreamInfo, in file: InputFile) -> StreamInfo {
        guard video.videoRange != .sdr, video.masteringDisplay == nil || video.contentLightLevel == nil, file.isRegularFile,
              let demuxer = try? MediaInput.open(file),
              let decoder = try? Decoder(parameters: demuxer.codecParameters(ofStream: video.index), timeBase: video.timeBase, threads: 1)
        else { return video }
        demuxer.keepOnly(streams: [video.index])
        let packet = Packet()
        let frame = Frame()
        var enriched = video
        // A few packets at most: the first keyframe decodes into the first picture.
        for _ in 0..<64 {
            guard (try? demuxer.read(into: packet)) == true else { break }
            guard packet.streamIndex == video.index, (try? decoder.send(packet)) != nil else { continue }
            guard (try? decoder.receive(into: frame)) == .received else { continue }
            enriched.masteringDisplay = video.masteringDisplay ?? frame.masteringDisplay
            enriched.contentLightLevel = video.contentLightLevel ?? frame.contentLightLevel
            break
        }
        return enriched
    }

    /// Subtitle files beside the input (`NAME.srt`, `NAME.fr.vtt`, ...); none for standard input.
    func sidecars() -> [PresentationPlan.Sidecar] {
        guard request.input != "-" else { return [] }
        return SubtitleSidecar.find(besideInput: request.input).map { PresentationPlan.Sidecar(path: $0.path, language: $0.language) }
    }

    /// Reads the selected streams' packets in order and hands each to `body` with its stream and
    /// its time in seconds from `origin`; paces them with `--realtime`, stops when cancelled,
    /// reports progress five times a second.
    ///
    /// - Returns: where the media ends (the latest packet end), in seconds from the origin.
    func forEachPacket(
        of demuxer: Demuxer, selection: [StreamInfo], origin: Double, began: ContinuousClock.Instant,
        progress: (IngestProgress) -> Void, segments: () -> Int, isCancelled: () -> Bool,
        _ body: (Packet, StreamInfo, Double) throws(IngestError) -> Void
    ) throws(IngestError) -> Double {
        var end = 0.0
        var lastReport = ContinuousClock.now
        var timeline = Self.timeline(of: demuxer, selection: selection, origin: origin)
        let packet = Packet()
        while try readPacket(demuxer, into: packet) {
            if isCancelled() { throw IngestError.interrupted(input: request.inputDescription) }
            guard let stream = selection.first(where: { $0.index == packet.streamIndex }),
                  let normalized = timeline.normalize(stream: stream.index, pts: packet.pts, dts: packet.dts, duration: packet.duration)
            else { continue }
            packet.setTimestamps(pts: normalized.pts, dts: normalized.dts)
            let seconds = Double(normalized.pts) * stream.timeBase.doubleValue
            if request.realtime { Self.pace(mediaTime: seconds, since: began) }
            end = max(end, seconds + Double(packet.duration) * stream.timeBase.doubleValue)
            try body(packet, stream, seconds)
            if ContinuousClock.now - lastReport > .milliseconds(200) {
                lastReport = ContinuousClock.now
                progress(report(mediaTime: seconds, duration: demuxer.duration, since: began, segments: segments()))
            }
        }
        return end
    }

    /// The timeline every packet is put on before it reaches a muxer, decoder or cut decision
    /// (the forecast's scan uses the same, so both see the same times).
    static func timeline(of demuxer: Demuxer, selection: [StreamInfo], origin: Double) -> TimelineNormalizer {
        let streams = selection.map { stream in
            let rate = [stream.averageFrameRate, stream.realFrameRate].first { !$0.isUnknown && $0.doubleValue > 0 }
            let frame = rate.map { Int64((1 / $0.doubleValue / stream.timeBase.doubleValue).rounded()) } ?? 0
            return TimelineNormalizer.Stream(
                index: stream.index, timeBase: stream.timeBase,
                // Two at least where there are B-frames: a deeper guess only makes decoding times earlier.
                reorderDepth: stream.type == .video && stream.videoDelay > 0 ? max(stream.videoDelay, 2) : 0,
                frameDuration: stream.type == .video ? frame : 0,
                leadsBreaks: stream.type == .video || stream.type == .audio
            )
        }
        return TimelineNormalizer(streams: streams, origin: origin, detectsBreaks: demuxer.hasDiscontinuousTimestamps)
    }

    /// A truncated input (media ending well before its declared duration) is an error, found
    /// only at the end. `end` is on the normalized timeline (from the origin).
    func checkComplete(_ demuxer: Demuxer, origin: Double, end: Double) throws(IngestError) {
        guard let declaredEnd = demuxer.declaredEnd else { return }
        let declared = declaredEnd - origin
        if declared - end > max(1.0, declared * 0.05) {
            throw .input(InputError(path: request.inputDescription, reason: .truncated(mediaEnd: end, declaredDuration: declared)))
        }
    }

    func result(publisher: AssetPublisher, duration: Double, renditions: [AssetManifest.Rendition], since began: ContinuousClock.Instant) -> IngestResult {
        let elapsed = ContinuousClock.now - began
        return IngestResult(
            name: request.name, state: .ready, duration: duration,
            master: publisher.destination.appendingPathComponent(LibraryLayout.master).path,
            path: publisher.destination.path, format: request.format, renditions: renditions,
            encryption: request.encryption?.method,
            elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        )
    }

    // MARK: - Steps

    func openInput() throws(IngestError) -> (InputFile, Demuxer) {
        do {
            let file = request.input == "-" ? InputFile.standardInput : try InputFile(path: request.input)
            return (file, try MediaInput.open(file))
        } catch {
            throw .input(error)
        }
    }

    /// Sleeps until wall-clock time since `began` reaches `mediaTime` (capped, so a timestamp
    /// jump cannot stall the ingest for long).
    static func pace(mediaTime: Double, since began: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - began
        let ahead = mediaTime - (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        if ahead > 0.001 { usleep(UInt32(min(ahead, 5) * 1_000_000)) }
    }

    /// Plans the segments from the keyframe times, when they can be known before muxing (the
    /// input is a file): the target duration must be fixed before the first playlist is
    /// published. A second demuxer finds them through an MP4's sample index, or else reads the
    /// video stream's packets (no decoding).
    func forecast(file: InputFile, selection: [StreamInfo], origin: Double, declaredEnd: Double?) throws(IngestError) -> SegmentForecast {
        let video = selection.first { $0.type == .video }
        guard let video, file.isRegularFile else { return SegmentForecast(segmentDuration: request.segmentDuration) }
        let timeBase = video.timeBase.doubleValue
        func open() throws(IngestError) -> Demuxer {
            do {
                return try MediaInput.open(file)
            } catch {
                throw .input(error)
            }
        }
        let indexed: [Int64]?
        let seeker = try open()
        do {
            indexed = try seeker.keyframeTimestampsFromIndex(ofStream: video.index)
        } catch {
            throw .corrupt(input: request.inputDescription, error)
        }
        if let indexed, let declaredEnd {
            return SegmentForecast(keyframes: indexed.map { Double($0) * timeBase - origin }, end: declaredEnd, segmentDuration: request.segmentDuration)
        }
        // The streams the ingest reads, so a restart in the timestamps is seen the same way.
        let scan = try open()
        scan.keepOnly(streams: Set(selection.map(\.index)))
        var timeline = Self.timeline(of: scan, selection: selection, origin: origin)
        var keyframes: [Double] = []
        var end = declaredEnd ?? 0
        let packet = Packet()
        while try readPacket(scan, into: packet) {
            guard let normalized = timeline.normalize(stream: packet.streamIndex, pts: packet.pts, dts: packet.dts, duration: packet.duration),
                  packet.streamIndex == video.index else { continue }
            let seconds = Double(normalized.pts) * timeBase
            end = max(end, seconds + Double(packet.duration) * timeBase)
            if packet.isKeyframe { keyframes.append(seconds) }
        }
        return SegmentForecast(keyframes: keyframes, end: end, segmentDuration: request.segmentDuration)
    }

    func readPacket(_ demuxer: Demuxer, into packet: Packet) throws(IngestError) -> Bool {
        do {
            return try demuxer.read(into: packet)
        } catch {
            throw .corrupt(input: request.inputDescription, error)
        }
    }

    func relabel(_ error: any Error) -> IngestError {
        switch error {
        case IngestError.ffmpeg(let inner): .remux(input: request.inputDescription, inner)
        case let error as IngestError: error
        default: .write(path: request.library.path, reason: "\(error)")
        }
    }

    func report(mediaTime: Double, duration: Double?, since began: ContinuousClock.Instant, segments: Int) -> IngestProgress {
        let elapsed = ContinuousClock.now - began
        return IngestProgress(
            mediaTime: mediaTime, duration: duration,
            elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            segments: segments
        )
    }
}
