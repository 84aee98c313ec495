import Foundation
import HLSPlaylist
import ReelTestSupport

/// A library and a media folder on disk with known bytes and fixed modification times, for
/// black-box HTTP tests.
final class ServedTree: Sendable {
    let scratch: TemporaryDirectory
    /// Held for the tree's life: the `live` asset is being ingested (by the test).
    private let liveLock: IngestLock?
    var library: URL { scratch.appending("library") }
    var media: URL { scratch.appending("media") }

    /// 1000 bytes, byte i = i % 251: ranges are easy to check.
    static let segmentBytes = Data((0..<1000).map { UInt8($0 % 251) })
    /// 5000 bytes of a different pattern.
    static let movieBytes = Data((0..<5000).map { UInt8(($0 * 7) % 256) })
    /// 2024-01-01T00:00:00Z: every file's mtime, so date conditions are deterministic.
    static let modified = Date(timeIntervalSince1970: 1_704_067_200)
    static let lastModified = "Mon, 01 Jan 2024 00:00:00 GMT"

    static let vodPlaylist = """
        #EXTM3U
        #EXT-X-VERSION:6
        #EXT-X-TARGETDURATION:6
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXT-X-MAP:URI="init.mp4"
        #EXTINF:6.000000,
        seg-00000.m4s
        #EXT-X-ENDLIST

        """

    static let eventPlaylist = """
        #EXTM3U
        #EXT-X-VERSION:6
        #EXT-X-TARGETDURATION:6
        #EXT-X-PLAYLIST-TYPE:EVENT
        #EXT-X-MAP:URI="init.mp4"
        #EXTINF:6.000000,
        seg-00000.m4s

        """

    init() throws {
        scratch = try TemporaryDirectory(prefix: "served")
        let live = scratch.appending("library/live")
        try FileManager.default.createDirectory(at: live, withIntermediateDirectories: true)
        liveLock = try IngestLock.acquire(inAssetDirectory: live.path)
        try write(Self.manifest(name: "clip", state: "ready"), "library/clip/manifest.json")
        try write("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS=\"avc1.64001e\"\ncopy/index.m3u8\n", "library/clip/master.m3u8")
        try write(Self.vodPlaylist, "library/clip/copy/index.m3u8")
        try write(Data([0, 0, 0, 8] + Array("ftyp".utf8)), "library/clip/copy/init.mp4")
        try write(Self.segmentBytes, "library/clip/copy/seg-00000.m4s")
        try write(Self.manifest(name: "live", state: "ingesting"), "library/live/manifest.json")
        try write("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS=\"avc1.64001e\"\ncopy/index.m3u8\n", "library/live/master.m3u8")
        try write(Self.eventPlaylist, "library/live/copy/index.m3u8")
        try write("secret", "library/.hidden")
        try write("secret", "library/clip/.staging")
        try write(Self.movieBytes, "media/movie.mp4")
        try write(Self.movieBytes, "media/sub dir/clip.webm")
        try write("secret", "media/.hidden.mp4")
        try write("outside", "outside.txt")
        try FileManager.default.createSymbolicLink(atPath: media.appendingPathComponent("escape.mp4").path, withDestinationPath: scratch.appending("outside.txt").path)
        try FileManager.default.createSymbolicLink(atPath: media.appendingPathComponent("escape-relative.mp4").path, withDestinationPath: "../outside.txt")
        try FileManager.default.createSymbolicLink(atPath: media.appendingPathComponent("alias.mp4").path, withDestinationPath: "movie.mp4")
        for path in ["library/clip/manifest.json", "library/clip/master.m3u8", "library/clip/copy/index.m3u8", "library/clip/copy/init.mp4",
                     "library/clip/copy/seg-00000.m4s", "library/live/copy/index.m3u8", "library/live/master.m3u8", "media/movie.mp4"] {
            try FileManager.default.setAttributes([.modificationDate: Self.modified], ofItemAtPath: scratch.appending(path).path)
        }
    }

    private func write(_ text: String, _ relative: String) throws { try write(Data(text.utf8), relative) }

    private func write(_ data: Data, _ relative: String) throws {
        let url = scratch.appending(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    static func manifest(name: String, state: String) -> String {
        """
        {"name":"\(name)","state":"\(state)","source":{"path":"\(name).mp4","size":1},"duration":6,"format":"fmp4",
         "segmentDuration":6,"singleFile":false,"master":"master.m3u8","created":"2024-01-01T00:00:00Z",
         "renditions":[{"name":"copy","playlist":"copy/index.m3u8","iFramePlaylist":"copy/iframes.m3u8","bandwidth":1000,
           "averageBandwidth":900,"codecs":["avc1.64001e","mp4a.40.2"],"width":640,"height":360,"frameRate":25,"segments":1}]}
        """
    }
}
