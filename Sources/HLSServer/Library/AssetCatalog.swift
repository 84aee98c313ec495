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

    /// The asset's manifest, its state corrected to `failed` when its ingest died. Blocking.
    func manifest(named name: String) -> AssetManifest? {
        guard let manifest = storedManifest(named: name) else { return nil }
        // An asset says `ingesting` until its ingest finishes; if no process holds its ingest
        // lock any more, the ingest died (kill -9, a crash, a power cut).
        guard manifest.state == .ingesting, !IngestLock.isHeld(inAssetDirectory: library.path + "/" + name) else { return manifest }
        // Unless it has just finished: it writes `ready` before it releases the lock.
        var latest = storedManifest(named: name) ?? manifest
        if latest.state == .ingesting { latest.state = .failed }
        return latest
    }

    /// `manifest.json` as written, parsed once per version of the file.
    private func storedManifest(named name: String) -> AssetManifest? {
        guard AssetName.isValid(name), let file = library.openFile([name, LibraryLayout.manifest]) else { return nil }
        if let cached = cache.value(for: name, identity: file.identity) { return cached }
        var data = Data(count: Int(min(file.size, 1 << 20)))
        let count = data.withUnsafeMutableBytes { (try? file.read(into: $0, at: 0)) ?? 0 }
        guard let manifest = try? AssetManifest(json: data.prefix(count)) else { return nil }
        cache.store(manifest, for: name, identity: file.identity)
        return manifest
    }
}

/// Parsed manifests by asset name, valid while the file's (inode, size, mtime) is unchanged.
typealias ManifestCache = IdentityCache<AssetManifest>
