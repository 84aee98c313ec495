import Foundation
import HLSPlaylist

/// The coordinating side of a ladder ingest: decodes the input's video once and hands every
/// picture to each rung's thread, encodes the audio once, writes the `copy` rendition (stream
/// copy, when asked) and the alternate audio rendition (fMP4) itself, and publishes all of them
/// in step.
///
/// Where segments start: with `copy`, at the input's keyframes that the copy rendition cuts
/// at (the rungs get IDRs at exactly those pictures); without it, at the first picture on or
/// after each multiple of the segment duration. Audio cuts at the first packet on or after
/// the same instants.
///
/// fMP4 puts the audio in its own rendition (`EXT-X-MEDIA`, group `audio`) that every variant
/// refers to; MPEG-TS muxes it into every variant, which is what TS players expect.
///
/// Not Sendable: lives on the ingest's thread; rungs get their state through ``HandOff``.
final class LadderSession {
    /// Stream numbers inside every ladder writer.
    static let videoIndex = 0
    static let audioIndex = 1
    static let audioGroup = "audio"
    /// MPEG-TS timestamps of every rendition start this late (ffmpeg's own TS output starts at
    /// 1.4 s too): enough that no B-frame or audio delay makes one negative.
    static let transportStreamDelay = 1.4

    private let request: IngestRequest
    private let video: StreamInfo
    private let origin: Double
    private let decoder: Decoder
    private let audioTranscoder: AudioTranscoder?
    private var live: LivePublication

    /// In publication order: copy, rungs tallest first, then audio.
    private let progresses: [RenditionProgress]
    private var workers: [RungWorker] = []
    private let copyCutter: RenditionCutter?
    private let audioCutter: RenditionCutter?
    /// The rendition index of each rung's outline (for codec strings learned late).
    private let rungOutlineIndices: [Int]
    private let audioCodecs: [String]

    private var videoCuts: CutSchedule
    private var audioCuts: CutSchedule
    private var copyPlanner: SegmentPlanner
    private var frameRateLimit = FrameRateLimit(maximumRate: Double(LadderRung.maximumFrameRate))
    private var videoStarted = false
    private var firstPicture = true
    /// How far the video has been read (decoding time, seconds): no later cut can come before it.
    private var videoHorizon = -Double.infinity
    /// fMP4 with copy: audio waits until the copy rendition has decided the cuts before it.
    private var heldAudio = FIFO<(packet: Packet, time: Double)>()
    private let frame = Frame()

