import Foundation
import HLSPlaylist
@testable import HLSServer
import Hummingbird
import HummingbirdTesting
import ReelTestSupport
import Testing

/// Multi-language audio, subtitles and HDR as `/api/assets` and the page show them.
@Suite("Complete presentations in the API and the page")
struct PresentationTests {
    static func get(_ paths: [String], tree: PresentationTree) async throws -> [String] {
        try await IndexPageTests.get(paths, library: tree.library, media: tree.media)
    }

    static func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func renditionsCarryWhatTheManifestRecords() async throws {
        let asset = try Self.object(try await Self.get(["/api/assets/movie"], tree: PresentationTree())[0])
        let renditions = try #require(asset["renditions"] as? [[String: Any]])
        #expect(renditions.map { $0["name"] as? String } == ["copy", "audio-en", "audio-fr", "audio-und", "subs-en", "subs-fr"])
        #expect(renditions.map { $0["kind"] as? String } == ["video", "audio", "audio", "audio", "subtitles", "subtitles"])
        let video = renditions[0]
        #expect(video["videoRange"] as? String == "PQ" && video["resolution"] as? String == "320x180")
        // Only what is known: a video rendition has no language, group or default flag.
        for key in ["language", "title", "channels", "default", "forced", "group"] { #expect(video[key] == nil, "\(key)") }
        let french = renditions[2]
        #expect(french["language"] as? String == "fr" && french["title"] as? String == "French")
        #expect(french["channels"] as? Int == 1 && french["default"] as? Bool == true && french["group"] as? String == "audio")
        #expect(french["playlist"] as? String == "/hls/movie/audio-fr/index.m3u8")
        #expect(renditions[3]["language"] == nil, "an untagged track has no language")
        #expect(renditions[5]["forced"] as? Bool == true && renditions[5]["title"] as? String == PresentationTree.awkwardTitle)
    }

    @Test func audioAndSubtitleLists() async throws {
        let body = try await Self.get(["/api/assets/movie"], tree: PresentationTree())[0]
        let audio = #"[{"channels":2,"default":false,"language":"en","name":"audio-en","title":"English"},"#
            + #"{"channels":1,"default":true,"language":"fr","name":"audio-fr","title":"French"},"#
            + #"{"channels":2,"default":false,"name":"audio-und","title":"Audio 3"}]"#
        #expect(body.contains(#""audio":"# + audio), "\(body)")
        let subtitles = #"[{"forced":false,"language":"en","name":"subs-en","title":"English"},"#
            + #"{"forced":true,"language":"fr","name":"subs-fr","title":"French <b>&</b> \"forced\""}]"#
        #expect(body.contains(#""subtitles":"# + subtitles), "\(body)")
    }

    @Test func anOlderManifestGivesEmptyListsAndNoNewRenditionFields() async throws {
        let tree = try ServedTree()
        let body = try await IndexPageTests.get(["/api/assets/clip"], library: tree.library, media: tree.media)[0]
        let asset = try Self.object(body)
        #expect(asset["audio"] as? [Any] != nil && (asset["audio"] as? [Any])?.isEmpty == true)
        #expect((asset["subtitles"] as? [Any])?.isEmpty == true)
        let rendition = try #require((asset["renditions"] as? [[String: Any]])?.first)
        #expect(Set(rendition.keys) == ["name", "playlist", "bandwidth", "averageBandwidth", "codecs", "resolution", "frameRate"])
    }

    @Test func theListIncludesThemToo() async throws {
        let list = try Self.object(try await Self.get(["/api/assets"], tree: PresentationTree())[0])
        let assets = try #require(list["assets"] as? [[String: Any]])
        #expect(assets.map { $0["name"] as? String } == ["dead", "growing", "movie"])
        #expect(assets.allSatisfy { ($0["audio"] as? [Any])?.count == 3 && ($0["subtitles"] as? [Any])?.count == 2 })
    }

    @Test func thePageListsLanguagesSubtitlesAndHDR() async throws {
        let page = try await Self.get(["/?asset=movie"], tree: PresentationTree())[0]
        let title = "French &lt;b&gt;&amp;&lt;/b&gt; &quot;forced&quot;"
        #expect(page.contains("<div class=\"tracks\">Audio: English, French, Audio 3 · Subtitles: English, \(title) (forced)</div>"))
        #expect(page.contains("<span class=\"format\">fMP4</span> <span class=\"format hdr\">HDR PQ</span>"))
        #expect(!page.contains("<b>&</b>"), "a title reached the page unescaped")
        // Alternate renditions are in the tracks line, not among the variants.
        #expect(page.contains("<td><span class=\"rendition\">copy <small>320x180</small></span></td>"))
        #expect(!page.contains("<span class=\"rendition\">audio-en"))
        // The player has its (hidden) choices, for the script to fill.
        #expect(page.contains("<select id=\"audio-track\" aria-labelledby=\"audio-track-label\"></select>"))
        #expect(page.contains("<select id=\"text-track\" aria-labelledby=\"text-track-label\"></select>"))
        #expect(page.contains("<p id=\"tracks-note\" class=\"note tracks-note\" hidden></p>"))
    }

    @Test func pageFormatting() throws {
        var manifest = try AssetManifest(json: Data(PresentationTree.manifest(name: "m", state: "ready").utf8))
        #expect(IndexPage.dynamicRange(of: AssetSummary(manifest: manifest)) == "HDR PQ")
        manifest.renditions[0].videoRange = "HLG"
        #expect(IndexPage.dynamicRange(of: AssetSummary(manifest: manifest)) == "HDR HLG")
        manifest.renditions[0].videoRange = "SDR"
        #expect(IndexPage.dynamicRange(of: AssetSummary(manifest: manifest)) == nil)
        // Without titles: the language tag, else the rendition's name.
        for index in manifest.renditions.indices { manifest.renditions[index].title = nil }
        manifest.renditions.removeAll { $0.kind == .subtitles }
        #expect(IndexPage.tracks(of: AssetSummary(manifest: manifest)) == "Audio: en, fr, audio-und")
        manifest.renditions.removeAll { $0.kind == .audio }
        #expect(IndexPage.tracks(of: AssetSummary(manifest: manifest)) == nil)
    }
}
