import CFFmpeg

/// Owns an `AVCodecContext` opened on libavcodec's `webvtt` encoder, which turns one ASS event
/// into a WebVTT cue payload: `\N` into line breaks, `{\i1}`, `{\b1}`, `{\u1}` (and the event
/// style's bold, italic and underline) into `<i>`, `<b>`, `<u>`; other overrides are dropped.
///
/// The encoder copies the event's words verbatim, unescaped: `encode` escapes them first and
/// tidies the result (see `WebVTTCueText`).
/// Not Sendable: one task owns an encoder for its whole life.
final class WebVTTEncoder {
    private let context: UnsafeMutablePointer<AVCodecContext>
    /// Output room per event; grows when an event needs more.
    private var buffer = [UInt8](repeating: 0, count: 16 * 1024)

    /// Opens the encoder on `subtitleHeader`, the ASS script header a text decoder publishes
    /// (its styles give the events' default bold, italic and underline); none is read as empty.
    init(subtitleHeader: [UInt8]) throws(FFmpegError) {
        FFmpegLog.configure()
        guard let codec = avcodec_find_encoder_by_name("webvtt") else {
            throw FFmpegError(call: "avcodec_find_encoder_by_name(webvtt)", code: REEL_AVERROR_ENCODER_NOT_FOUND)
        }
        guard let allocated = avcodec_alloc_context3(codec) else {
            throw FFmpegError(call: "avcodec_alloc_context3", code: reel_averror(ENOMEM))
        }
        context = allocated
        // Every stored property is set: a throw below still runs deinit, which frees the context.
        context.pointee.time_base = AVRational(num: 1, den: 1000)
        // The encoder parses a NUL-terminated header; avcodec_free_context frees it.
        guard let header = av_mallocz(subtitleHeader.count + 1)?.assumingMemoryBound(to: UInt8.self) else {
            throw FFmpegError(call: "av_mallocz", code: reel_averror(ENOMEM))
        }
        header.update(from: subtitleHeader, count: subtitleHeader.count)
        context.pointee.subtitle_header = header
        context.pointee.subtitle_header_size = Int32(subtitleHeader.count)
        try ffmpegCheck("avcodec_open2", avcodec_open2(context, codec, nil))
    }

    deinit {
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&owned)
    }

    /// The cue payload of `dialog`, an ASS event as decoders put it in `AVSubtitleRect.ass`
    /// (`ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text`); empty when the event
    /// shows nothing.
    func encode(dialog: String) throws(FFmpegError) -> String {
        let escaped = WebVTTCueText.escapingText(ofDialog: dialog)
        while true {
            let result = encode(escapedDialog: escaped)
            if result == REEL_AVERROR_BUFFER_TOO_SMALL, buffer.count < 16 * 1024 * 1024 {
                buffer = [UInt8](repeating: 0, count: buffer.count * 4)
                continue
            }
            let length = try ffmpegCheck("avcodec_encode_subtitle", result)
            return WebVTTCueText.tidy(String(decoding: buffer[..<Int(length)], as: UTF8.self))
        }
    }

    /// One `avcodec_encode_subtitle` call on a subtitle holding just `dialog`; its return code.
    private func encode(escapedDialog dialog: String) -> Int32 {
        let capacity = Int32(buffer.count)
        let context = context
        return dialog.withCString { text in
            var rect = AVSubtitleRect()
            rect.type = SUBTITLE_ASS
            rect.ass = UnsafeMutablePointer(mutating: text)
            return withUnsafeMutablePointer(to: &rect) { rectPointer in
                var rects: [UnsafeMutablePointer<AVSubtitleRect>?] = [rectPointer]
                return rects.withUnsafeMutableBufferPointer { list in
                    // start_display_time stays 0: the encoder refuses anything else.
                    var subtitle = AVSubtitle()
                    subtitle.num_rects = 1
                    subtitle.rects = list.baseAddress
                    return buffer.withUnsafeMutableBufferPointer { output in
                        avcodec_encode_subtitle(context, output.baseAddress, capacity, &subtitle)
                    }
                }
            }
        }
    }
}
