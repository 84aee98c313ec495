extension IngestPipeline {
    /// What `--renditions` asks of this input: the rungs that fit (tallest first; each one too
    /// tall is skipped with a notice) and whether the video is also copied as it is.
    struct LadderChoice {
        var rungs: [LadderRung]
        var copiesVideo: Bool
    }

    /// The rungs of a ladder (`--renditions 720p,360p` or `copy,720p,360p`) that this input can
    /// have. A ladder that leads with `copy` and has nothing left to transcode (no video, or
    /// every rung too tall) is a plain stream copy; without `copy` that is an error.
    func ladderRungs(_ demuxer: Demuxer, notice: (String) -> Void) throws(IngestError) -> LadderChoice {
        let ladder = request.renditions
        guard ladder.transcodes else { return LadderChoice(rungs: [], copiesVideo: true) }
        guard let video = demuxer.streams.first(where: { $0.type == .video && !$0.isAttachedPicture }) else {
            guard ladder.includesCopy else { throw .noVideo(input: request.inputDescription, ladder: ladder.description) }
            notice("\(request.inputDescription): no video stream; \(ladder.heights.map(RenditionLadder.name(ofHeight:)).joined(separator: ",")) skipped")
            return LadderChoice(rungs: [], copiesVideo: true)
        }
        // Rungs come out upright: their sizes are measured on the picture as displayed.
        let upright = video.uprightDimensions
        let aspect = video.orientation.upright(sampleAspectRatio: video.sampleAspectRatio)
        var rungs: [LadderRung] = []
        for height in ladder.heights {
            guard let dimensions = VideoDimensions.rung(height: height, source: upright, sampleAspectRatio: aspect) else {
                notice("\(request.inputDescription): \(RenditionLadder.name(ofHeight: height)) skipped: taller than the \(upright.height)-pixel-high source")
                continue
            }
            rungs.append(LadderRung(height: height, dimensions: dimensions, bitRate: request.videoBitRates[height] ?? RungBitRate.defaultBitRate(height: height)))
        }
        guard !rungs.isEmpty || ladder.includesCopy else {
            throw .noRungFits(input: request.inputDescription, sourceHeight: upright.height, ladder: ladder.description)
        }
        return LadderChoice(rungs: rungs, copiesVideo: ladder.includesCopy)
    }
}
