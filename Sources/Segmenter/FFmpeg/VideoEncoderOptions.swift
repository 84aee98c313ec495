/// The private options each encoder wrapper is opened with.
///
/// FFmpeg 5.1's libx265 wrapper (libavcodec/libx265.c) maps the context's fields as libx264's
/// does: `bit_rate` to ABR at kb/s, `rc_max_rate` and `rc_buffer_size` to `vbv-maxrate` and
/// `vbv-bufsize` (kb/s, kbit), `gop_size` to `keyint`, `keyint_min` to `min-keyint`,
/// `AV_CODEC_FLAG_CLOSED_GOP` to no open GOP, no `AV_CODEC_FLAG_GLOBAL_HEADER` to
/// `repeat-headers`, the colour fields to the VUI; it turns a frame whose `pict_type` is I into an
/// IDR only with its own `forced-idr` option (else a non-IDR I picture). It does not pass frame
/// side data (HDR10 metadata) to x265, and it only logs an `x265-params` key or value x265
/// rejects: those below are spelt as x265 3.5 parses them.
///
/// x265 3.5 turns `repeat-headers` on by itself whenever HDR10 is (`hdr10`, `hdr10-opt`,
/// `master-display`, `max-cll`): it writes the HDR10 SEI next to the parameter sets at each
/// keyframe. `VideoEncoder` takes the parameter sets out again when `globalHeader` is set.
extension VideoEncoder.Settings {
    /// The options for `avcodec_open2`, in order.
    var encoderOptions: [(String, String)] {
        var options: [(String, String)] = [("preset", preset), ("forced-idr", "1")]
        if let profile { options.append(("profile", profile)) }
        switch codec {
        case .h264:
            if !sceneCutKeyframes { options.append(("x264-params", "scenecut=0")) }
        case .hevcMain10:
            options.append(("x265-params", x265Parameters.map { "\($0)=\($1)" }.joined(separator: ":")))
        }
        return options
    }

    /// x265's own parameters (`x265-params`), in order.
    var x265Parameters: [(String, String)] {
        // x265 logs to stderr itself, whatever FFmpeg's log level; open GOP is its default.
        var parameters: [(String, String)] = [("log-level", "error"), ("open-gop", "0")]
        if !sceneCutKeyframes { parameters.append(("scenecut", "0")) }
        // The wrapper already asks for this without a global header; said here for MPEG-TS's sake.
        // (With a global header x265 may still turn it on: see above.)
        if !globalHeader { parameters.append(("repeat-headers", "1")) }
        // Luma and chroma QP offsets tuned for PQ's code values (x265 recommends them for HDR10).
        if color.transfer == .smpte2084 { parameters.append(("hdr10-opt", "1")) }
        if masteringDisplay != nil || contentLightLevel != nil { parameters.append(("hdr10", "1")) }
        if let masteringDisplay { parameters.append(("master-display", masteringDisplay.x265Value)) }
        if let contentLightLevel { parameters.append(("max-cll", contentLightLevel.x265Value)) }
        return parameters
    }
}
