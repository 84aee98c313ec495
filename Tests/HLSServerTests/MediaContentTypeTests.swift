import HLSServer
import Testing

@Suite("Content-Type by extension (SPEC)")
struct MediaContentTypeTests {
    @Test(arguments: [
        ("master.m3u8", "application/vnd.apple.mpegurl"),
        ("copy/seg-00001.ts", "video/mp2t"),
        ("copy/seg-00001.m4s", "video/iso.segment"),
        ("copy/init.mp4", "video/mp4"),
        ("song.m4a", "audio/mp4"),
        ("subs.vtt", "text/vtt"),
        ("clip.mov", "video/quicktime"),
        ("clip.mkv", "video/x-matroska"),
        ("clip.webm", "video/webm"),
        ("CLIP.MP4", "video/mp4"),
    ])
    func knownExtensions(path: String, expected: String) {
        #expect(MediaContentType.forPath(Substring(path)) == expected)
    }

    @Test(arguments: ["README", "archive.tar.gz", ".hidden", "dir.m3u8/file", "trailing."])
    func unknownIsOctetStream(path: String) {
        #expect(MediaContentType.forPath(Substring(path)) == "application/octet-stream")
    }
}