    init(
        request: IngestRequest, publisher: AssetPublisher, demuxer: Demuxer, video: StreamInfo, audio: StreamInfo?,
        rungs: [LadderRung], frameRate: Rational, origin: Double, targetDuration: Int, source: AssetManifest.Source
    ) throws(IngestError) {
        self.request = request
        self.video = video
        self.origin = origin
        let input = request.inputDescription
        let format = request.format
        let videoParameters: CodecParameters
        do {
            videoParameters = try demuxer.codecParameters(ofStream: video.index)
            decoder = try Decoder(parameters: videoParameters, timeBase: video.timeBase)
        } catch {
            throw .decode(input: input, error)
        }
        var audioInfo: StreamInfo?
        var audioParameters: CodecParameters?
        if let audio {
            do {
                let transcoder = try AudioTranscoder(input: input, stream: audio, parameters: try demuxer.codecParameters(ofStream: audio.index), bitRate: request.audioBitRate)
                audioTranscoder = transcoder
                let parameters = try transcoder.encoder.codecParameters()
                audioParameters = parameters
                audioInfo = StreamInfo(encoded: parameters, index: Self.audioIndex, timeBase: transcoder.encoder.timeBase)
            } catch {
                throw .decode(input: input, error)
            }
        } else {
            audioTranscoder = nil
        }
        audioCodecs = audioInfo.flatMap(CodecString.make(for:)).map { [$0] } ?? []
        // TS muxes the audio into each variant; fMP4 refers to one audio rendition.
        var muxedAudio: [SegmentWriter.InputStream] = []
        if format == .ts, let audioInfo, let audioParameters { muxedAudio = [.init(info: audioInfo, parameters: audioParameters)] }
        let audioGroup = format == .fmp4 && audio != nil ? Self.audioGroup : nil

        let location = AssetLocation(publisher.root)
        var outlines: [RenditionOutline] = []
        var progresses: [RenditionProgress] = []
        func writer(_ name: String, _ streams: [SegmentWriter.InputStream]) throws(IngestError) -> SegmentWriter {
            _ = try publisher.directory(name)
            let writer = try SegmentWriter(
                format: format, streams: streams, location: location, rendition: name, singleFile: request.singleFile,
                timestampDelay: format == .ts ? Self.transportStreamDelay : 0
            )
            try writer.start()
            return writer
        }

        if request.renditions.includesCopy {
            var copyInfo = video
            copyInfo.index = Self.videoIndex
            let progress = RenditionProgress()
            copyCutter = RenditionCutter(writer: try writer(IngestPipeline.renditionName, [.init(info: copyInfo, parameters: videoParameters)] + muxedAudio), progress: progress)
            progresses.append(progress)
            outlines.append(RenditionOutline(
                name: IngestPipeline.renditionName,
                codecs: [CodecString.make(for: video)].compactMap { $0 } + (format == .ts ? audioCodecs : []),
                width: video.width, height: video.height,
                frameRate: LadderRung.outputFrameRate(source: video).doubleValue,
                hasVideo: true, audioGroup: audioGroup,
                nominalBitRate: (video.bitRate ?? demuxer.bitRate).map { Int($0) }
            ))
        } else {
            copyCutter = nil
        }

        var rungIndices: [Int] = []
        var encodings: [(RungEncoding, RenditionProgress)] = []
        for rung in rungs {
            let settings = VideoEncoder.Settings(
                dimensions: rung.dimensions, timeBase: video.timeBase, frameRate: frameRate, bitRate: rung.bitRate,
                keyframeInterval: max(1, Int((request.segmentDuration * frameRate.doubleValue).rounded())),
                preset: request.preset, globalHeader: format == .fmp4
            )
            let encoder: VideoEncoder
            let scaler: VideoScaler
            do {
                encoder = try VideoEncoder(settings: settings)
                scaler = try VideoScaler(sourceWidth: decoder.width, sourceHeight: decoder.height, sourceFormat: decoder.pixelFormat, target: rung.dimensions)
            } catch {
                throw .encode(rendition: rung.name, error)
            }
            let parameters: CodecParameters
            do { parameters = try encoder.codecParameters() } catch { throw .encode(rendition: rung.name, error) }
            let info = StreamInfo(encoded: parameters, index: Self.videoIndex, timeBase: encoder.timeBase, frameRate: frameRate)
            let progress = RenditionProgress()
            // fMP4 has the parameter sets out of band now; MPEG-TS shows them with the first IDR.
            progress.videoCodec = info.extradata.isEmpty ? nil : CodecString.make(for: info)
            let cutter = RenditionCutter(writer: try writer(rung.name, [.init(info: info, parameters: parameters)] + muxedAudio), progress: progress)
            encodings.append((RungEncoding(name: rung.name, scaler: scaler, encoder: encoder, cutter: cutter, origin: origin, videoIndex: Self.videoIndex), progress))
            rungIndices.append(outlines.count)
            progresses.append(progress)
            outlines.append(RenditionOutline(
                name: rung.name, codecs: [],
                width: rung.dimensions.width, height: rung.dimensions.height, frameRate: frameRate.doubleValue,
                hasVideo: true, audioGroup: audioGroup,
                nominalBitRate: settings.maxRate + (format == .ts && audio != nil ? request.audioBitRate : 0)
            ))
        }

        if let audioGroup, let audioInfo, let audioParameters {
            let progress = RenditionProgress()
            audioCutter = RenditionCutter(writer: try writer(audioGroup, [.init(info: audioInfo, parameters: audioParameters)]), progress: progress)
            progresses.append(progress)
            outlines.append(RenditionOutline(
                name: audioGroup, codecs: audioCodecs, hasVideo: false, group: audioGroup, channels: 2,
                nominalBitRate: request.audioBitRate * 11 / 10
            ))
        } else {
            audioCutter = nil
        }

        self.progresses = progresses
        rungOutlineIndices = rungIndices
        live = LivePublication(
            request: request, publisher: publisher, location: location, outlines: outlines,
            source: source, targetDuration: targetDuration
        )
        let frameInterval = 1 / frameRate.doubleValue
        videoCuts = request.renditions.includesCopy ? .explicit(tolerance: frameInterval / 2) : .grid(duration: request.segmentDuration)
        audioCuts = request.renditions.includesCopy ? .explicit(tolerance: 1e-6) : .grid(duration: request.segmentDuration)
        copyPlanner = SegmentPlanner(duration: request.segmentDuration)
        copyPlanner.start(at: 0)
        // Every encoder is open: start the rung threads last, so a setup failure leaves none running.
        workers = encodings.map { RungWorker(HandOff($0.0), progress: $0.1) }
    }

    /// Segments per rendition published so far.
    var publishedSegments: Int { live.publishedCount }

