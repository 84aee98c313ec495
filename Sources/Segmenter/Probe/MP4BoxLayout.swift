import Foundation

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
        var offset: UInt64 = 0
        // A real file has a handful of top-level boxes; the bound stops garbage from looping.
        for _ in 0..<1024 {
            let header = read(offset, 16)
            guard header.count >= 8 else { return nil }
            var size = UInt64(header[0]) << 24 | UInt64(header[1]) << 16 | UInt64(header[2]) << 8 | UInt64(header[3])
            let type = String(decoding: header[4..<8], as: UTF8.self)
            // Sizes 2...7 cannot hold a box header: this is not ISO BMFF.
            if size > 1 && size < 8 { return nil }
            if type == "moov" { return true }
            if type == "mdat" { return false }
            if size == 1 {
                guard header.count >= 16 else { return nil }
                size = header[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
                guard size >= 16 else { return nil }
            } else if size == 0 {
                // size 0 means "to end of file": nothing follows it.
                return nil
            }
            offset += size
        }
        return nil
    }
}
