/// Default video bit rates of ladder rungs, and the `--video-bitrate RUNG=KBPS` overrides.
///
/// The defaults follow Apple's HLS authoring specification (H.264, 30 fps ladder): 1080p
/// 6000 kb/s, 720p 3000, 540p 2000, 432p 1100, 360p 730, 234p 145. Other heights get the rate of
/// the table interpolated by pixel area, which is roughly how encoders' needs scale.
public enum RungBitRate {
    /// (height, kb/s), ascending.
    static let table: [(height: Int, kilobits: Int)] = [
        (144, 145), (234, 145), (240, 300), (360, 730), (432, 1_100), (480, 1_400), (540, 2_000),
        (720, 3_000), (1080, 6_000), (1440, 10_000), (2160, 16_800),
    ]

    /// The default bit rate of a rung `height` pixels tall, in bits per second.
    public static func defaultBitRate(height: Int) -> Int {
        if let exact = table.first(where: { $0.height == height }) { return exact.kilobits * 1000 }
        guard let upper = table.firstIndex(where: { $0.height > height }) else {
            // Taller than 2160p: scale 2160p's rate by area.
            let last = table[table.count - 1]
            return Int(Double(last.kilobits * 1000) * Double(height * height) / Double(last.height * last.height))
        }
        guard upper > 0 else {
            let first = table[0]
            return max(64_000, Int(Double(first.kilobits * 1000) * Double(height * height) / Double(first.height * first.height)))
        }
        let low = table[upper - 1], high = table[upper]
        // Interpolate on area (height squared): bits per pixel stay between the neighbours'.
        let position = Double(height * height - low.height * low.height) / Double(high.height * high.height - low.height * low.height)
        let kilobits = Double(low.kilobits) + position * Double(high.kilobits - low.kilobits)
        return Int((kilobits * 1000).rounded())
    }

    /// Why a `--video-bitrate` value is refused.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let value: String
        public var description: String {
            "--video-bitrate: '\(value)' is not RUNG=KBPS (e.g. 720p=2500, 16 to 200000 kb/s)"
        }
    }

    /// Parses `720p=2500` into (720, 2 500 000 b/s).
    public static func parseOverride(_ text: String) throws(ParseError) -> (height: Int, bitRate: Int) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let height = RenditionLadder.height(parts[0]),
              let kilobits = Int(parts[1]), (16...200_000).contains(kilobits) else {
            throw ParseError(value: text)
        }
        return (height, kilobits * 1000)
    }
}
