/// Which names in a watch folder are candidates for ingest.
enum WatchedName {
    /// Where files that failed to ingest are moved, inside the watched directory.
    static let failedFolder = "failed"

    /// Names browsers and download tools give a file while it is still arriving.
    static let partialSuffixes = [".part", ".crdownload", ".tmp", ".download"]

    /// False for dotfiles (hidden, or a tool's temporary file), the `failed` folder and
    /// partial downloads; whether the name is a regular file is checked separately.
    static func isCandidate(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("."), name != failedFolder, !name.contains("/") else { return false }
        let lowercased = name.lowercased()
        return !partialSuffixes.contains { lowercased.hasSuffix($0) }
    }
}
