/// The names inside a library (SPEC "Library layout"), in one place for the segmenter that
/// writes them and the server that reads them.
///
/// ```
/// <asset>/manifest.json, master.m3u8, .ingest.lock
/// <asset>/<rendition>/index.m3u8, iframes.m3u8, init.mp4, seg-00000.m4s | media.m4s
/// <asset>/<rendition>/init-2.mp4, seg-2-00000.m4s | media-2.m4s    (generation 2)
/// .generation-<asset>                                              (beside the assets)
/// ```
///
/// Every file served `immutable` (segments, init sections, single-file media) carries the
/// generation of the ingest that wrote it in its name, from generation 1 on (an asset's first
/// ingest is generation 0 and keeps the plain names): a `--force` re-ingest never publishes
/// different bytes under a URL a cache may hold. Playlists and the manifest keep their names.
public enum LibraryLayout {
    /// The asset's metadata (``AssetManifest``).
    public static let manifest = "manifest.json"
    /// The multivariant playlist, always present.
    public static let master = "master.m3u8"
    /// A rendition's media playlist.
    public static let mediaPlaylist = "index.m3u8"
    /// A video rendition's I-frame playlist.
    public static let iFramePlaylist = "iframes.m3u8"
    /// An fMP4 rendition's initialization section (`EXT-X-MAP`) in generation 0.
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

    /// Media segment `index` of a rendition: `seg-00000.m4s`, `seg-00000.ts`, `seg-00000.vtt` in
    /// generation 0; `seg-2-00000.m4s` in generation 2.
    public static func segment(_ index: Int, extension fileExtension: String, generation: Int = 0) -> String {
        numbered("seg", index, extension: fileExtension, generation: generation)
    }

    /// `STEM-[G-]NNNNN.EXT`: a numbered file of generation `generation`, five digits at least.
    private static func numbered(_ stem: String, _ number: Int, extension fileExtension: String, generation: Int) -> String {
        let digits = String(number)
        return stem + "-" + generationInfix(generation) + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + "." + fileExtension
    }

    /// Part `part` of media segment `index` (Low-Latency HLS): `seg-00003.2.m4s`, and
    /// `seg-2-00003.2.m4s` in generation 2. The segment's file is its parts one after another.
    public static func part(_ part: Int, ofSegment index: Int, extension fileExtension: String, generation: Int = 0) -> String {
        let name = segment(index, extension: fileExtension, generation: generation)
        return String(name.dropLast(fileExtension.count + 1)) + "." + String(part) + "." + fileExtension
    }

    /// An fMP4 rendition's initialization section: `init.mp4`, `init-2.mp4` in generation 2.
    public static func initSection(generation: Int) -> String {
        generation == 0 ? initSection : "init-\(generation).mp4"
    }

    /// Key `number` of an encrypted rendition (`--encrypt aes-128`): `key-00000.key`, and
    /// `key-2-00000.key` in generation 2. 16 bytes; never cached by a shared cache.
    public static func key(_ number: Int, generation: Int = 0) -> String {
        numbered("key", number, extension: keyExtension, generation: generation)
    }

    /// The extension of key files.
    public static let keyExtension = "key"

    /// True for a key file, by its extension: the keys Reel writes (any generation) and those
    /// of a hand-made tree, which the server must never let a shared cache keep.
    @inlinable
    public static func isKey(_ name: some StringProtocol) -> Bool {
        name.utf8.reversed().starts(with: "yek.".utf8)
    }

    /// The one media file of a `--single-file` rendition: `media.m4s`, `media.ts`; `media-2.m4s`
    /// in generation 2.
    public static func singleFileMedia(extension fileExtension: String, generation: Int = 0) -> String {
        (generation == 0 ? "media" : "media-\(generation)") + "." + fileExtension
    }

    /// True for a single-file rendition's media file (any generation), which grows while its
    /// ingest runs.
    @inlinable
    public static func isSingleFileMedia(_ name: some StringProtocol) -> Bool {
        // Asked of every segment served: most names fail at the first byte.
        name.utf8.starts(with: "media".utf8) && isSingleFileMediaName(String(name))
    }

