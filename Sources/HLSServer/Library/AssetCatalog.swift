import Foundation
import HLSPlaylist

/// Reads the library's assets from their manifests.
struct AssetCatalog: Sendable {
    let library: ServedRoot

    /// Every asset with a readable manifest, by name. Blocking: call it on a thread pool.
    func all() -> [AssetSummary] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: library.path)) ?? []
        return names.filter { AssetName.isValid($0) }.sorted().compactMap(asset(named:))
    }

    /// One asset, nil when it does not exist or has no readable manifest. Blocking.
    func asset(named name: String) -> AssetSummary? {
        manifest(named: name).map(AssetSummary.init(manifest:))
    }

    func manifest(named name: String) -> AssetManifest? {
        guard AssetName.isValid(name), let file = library.openFile([name, "manifest.json"]) else { return nil }
        var data = Data(count: Int(min(file.size, 1 << 20)))
        let count = data.withUnsafeMutableBytes { (try? file.read(into: $0, at: 0)) ?? 0 }
        return try? AssetManifest(json: data.prefix(count))
    }
}
