/// The text work around libavcodec's `webvtt` encoder, which turns an ASS event into a cue
/// payload but copies the event's words verbatim (FFmpeg 5.1, `webvttenc.c`): `&`, `<` and `>`
/// come out unescaped, "-->" survives, ASS escapes (`\h`, `\{`, `\}`) keep their backslash,
/// and `\N\N` gives a blank line, which would end the cue.
///
/// So the words are escaped before encoding (`escapingText(ofDialog:)`), where words and
/// override blocks are still told apart, and the encoder's output is tidied after (`tidy`).
enum WebVTTCueText {
    /// An ASS event as decoders give it (`ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,
    /// Effect,Text`) with its Text field's words escaped for WebVTT: `&` `<` `>` as `&amp;`
    /// `&lt;` `&gt;`, `\h` as a no-break space, `\{` and `\}` as braces.
    ///
    /// Override blocks (`{\i1}`) and line breaks (`\N`, `\n`) are left for the encoder. The
    /// event is read the way libavcodec's ASS splitter reads it, so that what is escaped here is
    /// exactly what the encoder copies as words: a `{` followed by a backslash opens a block up
    /// to the next `}`, and only then.
    static func escapingText(ofDialog dialog: String) -> String {
        // Text is the ninth field and the last: it may itself hold commas.
        var fieldStart = dialog.startIndex
        for _ in 0..<8 {
            guard let comma = dialog[fieldStart...].firstIndex(of: ",") else { return dialog }
            fieldStart = dialog.index(after: comma)
        }
        return String(dialog[..<fieldStart]) + escaping(text: Array(dialog[fieldStart...].unicodeScalars))
    }

    /// The Text field `scalars` with its words escaped (see `escapingText(ofDialog:)`).
    private static func escaping(text scalars: [Unicode.Scalar]) -> String {
        var result = String.UnicodeScalarView()
        var index = 0
        func next(_ offset: Int) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }
        while index < scalars.count {
            let scalar = scalars[index]
            switch (scalar, next(1), next(2)) {
            case ("\\", "N"?, _), ("\\", "n"?, _):
                result.append(contentsOf: scalars[index...index + 1])
                index += 2
            case ("{", "\\"?, _):
                let close = scalars[index...].firstIndex(of: "}") ?? scalars.count - 1
                result.append(contentsOf: scalars[index...close])
                index = close + 1
            case ("\\", "h"?, _):
                result.append("\u{A0}")
                index += 2
            case ("\\", "{"?, let after) where after != "\\":
                // Unescaped, this brace must not open a block: it is not followed by a backslash.
                result.append("{")
                index += 2
            case ("\\", "}"?, _):
                result.append("}")
                index += 2
            default:
                result.append(contentsOf: escaped(scalar).unicodeScalars)
                index += 1
            }
        }
        return String(result)
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        default: String(scalar)
        }
    }

    /// The encoder's output as a cue payload: line breaks as "\n" (a CR, alone or before a LF,
    /// ends a line in WebVTT too), blank and space-only lines removed. Empty when nothing but
    /// tags and spaces is left (`<i></i>`): such a cue would show nothing.
    static func tidy(_ encoded: String) -> String {
        let payload = encoded.unicodeScalars
            .split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r" }
            .map { String(String.UnicodeScalarView($0)) }
            .filter { !isBlank($0) }
            .joined(separator: "\n")
        return isBlank(payload, ignoringTags: true) ? "" : payload
    }

    /// Whether `text` holds only spaces, tabs and line breaks, and tags when `ignoringTags`.
    /// Every `<` in an escaped payload opens a tag: the words' own are `&lt;`.
    private static func isBlank(_ text: String, ignoringTags: Bool = false) -> Bool {
        var inTag = false
        for scalar in text.unicodeScalars {
            if ignoringTags, scalar == "<" { inTag = true }
            if inTag {
                if scalar == ">" { inTag = false }
                continue
            }
            if !" \t\n".unicodeScalars.contains(scalar) { return false }
        }
        return true
    }
}
