import Foundation
import Segmenter

/// The single updating progress line on stderr: percent, media time, speed and ETA.
final class ProgressLine {
    private let enabled: Bool
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func update(_ progress: IngestProgress) {
        guard enabled else { return }
        var parts: [String] = []
        if let fraction = progress.fraction { parts.append(Format.decimal(fraction * 100, places: 0) + "%") }
        var time = Self.clock(progress.mediaTime)
        if let duration = progress.duration { time += " / " + Self.clock(duration) }
        parts.append(time)
        parts.append(Format.decimal(progress.speed, places: 1) + "x")
        if let remaining = progress.remaining { parts.append("ETA " + Self.clock(remaining)) }
        parts.append("\(progress.segments) segments")
        // \r returns to the line start; ESC[K clears what a longer previous line left.
        FileHandle.standardError.write(Data(("\r" + parts.joined(separator: "  ") + "\u{1B}[K").utf8))
        drawn = true
    }

    /// Ends the line after success.
    func finish() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }

    /// Erases the line before an error message.
    func clear() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        let tenths = Int(((seconds - Double(total)) * 10).rounded(.down))
        let minutes = (total / 60) % 60
        let text = pad2(minutes) + ":" + pad2(total % 60) + ".\(tenths)"
        return total >= 3600 ? "\(total / 3600):" + text : text
    }

    private static func pad2(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }
}
