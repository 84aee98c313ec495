import Foundation

/// A source file under the media root, listed on the page for direct playback.
struct MediaFile: Sendable, Equatable {
    /// Path below the media root, `/`-separated.
    var path: String
    var size: Int64

    /// Playable files below `root`, depth-first, skipping dotfiles; at most `limit`. Blocking.
    static func list(in root: ServedRoot, limit: Int = 500) -> [MediaFile] {
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
            let relative = url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count).drop { $0 == "/" }
            files.append(MediaFile(path: String(relative), size: Int64(values.fileSize ?? 0)))
        }
        return files.sorted { $0.path < $1.path }
    }
}
