import Testing
import HLSPlaylist

@Suite("RFC 5646 language tags")
struct LanguageTagTests {
    @Test("container codes become the shortest tag", arguments: [
        ("eng", "en"), ("fra", "fr"), ("fre", "fr"), ("ger", "de"), ("deu", "de"), ("chi", "zh"), ("zho", "zh"),
        ("jpn", "ja"), ("spa", "es"), ("dut", "nl"), ("gre", "el"), ("ENG", "en"), (" eng ", "en"),
        ("haw", "haw"), ("yue", "yue"), ("en", "en"), ("FR", "fr"), ("sv", "sv"),
        ("en-US", "en-US"), ("en-us", "en-US"), ("eng-US", "en-US"), ("pt-BR", "pt-BR"), ("pt_br", "pt-BR"),
        ("zh-hant", "zh-Hant"), ("chi-hant-tw", "zh-Hant-TW"), ("es-419", "es-419"), ("sr-Latn-RS", "sr-Latn-RS"),
        ("de-CH-1996", "de-CH-1996"), ("en-a-BBB-x-Private", "en-a-bbb-x-private"), ("x-Klingon", "x-klingon"),
        ("i-KLINGON", "i-klingon"), ("EN-gb-OED", "en-GB-oed"), ("zh-min-nan", "zh-min-nan"),
    ])
    func containerTags(input: String, expected: String) {
        #expect(LanguageTag.rfc5646(fromContainerTag: input) == expected)
    }

    @Test("no language, empty or malformed gives nil", arguments: [
        "und", "mul", "zxx", "mis", "UND", "und-US", "", " ", "e", "english", "abcd-US", "en--US", "en-", "-en", "en-US-",
        "en_", "12", "e1", "en-a", "en-x", "x", "en-Latn-Latn", "fr-FR-a-", "ça", "en US",
    ])
    func noTag(input: String) {
        #expect(LanguageTag.rfc5646(fromContainerTag: input) == nil)
    }

    @Test("English names", arguments: [
        ("en", "English"), ("eng", "English"), ("en-GB", "English"), ("fr", "French"), ("fre", "French"),
        ("de", "German"), ("ger", "German"), ("es", "Spanish"), ("nl", "Dutch"), ("zh-Hant", "Chinese"),
        ("ja", "Japanese"), ("el", "Greek"), ("nb", "Norwegian Bokmål"), ("nr", "South Ndebele"),
        ("haw", "Hawaiian"), ("ca", "Catalan"), ("ro", "Romanian"),
    ])
    func englishNames(tag: String, name: String) {
        #expect(LanguageTag.englishName(of: tag) == name)
    }

    @Test("no English name", arguments: ["und", "x-klingon", "i-klingon", "qaa", "abcd", "en--", ""])
    func noEnglishName(tag: String) {
        #expect(LanguageTag.englishName(of: tag) == nil)
    }

    @Test("RFC 5646 §2.1 syntax", arguments: [
        // Simple language, extended language, script, region, variants, extensions, private use.
        ("de", true), ("haw", true), ("zh-yue", true), ("zh-yue-HK", true), ("zh-Hans", true), ("sr-Cyrl", true),
        ("sr-Latn-RS", true), ("es-419", true), ("sl-rozaj", true), ("sl-rozaj-biske", true), ("sl-IT-nedis", true),
        ("hy-Latn-IT-arevela", true), ("de-CH-1901", true), ("de-DE-u-co-phonebk", true), ("en-US-u-islamcal", true),
        ("zh-CN-a-myext-x-private", true), ("en-a-myext-b-another", true), ("x-whatever", true), ("qaa-Qaaa-QM-x-southern", true),
        ("de-Qaaa", true), ("sr-Latn-QM", true), ("en-GB-oed", true), ("i-klingon", true), ("SGN-be-fr", true),
        ("art-lojban", true), ("zh-min-nan", true), ("abcdefgh", true), ("en-x-a-b-c", true),
        // Malformed: the examples of RFC 5646 Appendix A and more.
        ("de-419-DE", false), ("a-DE", false), ("ar-a-aaa-b-bbb-a-ccc", true), ("", false), ("en-", false),
        ("-en", false), ("en--US", false), ("abcdefghi", false), ("en-abcdefghi", false), ("x", false),
        ("en-x", false), ("en-a", false), ("en-a-x-y", false), ("en-US-US", false), ("zh-a-b-c-d", false),
        ("1en", false), ("en-Latn-US-Latn", false), ("en-abc-def-ghi-jkl", false), ("abcd-abc", false),
        ("en_US", false), ("en US", false), ("é", false), ("i-notgrandfathered", false),
    ])
    func wellFormed(tag: String, expected: Bool) {
        #expect(LanguageTag.isWellFormed(tag) == expected)
    }

    @Test("every tag rfc5646(fromContainerTag:) returns is well-formed and maps to itself", arguments: [
        "eng", "fre", "chi-hant-tw", "pt_br", "x-Klingon", "i-KLINGON", "de-CH-1996", "en-a-BBB-x-Private", "haw",
    ])
    func roundTrip(input: String) throws {
        let tag = try #require(LanguageTag.rfc5646(fromContainerTag: input))
        #expect(LanguageTag.isWellFormed(tag))
        #expect(LanguageTag.rfc5646(fromContainerTag: tag) == tag)
    }
}
