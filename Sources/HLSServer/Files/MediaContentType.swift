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
        "html": "text/html; charset=utf-8",
    ]

    /// The type for `path`'s extension (case-insensitive); `application/octet-stream` when unknown.
    public static func forPath(_ path: Substring) -> String {
        let name = path.split(separator: "/").last ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "application/octet-stream" }
        return byExtension[name[name.index(after: dot)...].lowercased()] ?? "application/octet-stream"
    }
}
