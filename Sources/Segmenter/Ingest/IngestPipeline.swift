import CReelLinux
import Foundation
import HLSPlaylist

/// Stream-copy ingest: demux the input once, cut it into segments on video keyframes along
/// a cumulative grid, and publish the asset progressively: live (EVENT playlists) from its
/// first segment, VOD when the input ends, withdrawn if the ingest fails.
///
/// Blocking: run it on a thread of its own, never on the cooperative pool.
public struct IngestPipeline {
    public let request: IngestRequest

    public init(_ request: IngestRequest) {
        self.request = request
    }

    /// The rendition a stream-copy ingest produces.
    static let renditionName = "copy"

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
        if request.renditions.transcodes, let ladder = try runLadder(progress: progress, notice: notice, isCancelled: isCancelled) {
            return ladder
        }
        return try runCopy(progress: progress, notice: notice, isCancelled: isCancelled)
    }

    /// Stream copy: the input's streams, cut as they are, as the one rendition `copy`.
    private func runCopy(
        progress: (IngestProgress) -> Void,
        notice: (String) -> Void,
        isCancelled: () -> Bool
    ) throws(IngestError) -> IngestResult {
        // The MP4 muxer buffers each fragment (a GOP: megabytes at high bit rates) in a growing
        // heap buffer; under glibc's adaptive mmap threshold such buffers stay in the heap after
        // free and resident memory creeps up by several of them. A fixed threshold returns them.
        _ = reel_set_mmap_threshold(4 << 20)
        let began = ContinuousClock.now
        let (file, demuxer) = try openInput()
        let selection = try selectStreams(demuxer, checking: [.video, .audio])
        demuxer.keepOnly(streams: Set(selection.map(\.index)))
        let video = selection.first { $0.type == .video }
        let origin = demuxer.startTime ?? selection.compactMap(\.startSeconds).min() ?? 0
        let forecast = try forecast(file: file, video: video, origin: origin, declaredEnd: demuxer.duration)

        let publisher = try AssetPublisher(library: request.library, name: request.name, force: request.force)
        var inputs: [SegmentWriter.InputStream] = []
        for stream in selection {
            do {
                inputs.append(.init(info: stream, parameters: try demuxer.codecParameters(ofStream: stream.index)))
            } catch {
                throw .remux(input: request.inputDescription, error)
            }
        }
        let location = AssetLocation(publisher.root)
        let writer: SegmentWriter
        do {
            _ = try publisher.directory(Self.renditionName)
            writer = try SegmentWriter(format: request.format, streams: inputs, location: location, rendition: Self.renditionName, singleFile: request.singleFile)
            try writer.start()
        } catch {
            throw relabel(error)
        }
        var live = LivePublication(
            request: request, publisher: publisher, location: location,
            outlines: [Self.copyOutline(selection, declaredBitRate: demuxer.bitRate)],
            source: .init(path: request.inputDescription, size: file.size),
            targetDuration: forecast.targetDuration
        )
        var written: [RenditionSegments] { [RenditionSegments(segments: writer.segments, initSection: writer.initSection)] }

        var planner = SegmentPlanner(duration: request.segmentDuration)
        planner.start(at: 0)
        var segmentIndex = 0
        var started = false
        let end: Double
        do {
            end = try forEachPacket(
                of: demuxer, selection: selection, origin: origin, began: began,
                progress: progress, segments: { segmentIndex }, isCancelled: isCancelled
            ) { (packet, stream, seconds) throws(IngestError) in
                let isVideo = stream.type == .video
                if isVideo && !started && !packet.isKeyframe { return }  // undecodable before the first keyframe
                let isCutPoint = video == nil || (isVideo && packet.isKeyframe)
                if !started {
                    guard video == nil || isCutPoint else { return }
                    try writer.beginSegment(index: 0, at: 0)
                    started = true
                } else if isCutPoint, planner.shouldCut(atCutPoint: seconds) {
                    try writer.endSegment(at: seconds)
                    try live.segmentsCompleted(written, mediaTime: seconds, notice: notice)
                    segmentIndex += 1
                    try writer.beginSegment(index: segmentIndex, at: seconds)
                }
                try writer.write(packet, time: seconds)
            }
            guard started else {
                throw video != nil ? IngestError.noKeyframe(input: request.inputDescription) : IngestError.input(InputError(path: request.inputDescription, reason: .noMediaStreams))
            }
            try writer.endSegment(at: end, final: true)
        } catch {
            throw relabel(error)
        }
        try checkComplete(demuxer, end: end)
        progress(report(mediaTime: end, duration: demuxer.duration, since: began, segments: segmentIndex + 1))
        let renditions = try live.complete(written, duration: end, notice: notice)
        return result(publisher: publisher, duration: end, renditions: renditions, since: began)
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
        let packet = Packet()
        while try readPacket(demuxer, into: packet) {
            if isCancelled() { throw IngestError.interrupted(input: request.inputDescription) }
            guard let stream = selection.first(where: { $0.index == packet.streamIndex }),
                  let timestamp = packet.pts ?? packet.dts else { continue }
            let seconds = Double(timestamp) * stream.timeBase.doubleValue - origin
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

    /// A truncated input (media ending well before its declared duration) is an error, found
    /// only at the end.
    func checkComplete(_ demuxer: Demuxer, end: Double) throws(IngestError) {
        if let declared = demuxer.duration, !demuxer.durationIsEstimated, declared - end > max(1.0, declared * 0.05) {
            throw .input(InputError(path: request.inputDescription, reason: .truncated(mediaEnd: end, declaredDuration: declared)))
        }
    }

    func result(publisher: AssetPublisher, duration: Double, renditions: [AssetManifest.Rendition], since began: ContinuousClock.Instant) -> IngestResult {
        let elapsed = ContinuousClock.now - began
        return IngestResult(
            name: request.name, state: .ready, duration: duration,
            master: publisher.destination.appendingPathComponent("master.m3u8").path,
            path: publisher.destination.path, format: request.format, renditions: renditions,
            elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        )
    }

    // MARK: - Steps

    /// The one rendition of a stream-copy ingest: the selected streams as they are.
    static func copyOutline(_ selection: [StreamInfo], declaredBitRate: Int64?) -> RenditionOutline {
        let video = selection.first { $0.type == .video }
        return RenditionOutline(
            name: renditionName,
            codecs: selection.compactMap(CodecString.make(for:)),
            width: video?.width,
            height: video?.height,
            frameRate: video.flatMap { $0.averageFrameRate.isUnknown ? nil : $0.averageFrameRate.doubleValue },
            hasVideo: video != nil,
            nominalBitRate: declaredBitRate.map { Int($0) }
        )
    }

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

    /// The first video stream (not cover art) and the first audio stream; those of the
    /// `checking` types (the ones copied, not transcoded) must fit the segment format.
    func selectStreams(_ demuxer: Demuxer, checking: Set<MediaType>) throws(IngestError) -> [StreamInfo] {
        let video = demuxer.streams.first { $0.type == .video && !$0.isAttachedPicture }
        let audio = demuxer.streams.first { $0.type == .audio }
        let selection = [video, audio].compactMap { $0 }
        guard !selection.isEmpty else {
            throw .input(InputError(path: request.inputDescription, reason: .noMediaStreams))
        }
        for stream in selection where checking.contains(stream.type) && !request.format.supports(codec: stream.codecName) {
            throw .unsupportedCodec(input: request.inputDescription, codec: stream.codecName, format: request.format)
        }
        return selection
    }

    /// Plans the segments from the keyframe times, when they can be known before muxing (the
    /// input is a file): the target duration must be fixed before the first playlist is
    /// published. A second demuxer finds them through an MP4's sample index, or else reads the
    /// video stream's packets (no decoding).
    func forecast(file: InputFile, video: StreamInfo?, origin: Double, declaredEnd: Double?) throws(IngestError) -> SegmentForecast {
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
        let scan = try open()
        scan.keepOnly(streams: [video.index])
        var keyframes: [Double] = []
        var end = declaredEnd ?? 0
        let packet = Packet()
        while try readPacket(scan, into: packet) {
            guard packet.streamIndex == video.index, let timestamp = packet.pts ?? packet.dts else { continue }
            let seconds = Double(timestamp) * timeBase - origin
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
