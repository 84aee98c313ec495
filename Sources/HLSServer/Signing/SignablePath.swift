import HLSPlaylist

/// What `reel sign PATH` may sign, and the scope each path gets: an asset (any path of it,
/// `/hls/NAME`, `/hls/NAME/`, `/hls/NAME/master.m3u8`, `/hls/NAME/720p/index.m3u8`) opens
/// its whole directory, `/hls/NAME/`, since a player needs every file the master names; a
/// source file, `/media/a/b.mp4`, opens exactly that file; `/` opens everything (the page and
/// the API too). Pure.
public struct SignablePath: Sendable, Equatable {
    /// The path as a URL path, each segment percent-encoded: what `reel sign` prints before `?`.
    public var path: String
    /// The decoded scope the signature covers.
    public var scope: String

    /// Nil for anything else (a usage error): other routes, an invalid asset name, a path that
    /// ``RequestPath`` would refuse (empty segments, `..`, dotfiles, bad escapes), a directory
    /// of `/media/`. `path` is a URL path: percent-escapes in it are decoded once (a literal `%`
    /// is `%25`).
    public init?(_ path: String) {
        if path == "/" {
            self.path = "/"
            scope = "/"
            return
        }
        if path.hasPrefix("/hls/") {
            let rest = path.dropFirst("/hls/".count)
            let trailingSlash = rest.hasSuffix("/")
            guard let segments = RequestPath.segments(trailingSlash ? rest.dropLast() : rest), AssetName.isValid(segments[0]) else { return nil }
            self.path = "/hls/" + Self.encoded(segments) + (trailingSlash ? "/" : "")
            scope = "/hls/\(segments[0])/"
            return
        }
        if path.hasPrefix("/media/") {
            guard let segments = RequestPath.segments(path.dropFirst("/media/".count)) else { return nil }
            self.path = "/media/" + Self.encoded(segments)
            scope = "/media/" + segments.joined(separator: "/")
            return
        }
        return nil
    }

    /// The path with its signature's query: what `reel sign` prints.
    public func signed(expires: Int64, secret: [UInt8]) -> String {
        path + "?" + URLSignature(scope: scope, expires: expires, secret: secret).query
    }

    private static func encoded(_ segments: [String]) -> String {
        segments.map(HTML.percentEncoded).joined(separator: "/")
    }
}
