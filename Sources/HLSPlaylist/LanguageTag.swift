import Foundation

/// RFC 5646 (BCP 47) language tags, as `EXT-X-MEDIA` `LANGUAGE` and
/// `ASSOC-LANGUAGE` carry them: syntax checks, the shortest form of what media
/// containers write, and English names for rendition `NAME`s.
///
/// The ISO 639 data is a table generated from Debian's iso-codes by
/// `scripts/make-language-table.py` (`LanguageTag+Table.swift`).
public enum LanguageTag {
    /// The shortest RFC 5646 tag for a language code found in a container:
    /// ISO 639-2 codes (bibliographic or terminology) become their ISO 639-1 code
    /// when there is one (`eng` → `en`, `fre` and `fra` → `fr`, `ger` → `de`), other
    /// 3-letter codes stay, in their terminology form (`haw`); well-formed tags keep
    /// their subtags with the primary one shortened the same way (`eng-US` → `en-US`)
    /// and the conventional case (`pt-br` → `pt-BR`, `zh-hant` → `zh-Hant`). An `_`
    /// separator is read as `-`.
    ///
    /// Returns `nil` for `und`, `mul`, `zxx` and `mis` (which name no language),
    /// for an empty or malformed tag, and for a primary language subtag of 4 to 8
    /// letters: well-formed, but none is registered, so `english` is not a tag.
    public static func rfc5646(fromContainerTag tag: String) -> String? {
        let text = tag.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "-")
        if let irregular = irregularTags.first(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) {
            return irregular
        }
        let subtags = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.lowercased() }
        guard let kinds = classify(subtags) else { return nil }
        guard kinds.first == .language else { return subtags.joined(separator: "-") }  // private use only
        guard subtags[0].utf8.count <= 3, !noLanguage.contains(subtags[0]) else { return nil }

        var canonical = zip(subtags, kinds).map { subtag, kind in
            switch kind {
            case .script: subtag.prefix(1).uppercased() + subtag.dropFirst()
            case .region: subtag.uppercased()
            default: subtag
            }
        }
        if let row = entry(for: canonical[0]) {
            canonical[0] = row.alpha2.isEmpty ? row.alpha3 : row.alpha2
        }
        return canonical.joined(separator: "-")
    }

    /// The English name of the tag's language (`en-US` → `English`, `fre` → `French`):
    /// the first name ISO 639-2 gives, shortened (`Spanish`, not `Spanish; Castilian`).
    /// `nil` when ``rfc5646(fromContainerTag:)`` gives `nil` (malformed, `und`…) or the
    /// primary language is not in ISO 639-2.
    public static func englishName(of tag: String) -> String? {
        guard let canonical = rfc5646(fromContainerTag: tag) else { return nil }
        let primary = canonical.prefix { $0 != "-" }
        return entry(for: String(primary))?.name
    }

    /// Whether `tag` matches the `Language-Tag` syntax of RFC 5646 §2.1 (case
    /// insensitively): a `langtag` (language with up to three extended language
    /// subtags, then optional script, region, variants, extensions and private
    /// use), a private-use tag (`x-…`), or a grandfathered tag. Whether the
    /// subtags are registered is not checked.
    public static func isWellFormed(_ tag: String) -> Bool {
        if irregularTags.contains(where: { $0.caseInsensitiveCompare(tag) == .orderedSame }) { return true }
        return classify(tag.split(separator: "-", omittingEmptySubsequences: false).map { $0.lowercased() }) != nil
    }

    // MARK: - Syntax

    /// What a subtag is, by its position and shape (RFC 5646 §2.1).
    enum SubtagKind: Equatable {
        case language, extlang, script, region, variant, singleton, extensionSubtag, privateUse
    }

    /// The irregular grandfathered tags (RFC 5646 §2.2.8), in their registered case.
    /// The regular ones (`zh-min-nan`, `art-lojban`…) already match `langtag`.
    static let irregularTags = [
        "en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux", "i-mingo",
        "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE",
    ]

    /// ISO 639-2 codes for no particular language: undetermined, multiple, no
    /// linguistic content, uncoded.
    static let noLanguage: Set<String> = ["und", "mul", "zxx", "mis"]

    /// The kind of each lowercased subtag of a `langtag` or private-use tag, or `nil`
    /// when the subtags do not form one.
    static func classify(_ subtags: [String]) -> [SubtagKind]? {
        guard let first = subtags.first,
              subtags.allSatisfy({ (1...8).contains($0.utf8.count) && $0.utf8.allSatisfy(isAlphanumeric) })
        else { return nil }
        var kinds: [SubtagKind] = []
        var index = 0
        func take(_ kind: SubtagKind, while matches: (String) -> Bool, limit: Int = .max) {
            var taken = 0
            while index < subtags.count, taken < limit, matches(subtags[index]) {
                kinds.append(kind)
                index += 1
                taken += 1
            }
        }

        if first != "x" {
            guard (2...8).contains(first.utf8.count), first.utf8.allSatisfy(isLetter) else { return nil }
            kinds.append(.language)
            index = 1
            if first.utf8.count <= 3 { take(.extlang, while: { isLetters($0, 3...3) }, limit: 3) }
            take(.script, while: { isLetters($0, 4...4) }, limit: 1)
            take(.region, while: { isLetters($0, 2...2) || ($0.utf8.count == 3 && $0.utf8.allSatisfy(isDigit)) }, limit: 1)
            take(.variant, while: isVariant)
            while index < subtags.count, subtags[index].utf8.count == 1, subtags[index] != "x" {
                kinds.append(.singleton)
                index += 1
                let start = index
                take(.extensionSubtag, while: { $0.utf8.count >= 2 })
                guard index > start else { return nil }
            }
        }
        if index < subtags.count, subtags[index] == "x" {
            kinds.append(.privateUse)
            index += 1
            let start = index
            take(.privateUse, while: { _ in true })
            guard index > start else { return nil }
        }
        return index == subtags.count ? kinds : nil
    }

    /// `5*8alphanum / (DIGIT 3alphanum)`.
    private static func isVariant(_ subtag: String) -> Bool {
        let count = subtag.utf8.count
        return (5...8).contains(count) || (count == 4 && subtag.utf8.first.map(isDigit) == true)
    }

    private static func isLetters(_ subtag: String, _ length: ClosedRange<Int>) -> Bool {
        length.contains(subtag.utf8.count) && subtag.utf8.allSatisfy(isLetter)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte)
    }

    // MARK: - ISO 639

    /// Row indices of ``iso639`` by ISO 639-1, terminology and bibliographic code.
    private static let index: [String: Int] = {
        var index: [String: Int] = [:]
        for (row, entry) in iso639.enumerated() {
            for code in [entry.alpha3, entry.bibliographic, entry.alpha2] where !code.isEmpty {
                index[code] = row
            }
        }
        return index
    }()

    /// The ISO 639-2 row of a lowercase 2- or 3-letter code.
    private static func entry(for code: String) -> (alpha3: String, bibliographic: String, alpha2: String, name: String)? {
        index[code].map { iso639[$0] }
    }
}
