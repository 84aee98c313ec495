/// The lowest `EXT-X-VERSION` a playlist's text needs, per RFC 8216 §7 (and
/// 8216bis for `EXT-X-DEFINE` and `EXT-X-SKIP`), with the feature and line that require it.
///
/// This works on tags rather than the model so that it also sees tags the model
/// does not represent (`EXT-X-KEY`, `EXT-X-DEFINE`) and integer `EXTINF` values.
struct VersionRequirement: Sendable, Hashable {
    var version: Int
    var feature: String
    var line: Int

    /// The highest requirement in `lexer`, or `nil` when version 1 suffices.
    static func highest(in lexer: PlaylistLexer) -> VersionRequirement? {
        let iFramesOnly = lexer.lines.contains { $0.tagName == PlaylistTags.iFramesOnly }
        var best: VersionRequirement?
        func require(_ version: Int, _ feature: String, _ line: Int) {
            if version > (best?.version ?? 1) { best = VersionRequirement(version: version, feature: feature, line: line) }
        }

        for line in lexer.lines {
            guard case .tag(let name, let rawValue) = line.kind else { continue }
            let value = rawValue ?? ""
            switch name {
            case PlaylistTags.extinf:
                let duration = value.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)[0]
                if duration.contains(".") { require(3, "a floating-point EXTINF duration", line.number) }
            case PlaylistTags.byteRange:
                require(4, "EXT-X-BYTERANGE", line.number)
            case PlaylistTags.iFramesOnly:
                require(4, "EXT-X-I-FRAMES-ONLY", line.number)
            case PlaylistTags.map:
                if iFramesOnly {
                    require(5, "EXT-X-MAP in an I-frames-only playlist", line.number)
                } else {
                    require(6, "EXT-X-MAP", line.number)
                }
            case PlaylistTags.key, PlaylistTags.sessionKey:
                guard let attributes = try? AttributeList(parsing: value) else { continue }
                if attributes.contains("IV") { require(2, "the IV attribute of \(name)", line.number) }
                if attributes["METHOD"]?.text.hasPrefix("SAMPLE-AES") == true {
                    require(5, "METHOD=SAMPLE-AES", line.number)
                }
                if attributes.contains("KEYFORMAT") || attributes.contains("KEYFORMATVERSIONS") {
                    require(5, "KEYFORMAT or KEYFORMATVERSIONS", line.number)
                }
            case PlaylistTags.media:
                guard let attributes = try? AttributeList(parsing: value) else { continue }
                if attributes["INSTREAM-ID"]?.text.hasPrefix("SERVICE") == true {
                    require(7, "INSTREAM-ID=SERVICE", line.number)
                }
            case PlaylistTags.define:
                require(8, "EXT-X-DEFINE", line.number)
            case PlaylistTags.skip:
                require(9, "EXT-X-SKIP", line.number)
            default:
                continue
            }
        }
        return best
    }
}
