import Foundation
import HLSPlaylist

/// Reads the library's assets from their manifests, keeping parsed manifests while their
/// files are unchanged (playlist requests consult them for cache policy).
struct AssetCatalog: Sendable {
    let library: ServedRoot
    let cache: ManifestCache

    /// Every asset with a readable manifest, by name. Blocking: call it on a thread pool.
    func all() -> [AssetSummary] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: library.path)) ?? []
        return names.filter { AssetName.isValid($0) }.sorted().compactMap(asset(named:))
    }

    /// One asset, nil when it does not exist or has no readable manifest. Blocking.
    func asset(named name: String) -> AssetSummary? {
        manifest(named: name).map(AssetSummary.init(manifest:))
    }

    /// The asset's manifest, its state corrected to `failed` when its ingest died. An unchanged
    /// manifest of a ready asset costs one `fstatat`; a changed one is read again (small), and an
    /// ingesting one's lock is tested with `flock`. Cheap enough for the fast path's event loop,
    /// which asks for every playlist.
    func manifest(named name: String) -> AssetManifest? {
        guard let manifest = storedManifest(named: name)?.manifest else { return nil }
        // An asset says `ingesting` until its ingest finishes; if no process holds its ingest
        // lock any more, the ingest died (kill -9, a crash, a power cut).
        guard manifest.state == .ingesting, !IngestLock.isHeld(inAssetDirectory: library.path + "/" + name) else { return manifest }
        // Unless it has just finished: it writes `ready` before it releases the lock.
        var latest = storedManifest(named: name)?.manifest ?? manifest
        if latest.state == .ingesting { latest.state = .failed }
        return latest
    }

    /// What serving the asset's playlists needs of its manifest: its state (`failed` when its
    /// ingest died) and target duration. Every playlist request asks, so this copies two fields,
    /// not the manifest.
    func publication(named name: some StringProtocol) -> Publication? {
        guard let stored = storedManifest(named: name)?.publication else { return nil }
        guard stored.state == .ingesting else { return stored }
        return manifest(named: String(name)).map(Publication.init(_:))
    }

    /// `manifest.json` as written, parsed once per version of the file.
    private func storedManifest(named name: some StringProtocol) -> StoredManifest? {
        guard AssetName.isValid(name) else { return nil }
        let name = String(name)
        let path = name + "/" + LibraryLayout.manifest
        // An unchanged manifest costs one fstatat; it is opened (below the root, as any file
        // served) only to be read again.
        if let identity = library.identity(of: path), let cached = cache.value(for: name, identity: identity) {
            return cached
        }
        guard let file = library.openFile(relative: path) else { return nil }
        if let cached = cache.value(for: name, identity: file.identity) { return cached }
        var data = Data(count: Int(min(file.size, 1 << 20)))
        let count = data.withUnsafeMutableBytes { (try? file.read(into: $0, at: 0)) ?? 0 }
        guard let manifest = try? AssetManifest(json: data.prefix(count)) else { return nil }
        let stored = StoredManifest(manifest)
        cache.store(stored, for: name, identity: file.identity)
        return stored
    }
}

/// A parsed manifest, held by reference: taking it from the cache is one retain, not a copy of
/// every field.
final class StoredManifest: Sendable {
    let manifest: AssetManifest
    let publication: Publication

    init(_ manifest: AssetManifest) {
        self.manifest = manifest
        publication = Publication(manifest)
    }
}

/// An asset's publication state, as its playlists' Cache-Control needs it.
struct Publication: Sendable, Equatable {
    var state: AssetManifest.State
    /// The playlists' target duration (the segment duration, rounded up, in older manifests).
    var targetDuration: Int

    init(state: AssetManifest.State, targetDuration: Int) {
        self.state = state
        self.targetDuration = targetDuration
    }

    init(_ manifest: AssetManifest) {
        self.init(state: manifest.state, targetDuration: manifest.targetDuration ?? Int(manifest.segmentDuration.rounded(.up)))
    }
}

/// Parsed manifests by asset name, valid while the file's (inode, size, mtime) is unchanged.
typealias ManifestCache = IdentityCache<StoredManifest>
