import Foundation
import ReelTestSupport
import Testing
@testable import Segmenter

@Suite("Subtitle sidecars")
struct SubtitleSidecarTests {
    /// A directory holding `names` as small files.
    private func directory(with names: [String]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "reel-sidecars")
        for name in names {
            try Data("x".utf8).write(to: directory.appending(name))
        }
        return directory
    }

    @Test func findsEveryFormOfNameInOrder() throws {
        let directory = try directory(with: [
            "clip.mp4", "clip.vtt", "clip.pt-BR.srt", "clip.FR.vtt", "clip.eng.SRT", "clip.en.srt", "clip.srt",
            // Not sidecars of clip.mp4:
            "Clip.srt", "clip.en.forced.srt", "clip.english.srt", "clip.e.srt", "clip.en-419.srt", "clip.en-US-x.srt",
            "clip.srt.vtt", "clip.mp4.srt", "clip.txt", "clipx.srt", "clip..srt", "clip.en.ass", "other.en.srt",
        ])
        let dir = directory.path
        let found = SubtitleSidecar.find(besideInput: dir + "/clip.mp4")
        #expect(found == [
            SubtitleSidecar(path: dir + "/clip.srt", language: nil, format: .srt),
            SubtitleSidecar(path: dir + "/clip.vtt", language: nil, format: .vtt),
            SubtitleSidecar(path: dir + "/clip.en.srt", language: "en", format: .srt),
            SubtitleSidecar(path: dir + "/clip.eng.SRT", language: "eng", format: .srt),
            SubtitleSidecar(path: dir + "/clip.FR.vtt", language: "fr", format: .vtt),
            SubtitleSidecar(path: dir + "/clip.pt-BR.srt", language: "pt-BR", format: .srt),
        ])
    }

    @Test func srtBeforeVttForOneLanguage() throws {
        let directory = try directory(with: ["talk.mkv", "talk.de.vtt", "talk.de.srt", "talk.DE.srt"])
        let found = SubtitleSidecar.find(besideInput: directory.path + "/talk.mkv")
        #expect(found.map(\.path) == ["talk.DE.srt", "talk.de.srt", "talk.de.vtt"].map { directory.path + "/" + $0 })
        #expect(found.map(\.language) == ["de", "de", "de"])
    }

    @Test func nameIsTheInputWithoutItsLastExtension() throws {
        let directory = try directory(with: ["movie.final.mkv", "movie.final.en.srt", "movie.en.srt", "movie.final.srt", "bare", "bare.srt", "bare.it.vtt"])
        #expect(SubtitleSidecar.find(besideInput: directory.path + "/movie.final.mkv").map(\.language) == [nil, "en"])
        #expect(SubtitleSidecar.find(besideInput: directory.path + "/bare").map(\.language) == [nil, "it"])
        #expect(SubtitleSidecar.baseName(of: "clip.final.mp4") == "clip.final")
        #expect(SubtitleSidecar.baseName(of: "clip") == "clip")
        #expect(SubtitleSidecar.baseName(of: ".clip") == ".clip")
    }

    @Test func pathKeepsTheInputsDirectoryAsWritten() throws {
        let directory = try directory(with: ["clip.mp4", "clip.srt"])
        let input = directory.path + "/./clip.mp4"
        #expect(SubtitleSidecar.find(besideInput: input).map(\.path) == [directory.path + "/./clip.srt"])
    }

    @Test func onlyRegularFilesAndLinksToThem() throws {
        let directory = try directory(with: ["clip.mp4", "clip.srt"])
        let files = FileManager.default
        try files.createDirectory(at: directory.appending("clip.de.srt"), withIntermediateDirectories: false)
        try files.createSymbolicLink(atPath: directory.appending("clip.es.vtt").path, withDestinationPath: "clip.srt")
        try files.createSymbolicLink(atPath: directory.appending("clip.it.srt").path, withDestinationPath: "missing.srt")
        #expect(SubtitleSidecar.find(besideInput: directory.path + "/clip.mp4").map(\.language) == [nil, "es"])
    }

    @Test func theInputItselfIsNeverItsOwnSidecar() throws {
        let directory = try directory(with: ["clip.srt", "clip.en.srt"])
        #expect(SubtitleSidecar.find(besideInput: directory.path + "/clip.srt").map(\.language) == ["en"])
    }

    @Test func nothingForStandardInputOrAMissingDirectory() {
        #expect(SubtitleSidecar.find(besideInput: "-").isEmpty)
        #expect(SubtitleSidecar.find(besideInput: "").isEmpty)
        #expect(SubtitleSidecar.find(besideInput: "/nonexistent-reel-directory/clip.mp4").isEmpty)
        #expect(SubtitleSidecar.find(besideInput: "/tmp/").isEmpty)
    }

    @Test("languages", arguments: [
        ("en", "en"), ("EN", "en"), ("fre", "fre"), ("pt-BR", "pt-BR"), ("pt-br", "pt-BR"), ("ZH-hk", "zh-HK"),
        ("e", nil), ("engl", nil), ("en-", nil), ("-en", nil), ("en-USA", nil), ("en-1", nil), ("en-US-x", nil),
        ("e1", nil), ("é", nil), ("ée", nil), ("srt", nil), ("VTT", nil), ("", nil),
    ] as [(String, String?)])
    func language(tag: String, expected: String?) {
        #expect(SubtitleSidecar.language(tag) == expected)
    }

    @Test func matchingNames() {
        #expect(SubtitleSidecar.match(fileName: "clip.srt", baseName: "clip")! == (nil, .srt))
        #expect(SubtitleSidecar.match(fileName: "clip.Vtt", baseName: "clip")! == (nil, .vtt))
        #expect(SubtitleSidecar.match(fileName: "clip.en.vtt", baseName: "clip")! == ("en", .vtt))
        #expect(SubtitleSidecar.match(fileName: "clip.en.vtt", baseName: "Clip") == nil)
        #expect(SubtitleSidecar.match(fileName: "clip.srt", baseName: "clip.srt") == nil)
        #expect(SubtitleSidecar.match(fileName: "clip.en.", baseName: "clip") == nil)
    }

    @Test func readsTheCuesOfASidecar() throws {
        let sidecar = try #require(SubtitleSidecar.find(besideInput: Fixture.path("sidecar.mp4")).first { $0.language == "fr" })
        #expect(try sidecar.cues().map(\.text) == ["Bonjour !", "Poivre &amp; sel", "Au revoir"])
    }
}
