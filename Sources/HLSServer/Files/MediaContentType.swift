/// The Content-Type Reel sends for a file, by extension (SPEC: HTTP surface).
public enum MediaContentType {
    private static let byExtension: [String: String] = [
        "m3u8": "application/vnd.apple.mpegurl",
        "ts": "video/mp2t",
        "m4s": "video/iso.segment",
        "mp4": "video/mp4",
        "m4v": "video/mp4",
        "m4a": "audio/mp4",
        "vtt": "text/vtt",
        "mov": "video/quicktime",
        "mkv": "video/x-matroska",
        "webm": "video/webm",
        "json": "application/json",
        // AES-128 keys of encrypted assets: 16 raw bytes.
        "key": "application/octet-stream",
        "html": "text/html; charset=utf-8",
    ]

    /// The type for `path`'s extension (case-insensitive); `application/octet-stream` when unknown.
    public static func forPath(_ path: Substring) -> String {
        let bytes = path.utf8
        let nameStart = bytes.lastIndex(of: UInt8(ascii: "/")).map(bytes.index(after:)) ?? bytes.startIndex
        guard let dot = bytes[nameStart...].lastIndex(of: UInt8(ascii: ".")), dot != nameStart else { return "application/octet-stream" }
        let suffix = Substring(path.utf8[bytes.index(after: dot)...])
        let hasUppercase = suffix.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        return byExtension[hasUppercase ? suffix.lowercased() : String(suffix)] ?? "application/octet-stream"
    }
}
