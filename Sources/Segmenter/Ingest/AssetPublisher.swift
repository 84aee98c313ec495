import CReelLinux
import Foundation
import HLSPlaylist

/// Assembles an asset in a staging directory inside the library, makes it live with one
/// rename as soon as it is playable, keeps publishing into it while the ingest runs, and on
/// failure puts the library back exactly as it was.
///
/// The ingest holds the asset's ``IngestLock`` from the first file to the last, so a server
/// can tell a running ingest from one that died.
///
/// Its files are named by a ``generation`` no earlier ingest of the name made visible; a
/// replacement keeps the files of the generations fresh cached playlists may still name
/// (``Succession``), hard-linked from the asset it replaces, which stays untouched.
final class AssetPublisher {
    let library: URL
    let name: String
    let force: Bool
    /// Whether files are on disk before they are renamed into place.
    let durability: Durability
    /// Where the asset is assembled: a dot-directory on the same filesystem as the library.
    let staging: URL
    /// What the ingest's segments, init sections and single-file media are named by.
    let generation: Int
    /// The asset this ingest replaces, as read before anything was written; nil for a first ingest.
    let previous: PreviousAsset?
    /// The replaced generations whose files the asset keeps (for its manifest), known once
    /// ``keepPrevious()`` has linked them.
    private(set) var retained: [AssetManifest.RetainedGeneration] = []
    private var keptPrevious = false
    private let lock: IngestLock

    private enum Phase {
        /// Nothing visible yet.
        case staging
        /// At `destination`; a replaced asset waits at `previous` until the ingest succeeds.
        case live(previous: URL?)
        case finished
    }

    private var phase = Phase.staging

    var destination: URL { library.appendingPathComponent(name, isDirectory: true) }

    /// Where files are written now: the staging directory, then the live asset.
    var root: URL {
        if case .staging = phase { return staging }
        return destination
    }

    var isLive: Bool {
        if case .staging = phase { return false }
        return true
    }

