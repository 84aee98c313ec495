import CReelLinux
import Foundation

/// Builds an asset in a staging directory inside the library and publishes it with one
/// rename, so readers see the whole asset or none of it; a failed ingest leaves the library
/// exactly as it was.
final class AssetPublisher {
    let library: URL
    let name: String
    let force: Bool
    /// Where the asset is assembled: a dot-directory on the same filesystem as the library.
    let staging: URL
    private var published = false

    var destination: URL { library.appendingPathComponent(name, isDirectory: true) }

    init(library: URL, name: String, force: Bool) throws(IngestError) {
        self.library = library
        self.name = name
        self.force = force
        // The process id in the name lets a later ingest recognise what a killed one left behind.
        staging = library.appendingPathComponent(".staging-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: library, withIntermediateDirectories: true)
        } catch {
            throw .write(path: library.path, reason: Self.reason(error))
        }
        Self.removeAbandonedStaging(in: library)
        if !force, manager.fileExists(atPath: destination.path) {
            throw .exists(path: destination.path)
        }
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw .write(path: library.path, reason: Self.reason(error))
        }
    }

    deinit {
        if !published { abandon() }
    }

    /// A directory inside the staged asset, created on demand.
    func directory(_ relative: String) throws(IngestError) -> URL {
        let url = staging.appendingPathComponent(relative, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .write(path: url.path, reason: Self.reason(error))
        }
        return url
    }

    /// Writes `data` to `relative` inside the staged asset: written aside, then renamed.
    func write(_ data: Data, to relative: String) throws(IngestError) {
        let url = staging.appendingPathComponent(relative)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw .write(path: url.path, reason: Self.reason(error))
        }
    }

    /// Moves the staged asset into place. With `force`, an existing asset is swapped out in
    /// one atomic exchange (readers see the old one until then) and then deleted.
    func publish() throws(IngestError) {
        let manager = FileManager.default
        if manager.fileExists(atPath: destination.path) {
            guard force else { throw .exists(path: destination.path) }
            if reel_rename_exchange(staging.path, destination.path) == 0 {
                published = true
                try? manager.removeItem(at: staging)
                return
            }
            // No RENAME_EXCHANGE here: move the old asset aside first (a brief gap, never a mix).
            let trash = library.appendingPathComponent(".trash-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))")
            do {
                try manager.moveItem(at: destination, to: trash)
            } catch {
                throw .write(path: destination.path, reason: Self.reason(error))
            }
            defer { try? manager.removeItem(at: trash) }
            try moveIntoPlace()
            return
        }
        try moveIntoPlace()
    }

    private func moveIntoPlace() throws(IngestError) {
        guard rename(staging.path, destination.path) == 0 else {
            throw .write(path: destination.path, reason: String(cString: strerror(errno)))
        }
        published = true
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

    /// Removes everything staged.
    func abandon() {
        try? FileManager.default.removeItem(at: staging)
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
