import CFFmpeg

/// Turns the packets of a text subtitle stream (mov_text, SubRip, ASS/SSA, WebVTT, plain text)
/// into WebVTT cues.
///
/// libavcodec decodes each packet (`avcodec_decode_subtitle2`) into ASS events, and its
/// `webvtt` encoder turns each event into a cue payload, with the escaping it leaves out done
/// here (see `WebVTTCueText`). The events of one packet make one cue, their texts a line apart.
///
/// A cue ends at its packet's end (`duration`), else where the decoder says it does
/// (`AVSubtitle.end_display_time`), else it is open-ended: it is held back and ends where the
/// next packet decoded starts (an empty one, which clears the screen, too), or at `finish`.
/// Cues come out in the order of the packets.
/// Not Sendable: one task owns a transcoder for its whole life.
public final class SubtitleTranscoder {
    private let decoder: Decoder
    private let encoder: WebVTTEncoder
    /// The open-ended cue waiting for the next subtitle's start.
    private var pending: SubtitleCue?

    /// A transcoder for a stream described by `parameters`, whose packets come in `timeBase`.
    ///
    /// - Throws: `avcodec_find_decoder(NAME)` for a codec `canDecodeAsText` refuses, or one
    ///   FFmpeg has no decoder for.
    public init(parameters: CodecParameters, timeBase: Rational) throws(FFmpegError) {
        let name = parameters.codecName
        guard Self.canDecodeAsText(codecName: name) else {
            throw FFmpegError(call: "avcodec_find_decoder(\(name)): not a text subtitle codec", code: REEL_AVERROR_DECODER_NOT_FOUND)
        }
        // The decoder's context serves the subtitle API (avcodec_decode_subtitle2), not send/receive.
        decoder = try Decoder(parameters: parameters, timeBase: timeBase, threads: 1)
        let context = decoder.context.pointee
        let header = context.subtitle_header.map { Array(UnsafeBufferPointer(start: $0, count: Int(context.subtitle_header_size))) }
        encoder = try WebVTTEncoder(subtitleHeader: header ?? [])
    }

    /// The cues finished by `packet`, which starts at `start` seconds and lasts `duration`
    /// seconds (nil or not positive when unknown), on the caller's media timeline: an open-ended
    /// cue held back since an earlier packet, then the packet's own cue unless it is open-ended.
    public func cues(from packet: Packet, start: Double, duration: Double?) throws(FFmpegError) -> [SubtitleCue] {
        var subtitle = AVSubtitle()
        defer { avsubtitle_free(&subtitle) }
        var gotSubtitle: Int32 = 0
        try ffmpegCheck("avcodec_decode_subtitle2", avcodec_decode_subtitle2(decoder.context, &subtitle, &gotSubtitle, packet.pointer))
        let cueStart = start + Double(gotSubtitle != 0 ? subtitle.start_display_time : 0) / 1000
        // Encoded before the held cue is taken, so that a throw leaves it held.
        let text = gotSubtitle != 0 ? try payload(of: subtitle) : ""
        var finished: [SubtitleCue] = []
        // Any packet ends an open cue: mov_text's empty samples, which clear the screen, decode to nothing.
        if let open = pending.take() {
            finished.append(SubtitleCue(start: open.start, end: max(open.start, cueStart), text: open.text))
        }
        guard !text.isEmpty else { return finished }
        var cue = SubtitleCue(start: cueStart, end: cueStart, text: text)
        if let end = Self.end(start: start, duration: duration, subtitle: subtitle) {
            cue.end = max(cueStart, end)
            finished.append(cue)
        } else {
            pending = cue
        }
        return finished
    }

    /// The cue still held back, open-ended, ending at `end` (seconds; the media end, say), or
    /// where it starts when `end` is nil or earlier; nothing when no cue is held back.
    public func finish(endingAt end: Double?) -> [SubtitleCue] {
        guard var cue = pending.take() else { return [] }
        cue.end = max(cue.start, end ?? cue.start)
        return [cue]
    }

    /// The cue payload of every text event in `subtitle`, a line apart; events that show nothing
    /// and bitmaps (which text decoders do not make) are left out.
    private func payload(of subtitle: AVSubtitle) throws(FFmpegError) -> String {
        var lines: [String] = []
        for index in 0..<Int(subtitle.num_rects) {
            guard let rect = subtitle.rects[index], rect.pointee.type == SUBTITLE_ASS, let ass = rect.pointee.ass else { continue }
            let text = try encoder.encode(dialog: String(cString: ass))
            if !text.isEmpty { lines.append(text) }
        }
        return lines.joined(separator: "\n")
    }

    /// Where a subtitle decoded from a packet starting at `start` ends, nil when nothing says.
    private static func end(start: Double, duration: Double?, subtitle: AVSubtitle) -> Double? {
        if let duration, duration > 0 { return start + duration }
        // Milliseconds after the packet's start; 0 and UINT32_MAX mean "until the next one".
        let display = subtitle.end_display_time
        guard display != 0, display != UInt32.max, display > subtitle.start_display_time else { return nil }
        return start + Double(display) / 1000
    }
}

extension SubtitleTranscoder {
    /// Codecs whose packets libavcodec decodes into text events, by FFmpeg's codec name.
    public static let textCodecNames: Set<String> = ["mov_text", "subrip", "srt", "ass", "ssa", "webvtt", "text"]

    /// Picture-based subtitle codecs, which cannot become WebVTT text.
    public static let bitmapCodecNames: Set<String> = ["hdmv_pgs_subtitle", "dvb_subtitle", "dvd_subtitle", "xsub", "dvb_teletext"]

    /// Whether the transcoder takes streams of the codec FFmpeg names `codecName`.
    public static func canDecodeAsText(codecName: String) -> Bool {
        textCodecNames.contains(codecName)
    }

    /// Whether `codecName` names picture-based subtitles (PGS, DVB, VobSub, XSUB, teletext).
    public static func isBitmap(codecName: String) -> Bool {
        bitmapCodecNames.contains(codecName)
    }

    /// Why subtitle `stream` cannot become a WebVTT rendition, as a notice for stderr, e.g.
    /// "subtitle stream 3 (hdmv_pgs_subtitle, eng) skipped: bitmap subtitles cannot become WebVTT";
    /// nil for a text subtitle stream and for streams that are not subtitles.
    public static func skipNotice(for stream: StreamInfo) -> String? {
        guard stream.type == .subtitle, !canDecodeAsText(codecName: stream.codecName) else { return nil }
        let what = ([stream.codecName] + (stream.language.map { [$0] } ?? [])).joined(separator: ", ")
        let why = isBitmap(codecName: stream.codecName)
            ? "bitmap subtitles cannot become WebVTT"
            : "not a text subtitle format Reel converts"
        return "subtitle stream \(stream.index) (\(what)) skipped: \(why)"
    }
}
