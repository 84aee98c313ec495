import Foundation

extension PlaylistTreeValidator {
    /// Validates a playlist tree on disk, for `reel validate PATH`.
    ///
    /// `path` may be an asset directory (its `master.m3u8`, else `index.m3u8`, is
    /// used and the directory is the root), or a multivariant or media playlist
    /// file (its directory is the root, so a media playlist's URIs may not climb
    /// above it). Violations name files as `path`-relative paths joined to what
    /// was passed, e.g. `library/clip/720p/index.m3u8:12`.
    public static func validate(fileSystemPath path: String) async -> [PlaylistViolation] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return [PlaylistViolation(rule: .missingFile, file: path, line: nil, message: "no such file or directory")]
        }
        let url = URL(fileURLWithPath: path)
        let root: URL
        let entry: String
        var prefix: String
        if isDirectory.boolValue {
            root = url
            entry = ""
            prefix = path
        } else {
            root = url.deletingLastPathComponent()
            entry = url.lastPathComponent
            prefix = (path as NSString).deletingLastPathComponent
        }
        while prefix.count > 1, prefix.hasSuffix("/") { prefix.removeLast() }

        let violations = await PlaylistTreeValidator(source: FileSystemPlaylistSource(root: root)).validate(entry: entry)
        return violations.map { violation in
            var violation = violation
            if violation.file.isEmpty || violation.file == "." {
                violation.file = prefix.isEmpty ? "." : prefix
            } else if !prefix.isEmpty {
                violation.file = prefix.hasSuffix("/") ? prefix + violation.file : "\(prefix)/\(violation.file)"
            }
            return violation
        }
    }
}
