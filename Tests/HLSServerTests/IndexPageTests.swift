import Foundation
import HLSServer
import Hummingbird
import HummingbirdTesting
import ReelTestSupport
import Testing

/// `GET /` and `/api/media` over real HTTP: what the page lists, what it plays, and that
/// nothing from the library reaches the HTML unescaped. (The page in a browser:
/// Tests/Browser, `make test-browser`.)
@Suite("The web page")
struct IndexPageTests {
    /// A media file name that is markup, an attribute breaker and URL syntax at once.
    static let awkwardName = "<img src=x onerror=alert(1)> & \"q\" 'x' #?.mp4"

    /// GETs each path from a server over `library` and `media`; returns the bodies.
    static func get(_ paths: [String], library: URL, media: URL) async throws -> [String] {
        try await HTTPConformanceTests.makeServer(library: library, media: media).makeApplication().test(.live) { client in
            var bodies: [String] = []
            for path in paths {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path)")
                bodies.append(String(buffer: response.body))
            }
            return bodies
        }
    }

    @Test func listsAssetsAndMediaFiles() async throws {
        let tree = try ServedTree()
        let page = try await Self.get(["/"], library: tree.library, media: tree.media)[0]
        #expect(page.contains("<tr data-asset=\"clip\">"))
        #expect(page.contains("<span class=\"state state-ready\">ready</span>"))
        // The ingesting asset carries the live indicator's class.
        #expect(page.contains("<tr data-asset=\"live\">"))
        #expect(page.contains("<span class=\"state state-ingesting\">ingesting</span>"))
        #expect(page.contains("<a class=\"play\" href=\"/?asset=clip\" data-kind=\"asset\" data-key=\"clip\" data-src=\"/hls/clip/master.m3u8\">clip</a>"))
        #expect(page.contains("<span class=\"rendition\">copy <small>640x360</small></span>"))
        #expect(page.contains("<code>avc1.64001e</code> <code>mp4a.40.2</code>"))
        #expect(page.contains("<td class=\"num\">0:06</td>"))
        #expect(page.contains("<tr data-media=\"movie.mp4\">"))
        // A path below a folder, with a space: one query value, and a URL encoded per segment.
        #expect(page.contains("href=\"/?media=sub%20dir%2Fclip.webm\""))
        #expect(page.contains("data-src=\"/media/sub%20dir/clip.webm\""))
        // Dotfiles and symlinks (escaping the root or not) are not listed.
        #expect(!page.contains("hidden.mp4") && !page.contains("escape"))
        #expect(page.contains("<span id=\"summary\">2 assets · 2 media files</span>"))
        // Nothing selected: the player is there for the script, hidden.
        #expect(page.contains("<section id=\"player\" class=\"card player\" hidden>"))
        #expect(page.contains("<link rel=\"stylesheet\" href=\"/static/reel.css\">"))
        #expect(page.contains("<script src=\"/static/reel.js\" defer></script>"))
    }

    @Test func escapesNamesFromTheLibrary() async throws {
        let tree = try ServedTree()
        try Data("not a movie".utf8).write(to: tree.media.appendingPathComponent(Self.awkwardName))
        let encoded = "%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%20%26%20%22q%22%20%27x%27%20%23%3F.mp4"
        let pages = try await Self.get(["/", "/?media=" + encoded], library: tree.library, media: tree.media)
        let escaped = "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot; &#39;x&#39; #?.mp4"
        for page in pages {
            #expect(!page.contains("<img src=x"), "unescaped name in the page")
            #expect(page.contains("<tr data-media=\"\(escaped)\""))
            #expect(page.contains("href=\"/?media=\(encoded)\""))
            #expect(page.contains("data-src=\"/media/\(encoded)\""))
        }
        // Opened by its address: the player plays it, its title and URL escaped too.
        #expect(pages[1].contains("<title>\(escaped) · Reel</title>"))
        #expect(pages[1].contains("<h2 id=\"player-title\">\(escaped)</h2>"))
        #expect(pages[1].contains("src=\"/media/\(encoded)\"></video>"))
    }

    @Test func opensWithTheSelectionPlaying() async throws {
        let tree = try ServedTree()
        let pages = try await Self.get(["/?asset=clip", "/?media=sub%20dir%2Fclip.webm", "/?asset=nope", "/?media=..%2Foutside.txt"], library: tree.library, media: tree.media)
        #expect(pages[0].contains("<section id=\"player\" class=\"card player\" data-kind=\"asset\" data-key=\"clip\" data-src=\"/hls/clip/master.m3u8\">"))
        #expect(pages[0].contains("<video id=\"video\" controls autoplay muted playsinline preload=\"metadata\" src=\"/hls/clip/master.m3u8\"></video>"))
        #expect(pages[0].contains("<p id=\"player-kind\" class=\"kind\">HLS · fMP4 · ready</p>"))
        #expect(pages[0].contains("<tr data-asset=\"clip\" class=\"selected\">"))
        #expect(pages[1].contains("src=\"/media/sub%20dir/clip.webm\"></video>"))
        #expect(pages[1].contains("<label for=\"player-url\" id=\"player-url-label\">File URL</label>"))
        #expect(pages[1].contains("WEBM file · direct playback with range requests"))
        // Only what is listed can be selected.
        for page in pages[2...] {
            #expect(page.contains("<section id=\"player\" class=\"card player\" hidden>"))
            #expect(!page.contains("<video id=\"video\" controls autoplay muted playsinline preload=\"metadata\" src="))
        }
    }

    @Test func emptyLibrary() async throws {
        let scratch = try TemporaryDirectory(prefix: "empty-page")
        let (library, media) = (scratch.appending("library"), scratch.appending("media"))
        for folder in [library, media] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let bodies = try await Self.get(["/", "/api/media", "/api/assets"], library: library, media: media)
        #expect(bodies[0].contains("<p id=\"assets-empty\" class=\"empty\">No assets yet"))
        #expect(bodies[0].contains("<p id=\"media-empty\" class=\"empty\">No media files"))
        #expect(bodies[0].contains("<table id=\"assets\" hidden>") && bodies[0].contains("<table id=\"media\" hidden>"))
        #expect(!bodies[0].contains("<tr data-"))
        #expect(bodies[1] == "{\"media\":[]}")
        #expect(bodies[2] == "{\"assets\":[]}")
    }

    @Test func mediaAPIListsFilesWithDurations() async throws {
        let tree = try ServedTree()
        try FileManager.default.copyItem(at: Fixture.url("h264-aac.mp4"), to: tree.media.appendingPathComponent("sample.mp4"))
        let body = try await Self.get(["/api/media"], library: tree.library, media: tree.media)[0]
        let files = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: [[String: Any]]])["media"]
        #expect(files?.map { $0["path"] as? String } == ["movie.mp4", "sample.mp4", "sub dir/clip.webm"])
        let movie = try #require(files?.first)
        #expect(movie["size"] as? Int == 5000 && movie["url"] as? String == "/media/movie.mp4")
        #expect(movie["duration"] == nil, "not an MP4 inside: no duration")
        #expect(files?[1]["duration"] as? Double == 10)
        #expect(files?[2]["url"] as? String == "/media/sub%20dir/clip.webm")
    }
}
