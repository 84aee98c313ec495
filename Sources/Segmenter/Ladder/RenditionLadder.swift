/// What `--renditions` asks for: `copy` (stream copy), a ladder of heights (`1080p,720p,480p`),
/// or both (`copy,720p,360p`, the original leading as the top rung).
///
/// Pure: parsing and planning only; ``IngestPipeline`` does the work.
public struct RenditionLadder: Sendable, Hashable, CustomStringConvertible {
    /// Keep the input's video as it is, as a rendition named `copy`.
    public var includesCopy: Bool
    /// Transcoded rungs, by height in pixels, tallest first, no duplicates.
    public var heights: [Int]

    /// Stream copy only: `--renditions copy`, the default.
    public static let copy = RenditionLadder(includesCopy: true, heights: [])

    public init(includesCopy: Bool, heights: [Int]) {
        self.includesCopy = includesCopy
        self.heights = heights
    }

    /// True when anything is transcoded.
    public var transcodes: Bool { !heights.isEmpty }

    /// The directory and rendition name of a rung `height` pixels tall, e.g. `720p`.
    public static func name(ofHeight height: Int) -> String { "\(height)p" }

    public var description: String {
        ((includesCopy ? ["copy"] : []) + heights.map(Self.name(ofHeight:))).joined(separator: ",")
    }

    /// Why a `--renditions` value is refused.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case unknownRung(String)
        case duplicate(String)
        case copyNotFirst

        public var description: String {
            switch self {
            case .empty: "--renditions needs at least one rendition (copy or a height such as 720p)"
            case .unknownRung(let rung): "--renditions: '\(rung)' is neither copy nor a height such as 720p (16p to 4320p)"
            case .duplicate(let rung): "--renditions: '\(rung)' is listed twice"
            case .copyNotFirst: "--renditions: copy may only lead the ladder (copy,720p,360p)"
            }
        }
    }

    /// Parses `copy`, `1080p,720p`, `copy,720p,360p`: comma-separated, any order of heights
    /// (they are sorted tallest first), `copy` only in front.
    public init(parsing text: String) throws(ParseError) {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        guard !(items.count == 1 && items[0].isEmpty) else { throw .empty }
        var includesCopy = false
        var heights: [Int] = []
        for (position, item) in items.enumerated() {
            if item.lowercased() == "copy" {
                guard !includesCopy else { throw .duplicate(item) }
                guard position == 0 else { throw .copyNotFirst }
                includesCopy = true
                continue
            }
            guard let height = Self.height(item) else { throw .unknownRung(item) }
            guard !heights.contains(height) else { throw .duplicate(item) }
            heights.append(height)
        }
        self.init(includesCopy: includesCopy, heights: heights.sorted(by: >))
    }

    /// `720p` → 720; nil for anything else. Heights are even (4:2:0 chroma) and at most 8K.
    static func height(_ item: String) -> Int? {
        guard item.count >= 2, item.last == "p" || item.last == "P",
              let height = Int(item.dropLast()), item.dropLast().allSatisfy(\.isASCIIDigit),
              (16...4320).contains(height), height % 2 == 0 else { return nil }
        return height
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