    @usableFromInline
    static func isSingleFileMediaName(_ name: String) -> Bool {
        ImmutableName(name)?.kind == .singleFileMedia
    }

    /// The generation in a segment's, init section's, single-file media's or key's name (0 for the
    /// plain names); nil for any other name (playlists, the manifest, dotfiles, files Reel never writes).
    public static func generation(ofMediaFile name: some StringProtocol) -> Int? {
        ImmutableName(name)?.generation
    }

    /// `2-` for generation 2, nothing for generation 0.
    private static func generationInfix(_ generation: Int) -> String {
        generation == 0 ? "" : "\(generation)-"
    }

    /// True for a playlist (media, I-frame or master), by its file name or a path ending in it.
    @inlinable
    public static func isPlaylist(_ name: some StringProtocol) -> Bool { name.utf8.reversed().starts(with: "8u3m.".utf8) }

    /// The extension of WebVTT subtitle segments.
    public static let subtitleSegmentExtension = "vtt"

    // MARK: Generations

    /// Beside the assets: the generation an ingest of `asset` made visible, kept from just before
    /// it goes live until it succeeds. What is left of it names a generation that was published
    /// and withdrawn (the ingest failed), whose URLs caches may hold: the next ingest of that
    /// name takes a later one. A dotfile, so never served, never taken for an asset.
    public static func generationMark(of asset: String) -> String { ".generation-" + asset }

    /// The longest `max-age` a playlist is served with (a finished playlist, the master of a
    /// ready asset: SPEC "Cache-Control"). A replaced generation's files stay at least this long
    /// after the replacement goes live, so no cached playlist outlives the files it names.
    public static let longestPlaylistMaxAge: Double = 3600

}

/// A file name that carries its ingest's generation, taken apart: those Reel serves `immutable`
/// (`seg-[G-]NNNNN.EXT`, `init[-G].mp4`, `media[-G].EXT`) and keys (`key-[G-]NNNNN.key`), which
/// it serves `no-store` but names by generation for the same reason.
struct ImmutableName {
    enum Kind { case segment, initSection, singleFileMedia, key }

    var kind: Kind
    var generation: Int

    init?(_ name: some StringProtocol) {
        let name = Substring(name)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex, name.index(after: dot) != name.endIndex else { return nil }
        let stem = name[..<dot]
        let fileExtension = name[name.index(after: dot)...]
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        switch (String(parts[0]), parts.count) {
        case ("seg", 2) where Self.isNumber(parts[1]):
            (kind, generation) = (.segment, 0)
        case ("seg", 3) where Self.isNumber(parts[2]):
            guard let generation = Self.generation(parts[1]) else { return nil }
            (kind, self.generation) = (.segment, generation)
        case ("init", 1) where fileExtension == "mp4":
            (kind, generation) = (.initSection, 0)
        case ("init", 2) where fileExtension == "mp4":
            guard let generation = Self.generation(parts[1]) else { return nil }
            (kind, self.generation) = (.initSection, generation)
        case ("key", 2) where fileExtension == LibraryLayout.keyExtension && Self.isNumber(parts[1]):
            (kind, generation) = (.key, 0)
        case ("key", 3) where fileExtension == LibraryLayout.keyExtension && Self.isNumber(parts[2]):
            guard let generation = Self.generation(parts[1]) else { return nil }
            (kind, self.generation) = (.key, generation)
        case ("media", 1):
            (kind, generation) = (.singleFileMedia, 0)
        case ("media", 2):
            guard let generation = Self.generation(parts[1]) else { return nil }
            (kind, self.generation) = (.singleFileMedia, generation)
        default:
            return nil
        }
    }

    private static func isNumber(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// A generation as ``LibraryLayout`` writes it: 1 or more, no leading zero.
    private static func generation(_ text: Substring) -> Int? {
        guard isNumber(text), text.first != "0", let value = Int(text) else { return nil }
        return value
    }
}
