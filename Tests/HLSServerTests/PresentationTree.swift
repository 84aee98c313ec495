import Foundation
import HLSPlaylist
import ReelTestSupport

/// A library with a complete presentation written by hand: an HDR video variant, three audio
/// renditions of one group (English, French marked default, an untagged one) and two WebVTT
/// subtitle renditions (French forced, its title markup that the page must escape); beside it
/// the same asset ingesting (its lock held), one whose ingest died, and a hand-made tree with
/// no manifest at all.
final class PresentationTree: Sendable {
    let scratch: TemporaryDirectory
    /// Held for the tree's life: `growing` is being ingested.
    private let lock: IngestLock?
    var library: URL { scratch.appending("library") }
    var media: URL { scratch.appending("media") }

    /// The forced French subtitles' title: markup, an ampersand and quotes.
    static let awkwardTitle = "French <b>&</b> \"forced\""

    static let videoPlaylist = """
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-TARGETDURATION:10
        #EXT-X-PLAYLIST-TYPE:EVENT
        #EXT-X-MAP:URI="init.mp4"
        #EXTINF:4.000000,
        seg-00000.m4s

        """

    static let subtitlePlaylist = """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-TARGETDURATION:4
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXTINF:4.000000,
        seg-00000.vtt
        #EXT-X-ENDLIST

        """

    init() throws {
        let scratch = try TemporaryDirectory(prefix: "presentation")
        self.scratch = scratch
        func put(_ text: String, _ relative: String) throws { try Self.write(text, scratch.appending("library/" + relative)) }
        try FileManager.default.createDirectory(at: scratch.appending("media"), withIntermediateDirectories: true)
        for (asset, state) in [("movie", "ready"), ("growing", "ingesting"), ("dead", "ingesting")] {
            try put(Self.manifest(name: asset, state: state), "\(asset)/manifest.json")
            try put("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\ncopy/index.m3u8\n", "\(asset)/master.m3u8")
            // The media playlists say nothing of the asset's state: the manifest decides.
            for rendition in ["copy", "audio-en", "audio-fr", "audio-und"] {
                try put(Self.videoPlaylist, "\(asset)/\(rendition)/index.m3u8")
            }
            for rendition in ["subs-en", "subs-fr"] {
                try put(Self.subtitlePlaylist, "\(asset)/\(rendition)/index.m3u8")
            }
        }
        // No manifest: a finished playlist, a growing one and a master, decided by their text.
        try put(Self.subtitlePlaylist.replacingOccurrences(of: "TARGETDURATION:4", with: "TARGETDURATION:8"), "hand/vod.m3u8")
        try put(Self.videoPlaylist, "hand/event.m3u8")
        try put("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\nvod.m3u8\n", "hand/master.m3u8")
        try put("not a playlist", "hand/garbage.m3u8")
        lock = try IngestLock.acquire(inAssetDirectory: scratch.appending("library/growing").path)
    }

    func write(_ text: String, _ relative: String) throws {
        try Self.write(text, scratch.appending(relative))
    }

    private static func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The manifest as the segmenter writes it for a two-language, subtitled HDR input.
    static func manifest(name: String, state: String) -> String {
        let title = awkwardTitle.replacingOccurrences(of: "\"", with: "\\\"")
        return """
            {"name":"\(name)","state":"\(state)","source":{"path":"\(name).mkv","size":1},"duration":6,"format":"fmp4",
             "segmentDuration":4,"targetDuration":4,"singleFile":false,"master":"master.m3u8","created":"2024-01-01T00:00:00Z",
             "renditions":[
              {"name":"copy","kind":"video","playlist":"copy/index.m3u8","iFramePlaylist":"copy/iframes.m3u8","bandwidth":2000,
               "averageBandwidth":1800,"codecs":["hvc1.2.4.L60.B0"],"width":320,"height":180,"frameRate":25,"segments":2,
               "videoRange":"PQ","audioGroup":"audio","subtitleGroup":"subs"},
              {"name":"audio-en","kind":"audio","playlist":"audio-en/index.m3u8","bandwidth":130000,"averageBandwidth":128000,
               "codecs":["mp4a.40.2"],"segments":2,"group":"audio","language":"en","title":"English","channels":2,"isDefault":false},
              {"name":"audio-fr","kind":"audio","playlist":"audio-fr/index.m3u8","bandwidth":33000,"averageBandwidth":32000,
               "codecs":["mp4a.40.2"],"segments":2,"group":"audio","language":"fr","title":"French","channels":1,"isDefault":true},
              {"name":"audio-und","kind":"audio","playlist":"audio-und/index.m3u8","bandwidth":50000,"averageBandwidth":48000,
               "codecs":["mp4a.40.2"],"segments":2,"group":"audio","title":"Audio 3","channels":2},
              {"name":"subs-en","kind":"subtitles","playlist":"subs-en/index.m3u8","bandwidth":0,"averageBandwidth":0,
               "codecs":["wvtt"],"segments":2,"group":"subs","language":"en","title":"English","isDefault":false,"forced":false},
              {"name":"subs-fr","kind":"subtitles","playlist":"subs-fr/index.m3u8","bandwidth":0,"averageBandwidth":0,
               "codecs":["wvtt"],"segments":2,"group":"subs","language":"fr","title":"\(title)","forced":true}
             ]}
            """
    }
}
