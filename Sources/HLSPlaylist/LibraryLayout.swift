/// The names inside a library (SPEC "Library layout"), in one place for the segmenter that
/// writes them and the server that reads them.
///
/// ```
/// <asset>/manifest.json, master.m3u8, .ingest.lock
/// <asset>/<rendition>/index.m3u8, iframes.m3u8, init.mp4, seg-00000.m4s | media.m4s
/// ```
public enum LibraryLayout {
    /// The asset's metadata (``AssetManifest``).
    public static let manifest = "manifest.json"
    /// The multivariant playlist, always present.
    public static let master = "master.m3u8"
    /// A rendition's media playlist.
    public static let mediaPlaylist = "index.m3u8"
    /// A video rendition's I-frame playlist.
    public static let iFramePlaylist = "iframes.m3u8"
    /// An fMP4 rendition's initialization section (`EXT-X-MAP`).
    public static let initSection = "init.mp4"
    /// The ingest's advisory lock (a dotfile: never served).
    public static var lockFile: String { IngestLock.fileName }

    // MARK: Renditions

    /// The stream-copy rendition.
    public static let copyRendition = "copy"
    /// The one audio rendition of a ladder (fMP4) whose input has a single audio track.
    public static let audioRendition = "audio"

    /// A transcoded rung: `720p`.
    public static func rendition(height: Int) -> String { "\(height)p" }

    /// One of several audio tracks: `audio-en`, `audio-und` without a language tag.
    public static func audioRendition(language: String?) -> String { "audio-" + (language ?? "und") }

    /// A WebVTT subtitle rendition: `subs-en`, `subs-und` without a language tag.
    public static func subtitleRendition(language: String?) -> String { "subs-" + (language ?? "und") }

    /// `name` made unique among `taken` with `-2`, `-3`, ... (two tracks of one language).
    public static func unique(_ name: String, among taken: Set<String>) -> String {
        guard taken.contains(name) else { return name }
        var number = 2
        while taken.contains("\(name)-\(number)") { number += 1 }
        return "\(name)-\(number)"
    }

    /// The media playlist of `rendition`, relative to the asset directory.
    public static func mediaPlaylist(of rendition: String) -> String { "\(rendition)/\(mediaPlaylist)" }

    /// The I-frame playlist of `rendition`, relative to the asset directory.
    public static func iFramePlaylist(of rendition: String) -> String { "\(rendition)/\(iFramePlaylist)" }

    // MARK: Segments

    /// Media segment `index` of a rendition: `seg-00000.m4s`, `seg-00000.ts`, `seg-00000.vtt`.
    public static func segment(_ index: Int, extension fileExtension: String) -> String {
        let digits = String(index)
        return "seg-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + "." + fileExtension
    }

    /// The one media file of a `--single-file` rendition: `media.m4s`, `media.ts`.
    public static func singleFileMedia(extension fileExtension: String) -> String { "media." + fileExtension }

    /// True for a single-file rendition's media file, which grows while its ingest runs.
    public static func isSingleFileMedia(_ name: some StringProtocol) -> Bool { name.hasPrefix("media.") }

    /// True for a playlist (media, I-frame or master), by its file name or a path ending in it.
    public static func isPlaylist(_ name: some StringProtocol) -> Bool { name.hasSuffix(".m3u8") }

    /// The extension of WebVTT subtitle segments.
    public static let subtitleSegmentExtension = "vtt"
}
