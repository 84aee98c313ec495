import Foundation

/// Read access to a tree of playlists and media files, addressed by
/// `/`-separated paths relative to the tree's root (e.g. `720p/index.m3u8`).
///
/// ``PlaylistTreeValidator`` only ever passes normalised relative paths (no
/// leading `/`, no `.` or `..` components). Requirements are `async` so that a
/// source can also fetch over HTTP (`reel validate URL`).
public protocol PlaylistSource: Sendable {
    /// The whole content of the file at `path`.
    func contents(of path: String) async throws -> Data
    /// The size in bytes of the regular file at `path`, or `nil` when there is
    /// no such file (directories count as missing).
    func size(of path: String) async throws -> Int?
}

/// A ``PlaylistSource`` over an in-memory dictionary of files, for tests and
/// for validating playlists before they are written.
public struct InMemoryPlaylistSource: PlaylistSource {
    /// Thrown when a path is not in ``files``.
    public struct FileNotFound: Error, Sendable, Hashable {
        /// The path that was asked for.
        public var path: String
    }

    /// File contents by relative path.
    public var files: [String: Data]

    /// Creates a source holding `files`.
    public init(files: [String: Data] = [:]) {
        self.files = files
    }

    /// Creates a source from text files (encoded as UTF-8).
    public init(textFiles: [String: String]) {
        self.files = textFiles.mapValues { Data($0.utf8) }
    }

    /// The contents of `path`, or ``FileNotFound``.
    public func contents(of path: String) async throws -> Data {
        guard let data = files[path] else { throw FileNotFound(path: path) }
        return data
    }

    /// The size of `path`, or `nil` when absent.
    public func size(of path: String) async throws -> Int? {
        files[path]?.count
    }
}
