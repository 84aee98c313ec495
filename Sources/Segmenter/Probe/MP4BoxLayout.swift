import Foundation
import ISOBMFF

/// The order of an MP4's top-level boxes, read from box headers without parsing payloads.
public enum MP4BoxLayout {
    /// Whether the `moov` box precedes the first `mdat` (a "faststart" file a browser can
    /// play before downloading it all); nil when either box is missing or the file is not ISO BMFF.
    public static func moovBeforeMdat(path: String) -> Bool? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return moovBeforeMdat { offset, count in
            try? handle.seek(toOffset: offset)
            return (try? handle.read(upToCount: count)).map { [UInt8]($0) } ?? []
        }
    }

    /// The same check over any reader of `count` bytes at `offset` (pure, for tests).
    public static func moovBeforeMdat(read: (UInt64, Int) -> [UInt8]) -> Bool? {
        // The file's length is not needed: past its end the reader returns nothing, which ends
        // the walk. A real file has a handful of top-level boxes; the walker's bound stops
        // garbage from looping.
        let first = BoxWalker.first(in: 0..<Int64.max, read: { read(UInt64($0), $1) }) { $0.type == "moov" || $0.type == "mdat" }
        return first.map { $0.type == "moov" }
    }
}
