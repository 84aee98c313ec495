import HLSPlaylist

/// Which of an input's tracks become which renditions, decided from the streams alone before
/// anything is written (SPEC: "Everything a player can use reaches the presentation").
///
/// - The first video stream that is not cover art.
/// - Every audio track. One keeps today's layout (muxed into the variant, or the ladder's
///   `audio/` rendition in fMP4); several become `audio-<lang>` renditions of one group.
///   A copied track whose codec the segment format cannot carry is skipped with a notice,
///   unless no audio would be left (then the ingest fails, as it always has).
/// - Every text subtitle track and sidecar file, as `subs-<lang>` WebVTT renditions; bitmap
///   subtitles are skipped with a notice.
///
/// Pure: no FFmpeg, tested on its own.
struct PresentationPlan: Sendable {
    struct AudioTrack: Sendable {
        var stream: StreamInfo
        /// The rendition's directory (only used when the tracks are separate renditions).
        var rendition: String
        /// RFC 5646, nil when the input does not say.
        var language: String?
        /// The rendition's `NAME`: the language's name, or "Audio 2".
        var title: String
        var isDefault: Bool
    }

    struct SubtitleTrack: Sendable {
        enum Source: Sendable {
            /// A text subtitle stream of the input.
            case stream(StreamInfo)
            /// A sidecar file beside the input.
            case file(path: String)
        }
        var source: Source
        var rendition: String
        var language: String?
        var title: String
        var forced: Bool
    }

    var video: StreamInfo?
    var audio: [AudioTrack]
    var subtitles: [SubtitleTrack]
    /// Lines for stderr about what was left out, and why.
    var notices: [String]

    /// With more than one audio track, each is a rendition of its own.
    var separatesAudioTracks: Bool { audio.count > 1 }

    /// The streams read from the input, in their order there.
    var streams: [StreamInfo] {
        let subtitleStreams = subtitles.compactMap { track -> StreamInfo? in
            if case .stream(let stream) = track.source { return stream }
            return nil
        }
        return ([video].compactMap { $0 } + audio.map(\.stream) + subtitleStreams).sorted { $0.index < $1.index }
    }

    /// A sidecar file as ``PresentationPlan`` needs it: its path and the language in its name.
    struct Sidecar: Sendable {
        var path: String
        var language: String?
    }

    /// - Parameters:
    ///   - copiedTypes: stream types copied as they are (their codecs must fit `format`); the
    ///     others are transcoded.
    ///   - isTextSubtitle: whether libavcodec can turn a subtitle codec into WebVTT text.
    static func make(
        streams: [StreamInfo], sidecars: [Sidecar], format: SegmentFormat, copiedTypes: Set<MediaType>,
        input: String, isTextSubtitle: (String) -> Bool
    ) throws(IngestError) -> PresentationPlan {
        let video = streams.first { $0.type == .video && !$0.isAttachedPicture }
        let audioStreams = streams.filter { $0.type == .audio }
        guard video != nil || !audioStreams.isEmpty else {
            throw .input(InputError(path: input, reason: .noMediaStreams))
        }
        if let video, copiedTypes.contains(.video), !format.supports(codec: video.codecName) {
            throw .unsupportedCodec(input: input, codec: video.codecName, format: format)
        }
        var notices: [String] = []
        var usable = audioStreams
        if copiedTypes.contains(.audio) {
            usable = audioStreams.filter { format.supports(codec: $0.codecName) }
            if usable.isEmpty, let first = audioStreams.first {
                throw .unsupportedCodec(input: input, codec: first.codecName, format: format)
            }
            for skipped in audioStreams where !format.supports(codec: skipped.codecName) {
                notices.append("\(input): audio track #\(skipped.index) (\(skipped.codecName)) skipped: \(format.displayName) cannot carry it")
            }
        }
        var subtitles = sidecars.map { sidecar in
            SubtitleTrack(source: .file(path: sidecar.path), rendition: "", language: LanguageTag.rfc5646(fromContainerTag: sidecar.language ?? ""), title: "", forced: false)
        }
        for stream in streams where stream.type == .subtitle {
            guard isTextSubtitle(stream.codecName) else {
                notices.append("\(input): subtitle track #\(stream.index) (\(stream.codecName)) skipped: bitmap subtitles cannot become WebVTT")
                continue
            }
            subtitles.append(SubtitleTrack(
                source: .stream(stream), rendition: "", language: LanguageTag.rfc5646(fromContainerTag: stream.language ?? ""),
                title: "", forced: stream.isForced
            ))
        }
        return PresentationPlan(
            video: video, audio: audioTracks(usable), subtitles: named(subtitles), notices: notices
        )
    }

    /// Names, titles and the default of the audio tracks.
    static func audioTracks(_ streams: [StreamInfo]) -> [AudioTrack] {
        let defaultIndex = streams.firstIndex { $0.isDefault } ?? 0
        var directories = Set<String>()
        var titles = Set<String>()
        return streams.enumerated().map { position, stream in
            let language = LanguageTag.rfc5646(fromContainerTag: stream.language ?? "")
            let directory = LibraryLayout.unique(LibraryLayout.audioRendition(language: language), among: directories)
            directories.insert(directory)
            let title = uniqueTitle(language.flatMap(LanguageTag.englishName(of:)) ?? "Audio \(position + 1)", among: titles)
            titles.insert(title)
            return AudioTrack(stream: stream, rendition: directory, language: language, title: title, isDefault: position == defaultIndex)
        }
    }

    /// Directories and titles of the subtitle tracks (sidecars first, then the input's own).
    static func named(_ tracks: [SubtitleTrack]) -> [SubtitleTrack] {
        var directories = Set<String>()
        var titles = Set<String>()
        return tracks.enumerated().map { position, track in
            var named = track
            named.rendition = LibraryLayout.unique(LibraryLayout.subtitleRendition(language: track.language), among: directories)
            directories.insert(named.rendition)
            let base = track.language.flatMap(LanguageTag.englishName(of:)) ?? "Subtitles \(position + 1)"
            named.title = uniqueTitle(track.forced ? "\(base) (forced)" : base, among: titles)
            titles.insert(named.title)
            return named
        }
    }

    /// `title`, or `title 2`, `title 3`, ... when taken.
    static func uniqueTitle(_ title: String, among taken: Set<String>) -> String {
        guard taken.contains(title) else { return title }
        var number = 2
        while taken.contains("\(title) \(number)") { number += 1 }
        return "\(title) \(number)"
    }
}