    /// One demuxed packet of the video or audio stream, presented at `seconds` from the origin.
    func process(_ packet: Packet, of stream: StreamInfo, at seconds: Double, notice: (String) -> Void) throws(IngestError) {
        if stream.type == .video {
            // Pictures before the first keyframe cannot be decoded (nor copied) on their own.
            if !videoStarted && !packet.isKeyframe { return }
            let isFirst = !videoStarted
            videoStarted = true
            let decodeTime = packet.dts.map { Double($0) * stream.timeBase.doubleValue - origin } ?? seconds
            let cut = copyCutter != nil && packet.isKeyframe && !isFirst && copyPlanner.shouldCut(atCutPoint: seconds)
            if cut {
                videoCuts.append(seconds)
                audioCuts.append(seconds)
            }
            do { try decoder.send(packet) } catch { throw .decode(input: request.inputDescription, error) }
            if let copyCutter {
                packet.setStreamIndex(Self.videoIndex)
                try copyCutter.write(packet, time: seconds, startsSegment: cut, interleaveUntil: decodeTime)
            }
            videoHorizon = max(videoHorizon, decodeTime)
            try drainDecoder()
            try releaseHeldAudio(upTo: videoHorizon)
        } else if let audioTranscoder {
            try audioTranscoder.send(packet) { (encoded) throws(IngestError) in try deliverAudio(encoded) }
        }
        // A failed rung is noticed when it refuses the next picture (its queue is abandoned).
        try publish(mediaTime: seconds, notice: notice)
    }

    /// The end of the input: flushes the decoders and encoders and waits for every rung.
    func finishInput() throws(IngestError) {
        guard videoStarted else { throw .noKeyframe(input: request.inputDescription) }
        do { try decoder.flush() } catch { throw .decode(input: request.inputDescription, error) }
        try drainDecoder()
        try audioTranscoder?.finish { (encoded) throws(IngestError) in try deliverAudio(encoded) }
        try releaseHeldAudio(upTo: .infinity)
        for worker in workers { worker.finish() }
        try checkRungs()
        try copyCutter?.finish()
        try audioCutter?.finish()
    }

    /// Publishes the finished asset.
    func complete(duration: Double, notice: (String) -> Void) throws(IngestError) -> [AssetManifest.Rendition] {
        learnCodecs()
        return try live.complete(progresses.map(\.written), duration: duration, notice: notice)
    }

    /// Stops every rung thread (after a failure or an interruption).
    func cancel() {
        for worker in workers { worker.cancel() }
    }

    // MARK: - Steps

    private func drainDecoder() throws(IngestError) {
        while true {
            let result: ReceiveResult
            do { result = try decoder.receive(into: frame) } catch { throw .decode(input: request.inputDescription, error) }
            guard result == .received else { return }
            guard let timestamp = frame.bestEffortTimestamp ?? frame.pts else { continue }
            let time = Double(timestamp) * video.timeBase.doubleValue - origin
            let startsSegment = firstPicture || videoCuts.startsSegment(at: time)
            firstPicture = false
            guard frameRateLimit.admits(time, startsSegment: startsSegment) else { continue }
            for worker in workers {
                let picture: Frame
                do { picture = try frame.reference() } catch { throw .encode(rendition: worker.name, error) }
                guard worker.send(.picture(picture, startsSegment: startsSegment)) else { try checkRungs(); return }
            }
        }
    }

    private func deliverAudio(_ packet: Packet) throws(IngestError) {
        guard let timestamp = packet.pts, let transcoder = audioTranscoder else { return }
        let time = Double(timestamp) * transcoder.encoder.timeBase.doubleValue - origin
        packet.setStreamIndex(Self.audioIndex)
        if let audioCutter {
            if copyCutter != nil {
                heldAudio.append((packet, time))
            } else {
                try audioCutter.write(packet, time: time, startsSegment: audioCuts.startsSegment(at: time))
            }
            return
        }
        for worker in workers {
            let copy: Packet
            do { copy = try packet.reference() } catch { throw .encode(rendition: worker.name, error) }
            guard worker.send(.audio(copy, time: time)) else { try checkRungs(); return }
        }
        copyCutter?.queueAudio(packet, time: time)
    }

    private func releaseHeldAudio(upTo horizon: Double) throws(IngestError) {
        guard let audioCutter else { return }
        while let next = heldAudio.first, next.time < horizon {
            _ = heldAudio.popFirst()
            try audioCutter.write(next.packet, time: next.time, startsSegment: audioCuts.startsSegment(at: next.time))
        }
    }

    private func checkRungs() throws(IngestError) {
        for worker in workers {
            if let failure = worker.progress.failure { throw failure }
        }
    }

    private func learnCodecs() {
        for (worker, index) in zip(workers, rungOutlineIndices) {
            guard let codec = worker.progress.videoCodec else { continue }
            live.setCodecs([codec] + (request.format == .ts ? audioCodecs : []), ofRendition: index)
        }
    }

    private func publish(mediaTime: Double, notice: (String) -> Void) throws(IngestError) {
        // Per packet: only counts are read until every rendition has a new segment.
        guard progresses.allSatisfy({ $0.segmentCount > live.publishedCount }) else { return }
        learnCodecs()
        try live.segmentsCompleted(progresses.map(\.written), mediaTime: mediaTime, notice: notice)
    }
}
