import HLSPlaylist

extension PresentationSession {
    /// What a session is made of, built by ``make(_:)`` before anything is written to.
    struct Parts {
        var lead: Lead
        var live: LivePublication
        var progresses: [RenditionProgress]
        var mediaProgresses: [RenditionProgress]
        var copyCutter: RenditionCutter?
        var rungs: RungSet?
        var audioFeeds: [AudioTrackFeed]
        var subtitleFeeds: [SubtitleTrackFeed]
    }

    /// What the session is asked to build.
    struct Blueprint {
        var request: IngestRequest
        var publisher: AssetPublisher
        var demuxer: Demuxer
        var plan: PresentationPlan
        /// Transcoded rungs, tallest first; empty for a stream copy.
        var rungs: [LadderRung]
        /// Whether the video is also copied as it is (`copy` alone, or leading a ladder).
        var copiesVideo: Bool
        /// The rungs' frame rate.
        var frameRate: Rational
        var targetDuration: Int
        var source: AssetManifest.Source
    }

    /// Opens every decoder, encoder and writer of the presentation `blueprint` describes, in
    /// publication order: the copied video, the rungs (tallest first), then the audio and
    /// subtitle renditions. The rung threads start last, so a setup failure leaves none running.
    static func make(_ blueprint: Blueprint) throws(IngestError) -> PresentationSession {
        var builder = Builder(blueprint)
        let audio = try builder.audioOutputs()
        let layout = AudioLayout(blueprint, trackCount: audio.count)
        let muxedAudio = layout.muxesIntoVariants ? audio.first : nil
        let copyCutter = try builder.copyVideo(muxing: muxedAudio?.output, layout: layout)
        let rungs = try builder.rungSet(muxing: muxedAudio, layout: layout)
        let feeds = try builder.audioFeeds(audio, layout: layout)
        let mediaProgresses = builder.progresses
        let subtitleFeeds = try builder.subtitleFeeds()
        let live = LivePublication(
            request: blueprint.request, publisher: blueprint.publisher, location: builder.location, outlines: builder.outlines,
            source: blueprint.source, targetDuration: blueprint.targetDuration
        )
        let parts = Parts(
            lead: layout.lead, live: live, progresses: builder.progresses, mediaProgresses: mediaProgresses,
            copyCutter: copyCutter, rungs: rungs, audioFeeds: feeds, subtitleFeeds: subtitleFeeds
        )
        return PresentationSession(request: blueprint.request, parts: parts)
    }

    /// How the audio tracks reach the presentation.
    struct AudioLayout {
        let lead: Lead
        /// One track, muxed into the variants (the copy rendition; each rung in MPEG-TS).
        let muxesIntoVariants: Bool
        /// The `GROUP-ID` of the audio renditions, when they are renditions of their own.
        let audioGroup: String?
        let subtitleGroup: String?
        /// Without video, one track is the `copy` variant itself.
        let audioIsVariant: Bool

        init(_ blueprint: Blueprint, trackCount: Int) {
            let hasVideo = blueprint.plan.video != nil
            lead = blueprint.copiesVideo && hasVideo ? .copiedVideo : hasVideo ? .grid : .audio
            let transcodedFMP4 = !blueprint.rungs.isEmpty && blueprint.request.format == .fmp4
            let separate = trackCount > 1 || (hasVideo && trackCount == 1 && transcodedFMP4)
            muxesIntoVariants = hasVideo && trackCount == 1 && !separate
            audioIsVariant = !hasVideo && trackCount == 1
            audioGroup = separate ? PresentationSession.audioGroup : nil
            subtitleGroup = blueprint.plan.subtitles.isEmpty ? nil : PresentationSession.subtitleGroup
        }
    }

    /// An audio track as the writers will see it.
    struct AudioOutput {
        var track: PresentationPlan.AudioTrack
        var transcoder: AudioTranscoder?
        var output: SegmentWriter.InputStream
    }

