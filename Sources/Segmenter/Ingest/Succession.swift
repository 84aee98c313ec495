import Foundation
import HLSPlaylist

/// What an ingest names its files by, and what a `--force` replacement keeps of the asset it
/// replaces. Pure: ``AssetPublisher`` reads the disk and makes the links.
///
/// SPEC "Library layout": a URL served `immutable` never names different bytes later, and a
/// player that started before a replacement is not cut off by 404s while its cached playlists
/// are fresh. So every ingest of a name takes a generation no earlier ingest of it made visible
/// (its files carry it in their names), and a replacement hard-links into itself the files of
/// every generation a fresh playlist may still name: the one it replaces, for ``retention`` from
/// the moment it goes live, and the older ones that asset kept whose time has not run out.
/// Nothing deletes a kept file early: it goes with the asset that the first replacement after
/// its time swaps out.
enum Succession {
    /// How long a replaced generation's files stay: the longest a playlist naming them may be
    /// fresh in a cache, plus a minute for the replacement to go live after the clock is read.
    static let retention = LibraryLayout.longestPlaylistMaxAge + 60

    /// The generation of a new ingest of a name: one past every generation the asset it replaces
    /// was or keeps, and past the mark a withdrawn ingest left
    /// (``LibraryLayout/generationMark(of:)``); 0 when there is neither.
    static func generation(replacing previous: PreviousAsset?, mark: Int?) -> Int {
        let known = (previous?.knownGenerations ?? []) + [mark].compactMap { $0 }
        return known.max().map { $0 + 1 } ?? 0
    }

    /// What a replacement keeps of the asset it replaces.
    struct Keeping: Equatable {
        /// Newest first: the replaced generation, then the older ones still due.
        var retained: [AssetManifest.RetainedGeneration]
        /// Paths relative to the asset directory to hard-link from the replaced asset into the
        /// new one, in order.
        var links: [String]
    }

    /// What to keep of `previous` when its replacement goes live at `now`. `newFiles` are the
    /// replacement's own files (relative paths): a playlist it has is its own, never the old one.
    static func keeping(_ previous: PreviousAsset, newFiles: Set<String>, now: Date) -> Keeping {
        let until = Date(timeIntervalSince1970: (now.timeIntervalSince1970 + retention).rounded(.up))
        var retained = [AssetManifest.RetainedGeneration(generation: previous.generation, until: Timestamp.iso8601(until))]
        for older in previous.manifest?.retained ?? [] where !retained.contains(where: { $0.generation == older.generation }) {
            // A date that does not read is taken as past: its files go.
            guard let due = Timestamp.date(iso8601: older.until), due > now else { continue }
            retained.append(older)
        }
        retained.sort { $0.generation > $1.generation }
        let kept = Set(retained.map(\.generation))
        let media = previous.mediaFiles.filter { path in
            LibraryLayout.generation(ofMediaFile: Self.fileName(path)).map(kept.contains) == true
        }
        let playlists = previous.playlists.filter { kept.contains($0.value) }.keys
        let links = (media + playlists).filter { !newFiles.contains($0) }.sorted()
        return Keeping(retained: retained, links: links)
    }

    /// The last component of a relative path.
    static func fileName(_ path: String) -> Substring {
        path.split(separator: "/").last ?? Substring(path)
    }
}

/// The asset a `--force` ingest replaces, as far as its generations go: read from disk once,
/// before anything is written (``read(_:)``).
struct PreviousAsset: Equatable {
    /// Its manifest; nil when it has none that reads.
    var manifest: AssetManifest?
    /// The segments, init sections and single-file media of its rendition directories (of every
    /// generation it holds), relative to the asset: `copy/seg-00000.m4s`, `720p/init-1.mp4`.
    var mediaFiles: [String]
    /// The media and I-frame playlists of its rendition directories, relative to the asset, each
    /// with the generation of the files it names; a playlist naming none is left out.
    var playlists: [String: Int]

    /// The generation it was published as: its manifest's, else the newest its files carry.
    var generation: Int {
        manifest?.generation ?? mediaFiles.compactMap { LibraryLayout.generation(ofMediaFile: Succession.fileName($0)) }.max() ?? 0
    }

    /// Every generation it was, keeps, or has files or playlists of.
    var knownGenerations: [Int] {
        [generation] + (manifest?.retained.map(\.generation) ?? [])
            + mediaFiles.compactMap { LibraryLayout.generation(ofMediaFile: Succession.fileName($0)) }
            + playlists.values
    }

    /// The generation of the files a media or I-frame playlist names (its first segment's, or
    /// its `EXT-X-MAP`'s); nil when it names none that ``LibraryLayout`` writes.
    static func generation(namedBy playlist: MediaPlaylist) -> Int? {
        let uris = [playlist.map?.uri].compactMap { $0 } + playlist.segments.prefix(1).map(\.uri)
        return uris.lazy.compactMap { LibraryLayout.generation(ofMediaFile: Succession.fileName($0)) }.first
    }
}