    init(library: URL, name: String, force: Bool, durability: Durability = .buffered) throws(IngestError) {
        self.library = library
        self.name = name
        self.force = force
        self.durability = durability
        // The process id in the name lets a later ingest recognise what a killed one left behind.
        staging = library.appendingPathComponent(".staging-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: library, withIntermediateDirectories: true)
        } catch {
            throw .write(path: library.path, reason: Self.reason(error))
        }
        Self.removeAbandonedStaging(in: library)
        let destination = library.appendingPathComponent(name, isDirectory: true)
        try Self.checkReplaceable(destination, force: force)
        previous = try PreviousAsset.read(destination)
        generation = Succession.generation(replacing: previous, mark: Self.readMark(in: library, of: name))
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw .write(path: library.path, reason: Self.reason(error))
        }
        do {
            guard let lock = try IngestLock.acquire(inAssetDirectory: staging.path) else {
                throw IngestError.write(path: staging.path, reason: "lock held by another process")
            }
            self.lock = lock
        } catch {
            try? manager.removeItem(at: staging)
            if let error = error as? IngestError { throw error }
            throw .write(path: staging.path, reason: "\(error)")
        }
    }

    deinit {
        if case .finished = phase { return }
        rollback()
    }

    /// An existing asset may be replaced only with `force`, and never while an ingest runs on it.
    private static func checkReplaceable(_ destination: URL, force: Bool) throws(IngestError) {
        guard FileManager.default.fileExists(atPath: destination.path) else { return }
        if IngestLock.isHeld(inAssetDirectory: destination.path) { throw .busy(path: destination.path) }
        if !force { throw .exists(path: destination.path) }
    }

    /// A directory inside the asset, created on demand.
    func directory(_ relative: String) throws(IngestError) -> URL {
        let url = root.appendingPathComponent(relative, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .write(path: url.path, reason: Self.reason(error))
        }
        return url
    }

    /// Writes `data` to `relative` inside the asset: into a hidden file, then renamed over the
    /// old version, so a reader gets the old file or the new one, never a mix.
    func write(_ data: Data, to relative: String) throws(IngestError) {
        try Self.replace(root.appendingPathComponent(relative), with: data, sync: durability == .synced)
    }

    /// Before the asset goes live in place of another: decides what it keeps of the one it
    /// replaces (``Succession/keeping(_:newFiles:now:)``) and hard-links those files into the
    /// staging directory, so that at the exchange every URL a fresh cached playlist names is
    /// there. Once, before the first manifest (which records what is kept); nothing for a first
    /// ingest. The replaced asset is not touched: a rollback just drops the links with the rest.
    func keepPrevious() throws(IngestError) {
        guard case .staging = phase, !keptPrevious, let previous else { return }
        let newFiles = try Self.renditionFiles(in: staging)
        let keeping = Succession.keeping(previous, newFiles: newFiles, now: Date())
        try Self.link(keeping.links, from: destination, into: staging, sync: durability == .synced)
        retained = keeping.retained
        keptPrevious = true
    }

    /// Makes the staged asset visible at its name, its generation's mark written first. With
    /// `force`, an existing asset is swapped out in one atomic exchange (readers see the old one
    /// until then; the files kept of it are already linked in) and kept aside until the ingest
    /// succeeds, so a failure can put it back.
    func goLive() throws(IngestError) {
        guard case .staging = phase else { return }
        // Before any URL of this generation can be served; removed only when the ingest succeeds.
        try writeMark()
        let manager = FileManager.default
        guard manager.fileExists(atPath: destination.path) else {
            try rename(staging, to: destination)
            phase = .live(previous: nil)
            try syncLibrary()
            return
        }
        try Self.checkReplaceable(destination, force: force)
        let previous = library.appendingPathComponent(".trash-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))")
        if reel_rename_exchange(staging.path, destination.path) == 0 {
            // The old asset now sits at the staging path.
            try rename(staging, to: previous)
        } else {
            // No RENAME_EXCHANGE here: move the old asset aside first (a brief gap, never a mix).
            try rename(destination, to: previous)
            try rename(staging, to: destination)
        }
        phase = .live(previous: previous)
        try syncLibrary()
    }

    /// With ``Durability/synced``, flushes the library directory: the asset's move into place.
    private func syncLibrary() throws(IngestError) {
        guard durability == .synced else { return }
        do { try FileWriting.syncDirectory(library.path) } catch { throw .write(path: library.path, reason: error.description) }
    }

    /// Ends a successful ingest: drops the lock (the manifest already says `ready`), deletes
    /// the asset this one replaced (the files it kept of it are links) and the generation mark
    /// (the manifest records the generation now).
    func finish() {
        guard case .live(let previous) = phase else { return }
        lock.release(removingFileIn: destination.path)
        if let previous { try? FileManager.default.removeItem(at: previous) }
        removeMark()
        phase = .finished
    }

    /// Undoes everything: removes what was staged or published and restores a replaced asset.
    /// The generation mark stays: URLs of a generation that went live may be in caches.
    func rollback() {
        let manager = FileManager.default
        switch phase {
        case .staging:
            lock.release(removingFileIn: nil)
            try? manager.removeItem(at: staging)
        case .live(let previous):
            let trash = library.appendingPathComponent(".trash-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))")
            if let previous, reel_rename_exchange(previous.path, destination.path) == 0 {
                // The failed asset now sits at `previous`.
                lock.release(removingFileIn: nil)
                try? manager.removeItem(at: previous)
            } else {
                // Out of sight first, then deleted: readers never see a half-removed asset.
                _ = Glibc.rename(destination.path, trash.path)
                if let previous { _ = Glibc.rename(previous.path, destination.path) }
                lock.release(removingFileIn: nil)
                try? manager.removeItem(at: trash)
            }
        case .finished:
            return
        }
        phase = .finished
    }

    private func rename(_ source: URL, to destination: URL) throws(IngestError) {
        guard Glibc.rename(source.path, destination.path) == 0 else {
            throw .write(path: destination.path, reason: String(cString: strerror(errno)))
        }
    }

    /// Removes staging directories whose ingest process no longer exists (killed with SIGKILL,
    /// or the machine went down): they were never published and nothing else will clean them.
    static func removeAbandonedStaging(in library: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: library.path)) ?? []
        for name in names where name.hasPrefix(".staging-") || name.hasPrefix(".trash-") {
            let parts = name.split(separator: "-")
            guard parts.count >= 3, let pid = Int32(parts[parts.count - 2]), pid > 0 else { continue }
            if kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: library.appendingPathComponent(name))
            }
        }
    }

    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }
}