    /// Makes the writers and outlines of each kind of rendition, in publication order.
    struct Builder {
        let blueprint: Blueprint
        let location: AssetLocation
        var outlines: [RenditionOutline] = []
        var progresses: [RenditionProgress] = []

        init(_ blueprint: Blueprint) {
            self.blueprint = blueprint
            location = AssetLocation(blueprint.publisher.root)
        }

        private var request: IngestRequest { blueprint.request }
        private var input: String { blueprint.request.inputDescription }

        /// A rendition's directory, writer and cutter; its outline joins the presentation.
        mutating func cutter(_ outline: RenditionOutline, streams: [SegmentWriter.InputStream]) throws(IngestError) -> RenditionCutter {
            var outline = outline
            outline.encrypted = request.encryption != nil
            _ = try blueprint.publisher.directory(outline.name)
            let writer = try SegmentWriter(
                format: request.format, streams: streams, location: location, rendition: outline.name,
                singleFile: outline.singleFile, generation: blueprint.publisher.generation,
                timestampDelay: request.format == .ts ? PresentationSession.transportStreamDelay : 0,
                durable: request.durability == .synced, partDuration: outline.hasParts ? request.partDuration : nil,
                encryption: request.encryption
            )
            try writer.start()
            let progress = RenditionProgress()
            outlines.append(outline)
            progresses.append(progress)
            return RenditionCutter(writer: writer, progress: progress)
        }

        /// Every subtitle track's WebVTT rendition, in the subtitles group.
        mutating func subtitleFeeds() throws(IngestError) -> [SubtitleTrackFeed] {
            // Cue time 0 is where the media segments' timestamps put the presentation's start.
            let mpegTimestamp = request.format == .ts ? Int64((PresentationSession.transportStreamDelay * 90_000).rounded()) : 0
            var feeds: [SubtitleTrackFeed] = []
            for track in blueprint.plan.subtitles {
                _ = try blueprint.publisher.directory(track.rendition)
                let progress = RenditionProgress()
                feeds.append(try SubtitleTrackFeed(
                    input: input, track: track, demuxer: blueprint.demuxer, publisher: blueprint.publisher, progress: progress, mpegTimestamp: mpegTimestamp
                ))
                outlines.append(RenditionOutline(
                    name: track.rendition, kind: .subtitles, codecs: [], group: PresentationSession.subtitleGroup,
                    language: track.language, title: track.title, forced: track.forced
                ))
                progresses.append(progress)
            }
            return feeds
        }

        /// Each audio track, transcoded (a ladder) or as it is.
        func audioOutputs() throws(IngestError) -> [AudioOutput] {
            var outputs: [AudioOutput] = []
            for track in blueprint.plan.audio {
                do {
                    let parameters = try blueprint.demuxer.codecParameters(ofStream: track.stream.index)
                    guard !blueprint.rungs.isEmpty else {
                        var info = track.stream
                        info.index = PresentationSession.audioIndex
                        outputs.append(AudioOutput(track: track, output: .init(info: info, parameters: parameters)))
                        continue
                    }
                    let transcoder = try AudioTranscoder(input: input, rendition: track.rendition, stream: track.stream, parameters: parameters, bitRate: request.audioBitRate)
                    let encoded = try transcoder.encoder.codecParameters()
                    let info = StreamInfo(encoded: encoded, index: PresentationSession.audioIndex, timeBase: transcoder.encoder.timeBase)
                    outputs.append(AudioOutput(track: track, transcoder: transcoder, output: .init(info: info, parameters: encoded)))
                } catch {
                    throw .decode(input: input, error)
                }
            }
            return outputs
        }

