import CReelLinux
import Foundation
import HLSPlaylist

extension IngestPipeline {
    /// A transcoded ladder (`--renditions 720p,360p` or `copy,720p,360p`): decode once, scale and
    /// encode every rung in parallel with IDR frames where segments start, audio encoded once.
    ///
    /// - Returns: nil when nothing is left to transcode (every rung skipped) and the ladder leads
    ///   with `copy`: the caller then runs a plain stream copy.
    func runLadder(
        progress: (IngestProgress) -> Void,
        notice: (String) -> Void,
        isCancelled: () -> Bool
    ) throws(IngestError) -> IngestResult? {
        // See runCopy: fixed mmap threshold so freed fragment and frame buffers leave the heap.
        _ = reel_set_mmap_threshold(4 << 20)
        let began = ContinuousClock.now
        let ladder = request.renditions
        let (file, demuxer) = try openInput()
        let selection = try selectStreams(demuxer, checking: ladder.includesCopy ? [.video] : [])
        guard let video = selection.first(where: { $0.type == .video }) else {
            guard ladder.includesCopy else { throw .noVideo(input: request.inputDescription, ladder: ladder.description) }
            notice("\(request.inputDescription): no video stream; \(ladder.heights.map(RenditionLadder.name(ofHeight:)).joined(separator: ",")) skipped")
            return nil
        }
        var rungs: [LadderRung] = []
        for height in ladder.heights {
            guard let dimensions = VideoDimensions.rung(height: height, source: VideoDimensions(width: video.width, height: video.height), sampleAspectRatio: video.sampleAspectRatio) else {
                notice("\(request.inputDescription): \(RenditionLadder.name(ofHeight: height)) skipped: taller than the \(video.height)-pixel-high source")
                continue
            }
            rungs.append(LadderRung(height: height, dimensions: dimensions, bitRate: request.videoBitRates[height] ?? RungBitRate.defaultBitRate(height: height)))
        }
        guard !rungs.isEmpty else {
            guard ladder.includesCopy else {
                throw .noRungFits(input: request.inputDescription, sourceHeight: video.height, ladder: ladder.description)
            }
            return nil
        }
        let audio = selection.first { $0.type == .audio }
        demuxer.keepOnly(streams: Set(selection.map(\.index)))
        let origin = demuxer.startTime ?? selection.compactMap(\.startSeconds).min() ?? 0
        let frameRate = LadderRung.outputFrameRate(source: video)
        let targetDuration: Int
        if ladder.includesCopy {
            // Segments start at the input's keyframes, as in a plain copy.
            targetDuration = try forecast(file: file, video: video, origin: origin, declaredEnd: demuxer.duration).targetDuration
        } else {
            // Segments start at the first picture on or after each grid point: at most a frame late.
            targetDuration = MediaPlaylist.minimumTargetDuration(forSegmentDurations: [request.segmentDuration + 1 / frameRate.doubleValue + SegmentForecast.margin])
        }

        let publisher = try AssetPublisher(library: request.library, name: request.name, force: request.force)
        let session = try LadderSession(
            request: request, publisher: publisher, demuxer: demuxer, video: video, audio: audio, rungs: rungs,
            frameRate: frameRate, origin: origin, targetDuration: targetDuration,
            source: .init(path: request.inputDescription, size: file.size)
        )
        let end: Double
        do {
            end = try forEachPacket(
                of: demuxer, selection: selection, origin: origin, began: began,
                progress: progress, segments: { session.publishedSegments }, isCancelled: isCancelled
            ) { (packet, stream, seconds) throws(IngestError) in
                try session.process(packet, of: stream, at: seconds, notice: notice)
            }
            try session.finishInput()
        } catch {
            session.cancel()
            throw relabel(error)
        }
        try checkComplete(demuxer, end: end)
        let renditions = try session.complete(duration: end, notice: notice)
        progress(report(mediaTime: end, duration: demuxer.duration, since: began, segments: session.publishedSegments))
        return result(publisher: publisher, duration: end, renditions: renditions, since: began)
    }
}
