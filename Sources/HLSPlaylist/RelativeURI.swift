import Foundation

/// Resolves a URI found in a playlist to a path inside the tree being validated.
///
/// Reel publishes self-contained assets, so only relative references are
/// accepted: an absolute URL or path could point anywhere, and a `..` that
/// climbs above the root would make the asset depend on files outside it.
enum RelativeURI {
    enum Resolution: Sendable, Hashable {
        /// A normalised path relative to the root.
        case path(String)
        /// Rejected, with the reason.
        case unsafe(String)
    }

    /// Resolves `uri` against the directory of the playlist at `playlistPath`.
    /// The query and fragment are dropped and percent-escapes decoded (a file
    /// on disk is named without them), before `.` and `..` are applied.
    static func resolve(_ uri: String, relativeTo playlistPath: String) -> Resolution {
        var reference = Substring(uri)
        if let end = reference.firstIndex(where: { $0 == "?" || $0 == "#" }) { reference = reference[..<end] }
        guard !reference.isEmpty else { return .unsafe("empty URI") }
        if hasScheme(reference) { return .unsafe("absolute URL; only relative URIs are allowed") }
        if reference.hasPrefix("/") { return .unsafe("absolute path; only relative URIs are allowed") }
        let decoded = String(reference).removingPercentEncoding ?? String(reference)

        var components = directory(of: playlistPath).split(separator: "/").map(String.init)
        for component in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                guard !components.isEmpty else { return .unsafe("leaves the asset directory") }
                components.removeLast()
            default:
                components.append(String(component))
            }
        }
        guard !components.isEmpty, !decoded.hasSuffix("/") else { return .unsafe("does not name a file") }
        return .path(components.joined(separator: "/"))
    }

    /// `720p/index.m3u8` → `720p`; `master.m3u8` → ``.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// RFC 3986 scheme: a letter, then letters, digits, `+`, `-` or `.`, then `:`.
    private static func hasScheme(_ text: Substring) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let scheme = text[..<colon].utf8
        func isLetter(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        }
        guard let first = scheme.first, isLetter(first) else { return false }
        return scheme.allSatisfy { byte in
            isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }
}
