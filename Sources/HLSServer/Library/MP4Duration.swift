import ISOBMFF

/// The duration an MP4 or QuickTime file declares in its movie header (`moov/mvhd`, ISO/IEC
/// 14496-12 §8.2.2), for the page's list of source files.
///
/// The HTTP layer never calls FFmpeg, and it need not: walking the box headers to `mvhd`
/// (``BoxWalker``) takes a handful of small reads, wherever `moov` sits in the file. Other
/// containers (Matroska, WebM, TS) have no such header; their duration stays unknown on the page.
enum MP4Duration {
    /// Extensions of the ISO base media file format family.
    static let extensions: Set<String> = ["mp4", "m4v", "m4a", "mov"]

    /// At most this many boxes are looked at on one level: a malformed file costs little.
    private static let boxLimit = 256

    /// Seconds, or nil when the file has no readable movie header or declares no duration.
    /// Blocking.
    static func read(_ file: OpenedFile) -> Double? {
        guard let movie = payload(of: "moov", in: 0..<file.size, file: file),
              let header = payload(of: "mvhd", in: movie, file: file),
              let bytes = read(file, at: header.lowerBound, count: 32) else { return nil }
        // Version 0 has 32-bit times and duration, version 1 64-bit ones.
        let isVersion1 = bytes[0] == 1
        let timescale = integer(bytes, at: isVersion1 ? 20 : 12, size: 4)
        var duration = integer(bytes, at: isVersion1 ? 24 : 16, size: isVersion1 ? 8 : 4)
        // A fragmented file may leave mvhd's duration zero (or all ones, "unknown") and give
        // the whole presentation's in mvex/mehd instead.
        if duration == 0 || duration == (isVersion1 ? UInt64.max : UInt64(UInt32.max)) {
            duration = fragmentedDuration(movie: movie, file: file) ?? 0
        }
        guard timescale > 0, duration > 0 else { return nil }
        return Double(duration) / Double(timescale)
    }

    private static func fragmentedDuration(movie: Range<Int64>, file: OpenedFile) -> UInt64? {
        guard let extends = payload(of: "mvex", in: movie, file: file),
              let header = payload(of: "mehd", in: extends, file: file),
              let bytes = read(file, at: header.lowerBound, count: 12) else { return nil }
        return bytes[0] == 1 ? integer(bytes, at: 4, size: 8) : integer(bytes, at: 4, size: 4)
    }

    /// The payload of the first box of `type` among the boxes that fill `range`.
    private static func payload(of type: BoxType, in range: Range<Int64>, file: OpenedFile) -> Range<Int64>? {
        BoxWalker.first(type, in: range, limit: boxLimit) { offset, count in read(file, at: offset, count: count) ?? [] }?.payload
    }

    /// Up to `count` bytes at `offset`; nil when fewer than 8 could be read.
    private static func read(_ file: OpenedFile, at offset: Int64, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { (try? file.read(into: $0, at: offset)) ?? 0 }
        return read >= 8 ? Array(bytes.prefix(read)) : nil
    }

    /// A big-endian unsigned integer of `size` bytes at `offset` (0 when out of bounds).
    private static func integer(_ bytes: [UInt8], at offset: Int, size: Int) -> UInt64 {
        guard offset + size <= bytes.count else { return 0 }
        return bytes[offset..<(offset + size)].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
