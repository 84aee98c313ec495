import Foundation
import HLSPlaylist

/// The file operations behind generations: the mark beside the assets, the previous asset's
/// files, the links that keep them.
extension AssetPublisher {
    /// ``LibraryLayout/generationMark(of:)`` of this asset.
    var markURL: URL { library.appendingPathComponent(LibraryLayout.generationMark(of: name)) }

    /// The generation a withdrawn ingest of `name` left in its mark; nil when there is none.
    static func readMark(in library: URL, of name: String) -> Int? {
        let url = library.appendingPathComponent(LibraryLayout.generationMark(of: name))
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Records this ingest's generation beside the assets, before any of its URLs is served.
    func writeMark() throws(IngestError) {
        try Self.replace(markURL, with: Data("\(generation)\n".utf8), sync: durability == .synced)
    }

    /// Drops the mark once the asset's manifest records its generation.
    func removeMark() {
        unlink(markURL.path)
    }

    /// Writes `data` to `url`: into a hidden file beside it, then renamed over the old version,
    /// so a reader gets the old file or the new one, never a mix. With `sync`, the file is
    /// flushed before the rename and its directory after it.
    static func replace(_ url: URL, with data: Data, sync: Bool) throws(IngestError) {
        let directory = url.deletingLastPathComponent()
        let aside = directory.appendingPathComponent(".\(url.lastPathComponent).tmp")
        do {
            try FileWriting.write(data, to: aside.path, sync: sync)
        } catch {
            unlink(aside.path)
            throw .write(path: url.path, reason: error.description)
        }
        guard Glibc.rename(aside.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(aside.path)
            throw .write(path: url.path, reason: reason)
        }
        if sync {
            do { try FileWriting.syncDirectory(directory.path) } catch { throw .write(path: directory.path, reason: error.description) }
        }
    }

    /// The files of an asset's rendition directories, relative to it (`copy/index.m3u8`).
    static func renditionFiles(in asset: URL) throws(IngestError) -> Set<String> {
        var files: Set<String> = []
        for rendition in try Self.entries(of: asset) where !rendition.hasPrefix(".") {
            let folder = asset.appendingPathComponent(rendition, isDirectory: true)
            guard isDirectory(folder) else { continue }
            for file in try Self.entries(of: folder) { files.insert(rendition + "/" + file) }
        }
        return files
    }

    /// Hard-links each of `paths` (relative) from the asset at `source` into the one at
    /// `destination`, creating the rendition directories it lacks. The same inodes: nothing is
    /// copied, and the source keeps every name it had. With `sync`, flushes every directory that
    /// gained an entry (a link is one; the file's data was already where it is).
    static func link(_ paths: [String], from source: URL, into destination: URL, sync: Bool) throws(IngestError) {
        var changed: Set<String> = []
        for path in paths {
            let target = destination.appendingPathComponent(path)
            let folder = target.deletingLastPathComponent()
            if !isDirectory(folder) {
                do {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
                } catch {
                    throw .write(path: folder.path, reason: reason(error))
                }
                changed.insert(folder.deletingLastPathComponent().path)
            }
            guard Glibc.link(source.appendingPathComponent(path).path, target.path) == 0 else {
                throw .write(path: target.path, reason: "cannot keep \(source.appendingPathComponent(path).path): \(String(cString: strerror(errno)))")
            }
            changed.insert(folder.path)
        }
        guard sync else { return }
        for directory in changed.sorted() {
            do { try FileWriting.syncDirectory(directory) } catch { throw .write(path: directory, reason: error.description) }
        }
    }

    static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// A directory's entries, sorted.
    static func entries(of directory: URL) throws(IngestError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            throw .write(path: directory.path, reason: reason(error))
        }
    }
}

extension PreviousAsset {
    /// Reads the asset at `directory` (nil when there is none): its manifest, and the files and
    /// playlists of its rendition directories. An asset that cannot be listed is an error: its
    /// generations would be unknown.
    static func read(_ directory: URL) throws(IngestError) -> PreviousAsset? {
        guard AssetPublisher.isDirectory(directory) else { return nil }
        let manifest = (try? Data(contentsOf: directory.appendingPathComponent(LibraryLayout.manifest))).flatMap { try? AssetManifest(json: $0) }
        var asset = PreviousAsset(manifest: manifest, mediaFiles: [], playlists: [:])
        for path in try AssetPublisher.renditionFiles(in: directory).sorted() {
            let name = Succession.fileName(path)
            if LibraryLayout.isPlaylist(name) {
                let playlist = (try? Data(contentsOf: directory.appendingPathComponent(path))).flatMap { try? MediaPlaylist(parsing: $0) }
                if let generation = playlist.flatMap(generation(namedBy:)) { asset.playlists[path] = generation }
            } else if !name.hasPrefix("."), LibraryLayout.generation(ofMediaFile: name) != nil {
                asset.mediaFiles.append(path)
            }
        }
        return asset
    }
}
