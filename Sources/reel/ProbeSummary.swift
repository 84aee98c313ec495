import Segmenter

/// The human-readable form of a `ProbeReport`: a compact, aligned summary.
struct ProbeSummary {
    let report: ProbeReport

    init(_ report: ProbeReport) {
        self.report = report
    }

    var text: String {
        var lines: [(String, String)] = []
        var container = "\(report.container) (\(report.containerName))"
        if let faststart = report.faststart {
            container += faststart ? ", faststart" : ", moov at end (not faststart)"
        }
        lines.append(("container", container))
        var overall = [report.duration.map(Format.seconds) ?? "unknown duration", Format.bytes(report.size)]
        if let bitRate = report.bitRate { overall.append(Format.bitRate(bitRate)) }
        lines.append(("duration", overall.joined(separator: ", ")))
        for stream in report.streams {
            lines.append(("#\(stream.index) \(stream.type.rawValue)", describe(stream)))
            if let keyframes = stream.keyframes {
                var text = "\(keyframes) keyframes in \(stream.packets) packets"
                if let interval = stream.keyframeInterval {
                    text += ", interval min \(Format.seconds(interval.min)) avg \(Format.seconds(interval.avg)) max \(Format.seconds(interval.max))"
                }
                lines.append(("", text))
            }
        }
        let width = lines.map(\.0.count).max() ?? 0
        var output = report.path + "\n"
        for (label, value) in lines {
            output += "  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value + "\n"
        }
        return output
    }

    private func describe(_ stream: ProbeReport.Stream) -> String {
        var parts = [stream.codec + (stream.profile.map { " \($0)" } ?? "") + (stream.level.map { "@\(levelText($0, codec: stream.codec))" } ?? "")]
        if let codecString = stream.codecString { parts.append(codecString) }
        if let width = stream.width, let height = stream.height { parts.append("\(width)x\(height)") }
        if let pixelFormat = stream.pixelFormat { parts.append(pixelFormat) }
        if let rate = stream.averageFrameRate {
            var text = "\(Format.decimal(rate, places: 3)) fps"
            if let real = stream.realFrameRate, abs(real - rate) > 0.001 { text += " (r \(Format.decimal(real, places: 3)))" }
            parts.append(text)
        }
        if stream.hasBFrames == true { parts.append("B-frames") }
        if let range = stream.videoRange, range != "SDR" { parts.append("HDR \(range)") }
        if let rotation = stream.rotation { parts.append("shown turned \(rotation)° clockwise") }
        if let sampleRate = stream.sampleRate { parts.append("\(sampleRate) Hz") }
        if let channels = stream.channels { parts.append("\(channels) ch") }
        if let bitRate = stream.bitRate { parts.append(Format.bitRate(bitRate)) }
        if let duration = stream.duration { parts.append(Format.seconds(duration)) }
        if let language = stream.language { parts.append("[\(language)]") }
        if let title = stream.title { parts.append("\"\(title)\"") }
        if stream.isDefault == true, stream.type != .video { parts.append("default") }
        if stream.forced == true { parts.append("forced") }
        if let webVTT = stream.webVTT { parts.append(webVTT ? "text (WebVTT)" : "bitmap (skipped by ingest)") }
        return parts.joined(separator: "  ")
    }

    private func levelText(_ level: Int, codec: String) -> String {
        switch codec {
        case "h264": Format.decimal(Double(level) / 10, places: 1)
        case "hevc": Format.decimal(Double(level) / 30, places: 1)
        default: String(level)
        }
    }
}
