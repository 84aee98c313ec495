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
        // The MP4 muxer buffers each fragment (a GOP: megabytes at high bit rates) in a growing
        // heap buffer; under glibc's adaptive mmap threshold such buffers stay in the heap after
        // free and resident memory creeps up by several of them. A fixed threshold returns them.
        _ = reel_set_mmap_threshold(4 << 20)
        let clock = ContinuousClock()
        let began = clock.now
        let file: InputFile
        let demuxer: Demuxer
        do {
            file = request.input == "-" ? .standardInput : try InputFile(path: request.input)
            demuxer = try MediaInput.open(file)
        } catch {
            throw .input(error)
        }
        let selection = try selectStreams(demuxer)
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
        let writer: SegmentWriter
        do {
            writer = try SegmentWriter(format: request.format, streams: inputs, directory: try publisher.directory(Self.renditionName), singleFile: request.singleFile)
            try writer.start()
        } catch {
            throw relabel(error)
        }
        var live = LivePublication(
            request: request, publisher: publisher, writer: writer, selection: selection,
            source: .init(path: request.inputDescription, size: file.size),
            targetDuration: forecast.targetDuration, declaredBitRate: demuxer.bitRate
        )

        var planner = SegmentPlanner(duration: request.segmentDuration)
        planner.start(at: 0)
        var segmentIndex = 0
        var started = false
        var end = 0.0
        var lastReport = clock.now
        let packet = Packet()

        do {
            while try readPacket(demuxer, into: packet) {
                if isCancelled() { throw IngestError.interrupted(input: request.inputDescription) }
                guard let stream = selection.first(where: { $0.index == packet.streamIndex }),
                      let timestamp = packet.pts ?? packet.dts else { continue }
                let seconds = Double(timestamp) * stream.timeBase.doubleValue - origin
                if request.realtime { Self.pace(mediaTime: seconds, since: began) }
                let isVideo = stream.type == .video
                if isVideo && !started && !packet.isKeyframe { continue }  // undecodable before the first keyframe
                let isCutPoint = video == nil || (isVideo && packet.isKeyframe)
                if !started {
                    if video == nil || isCutPoint {
                        try writer.beginSegment(index: 0, at: 0)
                        started = true
                    } else {
                        continue
                    }
                } else if isCutPoint, planner.shouldCut(atCutPoint: seconds) {
                    try writer.endSegment(at: seconds)
                    try live.segmentCompleted(mediaTime: seconds, notice: notice)
                    segmentIndex += 1
                    try writer.beginSegment(index: segmentIndex, at: seconds)
                }
                end = max(end, seconds + Double(packet.duration) * stream.timeBase.doubleValue)
                try writer.write(packet, time: seconds)
                if clock.now - lastReport > .milliseconds(200) {
                    lastReport = clock.now
                    progress(report(mediaTime: seconds, duration: demuxer.duration, since: began, segments: segmentIndex))
                }
            }
            guard started else {
                throw video != nil ? IngestError.noKeyframe(input: request.inputDescription) : IngestError.input(InputError(path: request.inputDescription, reason: .noMediaStreams))
            }
            try writer.endSegment(at: end, final: true)
        } catch {
            throw relabel(error)
        }
        if let declared = demuxer.duration, !demuxer.durationIsEstimated, declared - end > max(1.0, declared * 0.05) {
            throw .input(InputError(path: request.inputDescription, reason: .truncated(mediaEnd: end, declaredDuration: declared)))
        }
        progress(report(mediaTime: end, duration: demuxer.duration, since: began, segments: segmentIndex + 1))
        let rendition = try live.complete(duration: end, notice: notice)
        let elapsed = clock.now - began
        return IngestResult(
            name: request.name, state: .ready, duration: end,
            master: publisher.destination.appendingPathComponent("master.m3u8").path,
            path: publisher.destination.path, format: request.format, renditions: [rendition],
            elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        )
    }

    // MARK: - Steps

    /// Sleeps until wall-clock time since `began` reaches `mediaTime` (capped, so a timestamp
    /// jump cannot stall the ingest for long).
    private static func pace(mediaTime: Double, since began: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - began
        let ahead = mediaTime - (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        if ahead > 0.001 { usleep(UInt32(min(ahead, 5) * 1_000_000)) }
    }

    /// The first video stream (not cover art) and the first audio stream, checked against the format.
    private func selectStreams(_ demuxer: Demuxer) throws(IngestError) -> [StreamInfo] {
        let video = demuxer.streams.first { $0.type == .video && !$0.isAttachedPicture }
        let audio = demuxer.streams.first { $0.type == .audio }
        let selection = [video, audio].compactMap { $0 }
        guard !selection.isEmpty else {
            throw .input(InputError(path: request.inputDescription, reason: .noMediaStreams))
        }
        for stream in selection where !request.format.supports(codec: stream.codecName) {
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

    private func readPacket(_ demuxer: Demuxer, into packet: Packet) throws(IngestError) -> Bool {
        do {
            return try demuxer.read(into: packet)
        } catch {
            throw .corrupt(input: request.inputDescription, error)
        }
    }

    private func relabel(_ error: any Error) -> IngestError {
        switch error {
        case IngestError.ffmpeg(let inner): .remux(input: request.inputDescription, inner)
        case let error as IngestError: error
        default: .write(path: request.library.path, reason: "\(error)")
        }
    }

    private func report(mediaTime: Double, duration: Double?, since began: ContinuousClock.Instant, segments: Int) -> IngestProgress {
        let elapsed = ContinuousClock.now - began
        return IngestProgress(
            mediaTime: mediaTime, duration: duration,
            elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            segments: segments
        )
    }
}
