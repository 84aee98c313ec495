import HLSPlaylist

extension CachePolicy {
    /// The target duration assumed for a playlist that gives none (a master playlist with no
    /// manifest beside it, or text that is not a playlist): SPEC's default segment duration, so
    /// clients revalidate it every few seconds.
    static let assumedTargetDuration = 6

    /// How a file of the library is cached (SPEC "Cache-Control"), from its name and its asset's
    /// manifest; nil for a playlist of an asset without a manifest, which only the playlist's
    /// own text can decide (``playlist(_:)``).
    ///
    /// The manifest speaks for every playlist of its asset: the segmenter publishes each
    /// playlist's last version (`#EXT-X-ENDLIST`) before it writes `ready`, and while the asset
    /// is `ingesting` a client revalidates within half a target duration, whichever playlist it
    /// holds. `manifest` is read only for playlists and single-file media: a segment costs no
    /// look at it.
    static func library(fileName name: String, manifest: @autoclosure () -> AssetManifest?) -> CachePolicy? {
        library(fileName: name, publication: manifest().map(Publication.init(_:)))
    }

    /// ``library(fileName:manifest:)`` from the two facts of the manifest it needs.
    static func library(fileName name: some StringProtocol, publication: @autoclosure () -> Publication?) -> CachePolicy? {
        if name == LibraryLayout.manifest { return .dynamic }
        if LibraryLayout.isKey(name) { return .key }
        guard LibraryLayout.isPlaylist(name) else {
            // Segments never change once renamed into place; a single-file rendition's one
            // media file grows until its ingest ends.
            return LibraryLayout.isSingleFileMedia(name) && publication()?.state != .ready ? .growingFile : .segment
        }
        guard let publication = publication() else { return nil }
        switch publication.state {
        case .ready:
            return .finishedPlaylist
        case .ingesting:
            return .growingPlaylist(targetDuration: publication.targetDuration)
        case .failed:
            return .abandonedPlaylist
        }
    }

    /// A playlist's policy from its parsed text, for trees without a manifest: finished with
    /// `#EXT-X-ENDLIST`, else growing by its own target duration. Nil (not a media playlist)
    /// is taken as growing with ``assumedTargetDuration``.
    static func playlist(_ playlist: MediaPlaylist?) -> CachePolicy {
        guard let playlist else { return .growingPlaylist(targetDuration: assumedTargetDuration) }
        return playlist.endList ? .finishedPlaylist : .growingPlaylist(targetDuration: playlist.targetDuration)
    }
}
