import Foundation

/// A ``PlaylistSource`` reading files under a directory on disk.
public struct FileSystemPlaylistSource: PlaylistSource {
    /// Thrown for a path that is absolute or contains `..`: the tree validator never
    /// asks for one, and refusing them keeps this source inside `root` whoever calls it.
    public struct PathOutsideRoot: Error, Sendable, Hashable, CustomStringConvertible {
        /// The rejected path.
        public var path: String
        /// Describes the error.
        public var description: String { "path \"\(path)\" is outside the root" }
    }

    /// The directory relative paths are resolved against.
    public let root: URL

    /// Creates a source reading below `root` (a directory).
    public init(root: URL) {
        self.root = root
    }

    /// Reads the file at `path`.
    public func contents(of path: String) async throws -> Data {
        try Data(contentsOf: try url(for: path))
    }

    /// The size of the regular file at `path` (following symbolic links), or `nil`
    /// when it does not exist or is not a regular file.
    public func size(of path: String) async throws -> Int? {
        let url = try url(for: path).resolvingSymlinksInPath()
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        } catch {
            return nil
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else { return nil }
        if let size = attributes[.size] as? NSNumber { return size.intValue }
        return attributes[.size] as? Int
    }

    private func url(for path: String) throws -> URL {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !path.hasPrefix("/"), !components.contains("..") else { throw PathOutsideRoot(path: path) }
        return components.reduce(root) { $0.appendingPathComponent(String($1)) }
    }
}
