import CReelLinux
import Foundation
import HLSPlaylist

/// Stream-copy ingest: demux the input once, cut it into segments on video keyframes along
/// a cumulative grid, write playlists and publish the asset atomically.
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
    ///   - isCancelled: polled once per packet; when it returns true the ingest stops, removes
    ///     what it staged and throws `IngestError.interrupted`.
    public func run(
        progress: (IngestProgress) -> Void = { _ in },
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

        let publisher = try AssetPublisher(library: request.library, name: request.name, force: request.force)
        let renditionDirectory = try publisher.directory(Self.renditionName)
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
            writer = try SegmentWriter(format: request.format, streams: inputs, directory: renditionDirectory, singleFile: request.singleFile)
            try writer.start()
        } catch {
            throw relabel(error)
        }

        let video = selection.first { $0.type == .video }
        let origin = demuxer.startTime ?? selection.compactMap(\.startSeconds).min() ?? 0
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
                    try writer.endSegment()
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
            try writer.endSegment(final: true)
        } catch {
            throw relabel(error)
        }
        if let declared = demuxer.duration, !demuxer.durationIsEstimated, declared - end > max(1.0, declared * 0.05) {
            throw .input(InputError(path: request.inputDescription, reason: .truncated(mediaEnd: end, declaredDuration: declared)))
        }
        writer.closeSegments(end: end)
        progress(report(mediaTime: end, duration: demuxer.duration, since: began, segments: segmentIndex + 1))

        let builder = PlaylistBuilder(segments: writer.segments, initSection: writer.initSection, singleFile: request.singleFile)
        let rendition = renditionEntry(builder: builder, selection: selection, end: end)
        let iFrames = video == nil ? nil : builder.iFramePlaylist(end: end)
        let master = masterPlaylist(rendition, iFrames: iFrames)
        try publisher.write(Data(builder.mediaPlaylist().render().utf8), to: "\(Self.renditionName)/index.m3u8")
        if let iFrames {
            try publisher.write(Data(iFrames.render().utf8), to: "\(Self.renditionName)/iframes.m3u8")
        }
        try publisher.write(Data(master.render().utf8), to: "master.m3u8")
        let manifest = AssetManifest(
            name: request.name, state: .ready, source: .init(path: request.inputDescription, size: file.size),
            duration: end, format: request.format, segmentDuration: request.segmentDuration,
            singleFile: request.singleFile, master: "master.m3u8", renditions: [rendition],
            created: Timestamp.iso8601(Date())
        )
        do {
            try publisher.write(try manifest.encoded(), to: "manifest.json")
        } catch let error as IngestError {
            throw error
        } catch {
            throw .write(path: publisher.staging.path, reason: "\(error)")
        }
        try publisher.publish()
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

    private func renditionEntry(builder: PlaylistBuilder, selection: [StreamInfo], end: Double) -> AssetManifest.Rendition {
        let video = selection.first { $0.type == .video }
        let rates = PlaylistBuilder.bitRates(builder.segments.map { ($0.length, $0.duration) })
        return AssetManifest.Rendition(
            name: Self.renditionName,
            playlist: "\(Self.renditionName)/index.m3u8",
            iFramePlaylist: video == nil ? nil : "\(Self.renditionName)/iframes.m3u8",
            bandwidth: rates.peak,
            averageBandwidth: rates.average,
            codecs: selection.compactMap(CodecString.make(for:)),
            width: video?.width,
            height: video?.height,
            frameRate: video.flatMap { $0.averageFrameRate.isUnknown ? nil : ($0.averageFrameRate.doubleValue * 1000).rounded() / 1000 },
            segments: builder.segments.count
        )
    }

    private func masterPlaylist(_ rendition: AssetManifest.Rendition, iFrames: MediaPlaylist?) -> MultivariantPlaylist {
        let resolution = rendition.width.flatMap { width in rendition.height.map { Resolution(width: width, height: $0) } }
        let variant = VariantStream(
            uri: rendition.playlist,
            bandwidth: rendition.bandwidth,
            averageBandwidth: rendition.averageBandwidth,
            codecs: rendition.codecs,
            resolution: resolution,
            frameRate: rendition.frameRate,
            closedCaptions: ClosedCaptions.none
        )
        var iFrameStreams: [IFrameStream] = []
        if let iFramePlaylist = rendition.iFramePlaylist, let iFrames {
            let iFrameRates = PlaylistBuilder.bitRates(iFrames.segments.map { (Int64($0.byteRange?.length ?? 0), $0.duration) })
            iFrameStreams.append(IFrameStream(
                uri: iFramePlaylist,
                bandwidth: iFrameRates.peak,
                averageBandwidth: iFrameRates.average,
                codecs: Array(rendition.codecs.prefix(1)),
                resolution: resolution
            ))
        }
        return MultivariantPlaylist(independentSegments: true, variants: [variant], iFrameStreams: iFrameStreams)
    }
}
