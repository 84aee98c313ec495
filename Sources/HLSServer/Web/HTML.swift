import Foundation

/// Text made safe for the page: everything that comes from the library (asset names, media
/// paths) passes through here before it reaches HTML.
enum HTML {
    /// `text` as HTML character data or a double- or single-quoted attribute value.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// `text` as one URL query value or path segment: everything but RFC 3986's unreserved
    /// characters percent-encoded (`/`, `&`, `=`, `+` and spaces included), as JavaScript's
    /// `encodeURIComponent` nearly does, so the page's links and the script's agree.
    static func percentEncoded(_ text: some StringProtocol) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlUnreservedCharacters) ?? String(text)
    }
}

extension CharacterSet {
    /// RFC 3986 unreserved characters.
    static let urlUnreservedCharacters = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    /// RFC 3986 unreserved characters and `/`: a path, its segments' separators kept.
    static let urlUnreservedCharactersAndSlash = urlUnreservedCharacters.union(CharacterSet(charactersIn: "/"))
}