        /// The `copy` rendition's video, with the one audio track muxed in when there is one.
        mutating func copyVideo(muxing audio: SegmentWriter.InputStream?, layout: AudioLayout) throws(IngestError) -> RenditionCutter? {
            guard blueprint.copiesVideo, var video = blueprint.plan.video else { return nil }
            let parameters: CodecParameters
            do { parameters = try blueprint.demuxer.codecParameters(ofStream: video.index) } catch { throw .remux(input: input, error) }
            let declared = audio == nil ? video.bitRate ?? blueprint.demuxer.bitRate : blueprint.demuxer.bitRate
            let outline = RenditionOutline(
                name: LibraryLayout.copyRendition, kind: .video,
                codecs: [video, audio?.info].compactMap { $0 }.compactMap(CodecString.make(for:)),
                width: video.uprightDimensions.width, height: video.uprightDimensions.height,
                frameRate: video.averageFrameRate.isUnknown ? nil : video.averageFrameRate.doubleValue,
                videoRange: video.videoRange == .sdr ? nil : video.videoRange,
                audioGroup: layout.audioGroup, subtitleGroup: layout.subtitleGroup,
                singleFile: request.singleFile, nominalBitRate: declared.map { Int($0) }
            )
            video.index = PresentationSession.videoIndex
            return try cutter(outline, streams: [.init(info: video, parameters: parameters)] + [audio].compactMap { $0 })
        }

        /// The transcoded rungs, each with its scaler, encoder and writer.
        mutating func rungSet(muxing audio: AudioOutput?, layout: AudioLayout) throws(IngestError) -> RungSet? {
            guard !blueprint.rungs.isEmpty, let video = blueprint.plan.video else { return nil }
            let decoder: Decoder
            do {
                decoder = try Decoder(parameters: try blueprint.demuxer.codecParameters(ofStream: video.index), timeBase: video.timeBase)
            } catch {
                throw .decode(input: input, error)
            }
            let muxedCodecs = audio.map { CodecString.make(for: $0.output.info).map { [$0] } ?? [] } ?? []
            var rungs: [RungSet.Rung] = []
            for rung in blueprint.rungs {
                rungs.append(try self.rung(rung, source: video, decoder: decoder, muxing: audio, layout: layout))
            }
            let frameInterval = 1 / blueprint.frameRate.doubleValue
            let cuts: CutSchedule = layout.lead == .copiedVideo ? .explicit(tolerance: frameInterval / 2) : .grid(duration: request.segmentDuration)
            return RungSet(input: input, decoder: decoder, timeBase: video.timeBase, rungs: rungs, cuts: cuts, muxedAudioCodecs: muxedCodecs)
        }

        private mutating func rung(
            _ rung: LadderRung, source video: StreamInfo, decoder: Decoder, muxing audio: AudioOutput?, layout: AudioLayout
        ) throws(IngestError) -> RungSet.Rung {
            let frameRate = blueprint.frameRate
            let settings = encoderSettings(rung, source: video)
            // Scaled first, turned upright after: the rotation then moves the rung's pixels, not the source's.
            let orientation = video.orientation
            let scaled = orientation.swapsDimensions ? VideoDimensions(width: rung.dimensions.height, height: rung.dimensions.width) : rung.dimensions
            let encoder: VideoEncoder
            let scaler: VideoScaler
            let parameters: CodecParameters
            do {
                encoder = try VideoEncoder(settings: settings)
                scaler = try VideoScaler(
                    sourceWidth: decoder.width, sourceHeight: decoder.height, sourceFormat: decoder.pixelFormat,
                    target: scaled, targetFormat: settings.codec.pixelFormat
                )
                parameters = try encoder.codecParameters()
            } catch {
                throw .encode(rendition: rung.name, error)
            }
            let info = StreamInfo(encoded: parameters, index: PresentationSession.videoIndex, timeBase: encoder.timeBase, frameRate: frameRate)
            let outlineIndex = outlines.count
            let cutter = try self.cutter(
                RenditionOutline(
                    name: rung.name, kind: .video, codecs: [],
                    width: rung.dimensions.width, height: rung.dimensions.height, frameRate: frameRate.doubleValue,
                    videoRange: settings.codec == .hevcMain10 ? video.videoRange : nil,
                    audioGroup: layout.audioGroup, subtitleGroup: layout.subtitleGroup, singleFile: request.singleFile,
                    nominalBitRate: settings.maxRate + (audio == nil ? 0 : request.audioBitRate)
                ),
                streams: [.init(info: info, parameters: parameters)] + [audio?.output].compactMap { $0 }
            )
            // fMP4 has the parameter sets out of band now; MPEG-TS shows them with the first IDR.
            cutter.progress.videoCodec = info.extradata.isEmpty ? nil : CodecString.make(for: info)
            let encoding = RungEncoding(
                name: rung.name, scaler: scaler, rotator: orientation == .upright ? nil : VideoRotator(orientation: orientation),
                encoder: encoder, cutter: cutter, videoIndex: PresentationSession.videoIndex
            )
            return RungSet.Rung(encoding: encoding, progress: cutter.progress, outlineIndex: outlineIndex)
        }

