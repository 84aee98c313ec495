import Foundation

/// A source file under the media root, listed on the page and by `/api/media` for direct
/// playback.
struct MediaFile: Sendable, Equatable, Encodable {
    /// Path below the media root, `/`-separated.
    var path: String
    var size: Int64
    /// Seconds, when the file declares it (MP4 and QuickTime; see `MP4Duration`).
    var duration: Double?
    /// A signature's query the URL carries (a signed server's page and API).
    var signedQuery: String?

    /// The URL path that serves the file: each path segment percent-encoded.
    var url: String {
        let path = "/media/" + path.split(separator: "/").map(HTML.percentEncoded).joined(separator: "/")
        return signedQuery.map { path + "?" + $0 } ?? path
    }

    /// The same file, its URL carrying `signedQuery` (nil: as it is).
    func carrying(_ signedQuery: String?) -> MediaFile {
        var file = self
        file.signedQuery = signedQuery
        return file
    }

    private enum CodingKeys: String, CodingKey {
        case path, size, duration, url
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(size, forKey: .size)
        try container.encodeIfPresent(duration, forKey: .duration)
        try container.encode(url, forKey: .url)
    }

    /// Playable files below `root`, depth-first, skipping dotfiles; at most `limit`. Durations
    /// are read once per version of a file and kept in `durations`. Blocking.
    static func list(in root: ServedRoot, durations: IdentityCache<Double?>, limit: Int = 500) -> [MediaFile] {
        let extensions: Set<String> = ["mp4", "m4v", "mov", "mkv", "webm", "ts", "m4a", "mp3"]
        var files: [MediaFile] = []
        let base = URL(fileURLWithPath: root.path)
        guard let walker = FileManager.default.enumerator(
            at: base, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey], options: [.skipsHiddenFiles]
        ) else { return [] }
        for case let url as URL in walker {
            guard files.count < limit else { break }
            guard extensions.contains(url.pathExtension.lowercased()),
                  let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]),
                  values.isRegularFile == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count).drop { $0 == "/" })
            files.append(MediaFile(path: relative, size: Int64(values.fileSize ?? 0), duration: duration(of: relative, in: root, cache: durations), signedQuery: nil))
        }
        return files.sorted { $0.path < $1.path }
    }

    /// The declared duration of an MP4-family file, opened beneath the root like any served file.
    private static func duration(of path: String, in root: ServedRoot, cache: IdentityCache<Double?>) -> Double? {
        guard MP4Duration.extensions.contains((path as NSString).pathExtension.lowercased()),
              let file = root.openFile(path.split(separator: "/").map(String.init)) else { return nil }
        if let cached = cache.value(for: path, identity: file.identity) { return cached }
        let duration = MP4Duration.read(file)
        cache.store(duration, for: path, identity: file.identity)
        return duration
    }
}