        /// H.264 for an SDR source; for HDR (PQ, HLG) HEVC Main 10 that keeps the source's colour
        /// description and HDR10 metadata: 8-bit H.264 cannot carry HDR, and a rung labelled SDR
        /// must not carry PQ pictures.
        private func encoderSettings(_ rung: LadderRung, source video: StreamInfo) -> VideoEncoder.Settings {
            let frameRate = blueprint.frameRate
            let keyframeInterval = max(1, Int((request.segmentDuration * frameRate.doubleValue).rounded()))
            guard video.videoRange != .sdr else {
                return VideoEncoder.Settings(
                    dimensions: rung.dimensions, timeBase: video.timeBase, frameRate: frameRate, bitRate: rung.bitRate,
                    keyframeInterval: keyframeInterval, preset: request.preset, globalHeader: request.format == .fmp4
                )
            }
            return .hevcMain10(
                dimensions: rung.dimensions, timeBase: video.timeBase, frameRate: frameRate, bitRate: rung.bitRate,
                keyframeInterval: keyframeInterval, color: video.colorDescription,
                masteringDisplay: video.masteringDisplay, contentLightLevel: video.contentLightLevel,
                preset: request.preset, globalHeader: request.format == .fmp4
            )
        }

        /// Every audio track's feed: muxed into the variants, the `copy` variant itself (audio
        /// alone), or a rendition of its own in the audio group.
        mutating func audioFeeds(_ outputs: [AudioOutput], layout: AudioLayout) throws(IngestError) -> [AudioTrackFeed] {
            var feeds: [AudioTrackFeed] = []
            for audio in outputs {
                guard !layout.muxesIntoVariants else {
                    feeds.append(AudioTrackFeed(input: input, track: audio.track, transcoder: audio.transcoder, destination: .muxed, output: audio.output))
                    continue
                }
                let codecs = CodecString.make(for: audio.output.info).map { [$0] } ?? []
                let declared = audio.transcoder == nil ? audio.track.stream.bitRate.map(Int.init) : request.audioBitRate * 11 / 10
                var outline = RenditionOutline(name: audio.track.rendition, kind: .audio, codecs: codecs, singleFile: request.singleFile, nominalBitRate: declared)
                if layout.audioIsVariant {
                    outline.name = LibraryLayout.copyRendition
                    outline.subtitleGroup = layout.subtitleGroup
                    outline.nominalBitRate = blueprint.demuxer.bitRate.map(Int.init)
                } else {
                    // One transcoded track keeps the ladder's `audio/`; several are `audio-<lang>`.
                    if outputs.count == 1 { outline.name = LibraryLayout.audioRendition }
                    outline.group = layout.audioGroup
                    outline.channels = audio.output.info.channels
                    outline.language = audio.track.language
                    outline.title = audio.track.title
                    outline.isDefault = audio.track.isDefault
                }
                let cutter = try self.cutter(outline, streams: [audio.output])
                feeds.append(AudioTrackFeed(input: input, track: audio.track, transcoder: audio.transcoder, destination: .rendition(cutter), output: audio.output))
            }
            return feeds
        }
    }
}
