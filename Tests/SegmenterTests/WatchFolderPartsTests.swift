import DirectoryWatch
import Foundation
import ReelTestSupport
import Testing
@testable import Segmenter

/// The watch folder's parts that need no ingest: completeness, names, moves, inotify.
@Suite("Watch folder parts")
struct WatchFolderPartsTests {
    @Test func aFileCompletesOnlyAfterStayingUnchangedForTheSettleDelay() {
        var tracker = CompletionTracker(settleDelay: .seconds(1))
        let start = ContinuousClock.now
        var current: [String: FileSnapshot] = [
            "a.mp4": FileSnapshot(inode: 1, size: 100, modifiedSeconds: 10),
            "b.mp4": FileSnapshot(inode: 2, size: 50, modifiedSeconds: 10),
        ]
        tracker.observe("a.mp4", current["a.mp4"]!, at: start)
        tracker.observe("b.mp4", current["b.mp4"]!, at: start)
        #expect(tracker.collectSettled(at: start + .milliseconds(500)) { current[$0] }.isEmpty)
        // b grows (a writer came back): its wait starts again.
        current["b.mp4"] = FileSnapshot(inode: 2, size: 80, modifiedSeconds: 11)
        let first = tracker.collectSettled(at: start + .milliseconds(1000)) { current[$0] }
        #expect(first.map(\.name) == ["a.mp4"])
        #expect(tracker.names == ["b.mp4"])
        #expect(tracker.collectSettled(at: start + .milliseconds(1900)) { current[$0] }.isEmpty)
        #expect(tracker.collectSettled(at: start + .milliseconds(2000)) { current[$0] }.map(\.name) == ["b.mp4"])
        #expect(tracker.isEmpty)
    }

    @Test func anotherCloseWithoutChangeKeepsTheWaitAndAVanishedFileIsDropped() {
        var tracker = CompletionTracker(settleDelay: .seconds(1))
        let start = ContinuousClock.now
        let snapshot = FileSnapshot(inode: 1, size: 100, modifiedSeconds: 10)
        tracker.observe("a.mp4", snapshot, at: start)
        tracker.observe("a.mp4", snapshot, at: start + .milliseconds(900))
        #expect(tracker.collectSettled(at: start + .seconds(1)) { _ in snapshot }.map(\.name) == ["a.mp4"])
        tracker.observe("gone.mp4", snapshot, at: start)
        #expect(tracker.collectSettled(at: start + .seconds(5)) { _ in nil }.isEmpty)
        #expect(tracker.isEmpty)
    }

    @Test(arguments: [
        ("clip.mp4", true), ("My Clip.MOV", true), ("noextension", true),
        (".hidden.mp4", false), (".", false), ("failed", false), ("clip.mp4.part", false),
        ("clip.crdownload", false), ("clip.mp4.TMP", false), ("clip.download", false),
    ])
    func candidateNames(name: String, isCandidate: Bool) {
        #expect(WatchedName.isCandidate(name) == isCandidate)
    }

    @Test func assetNamesAreDerivedThenNumbered() {
        #expect(WatchedIngest.assetName(for: "My Clip.ts", attempt: 1) == "My-Clip")
        #expect(WatchedIngest.assetName(for: "My Clip.ts", attempt: 2) == "My-Clip-2")
        #expect(WatchedIngest.assetName(for: "___.mp4", attempt: 1) == "asset")
        let long = String(repeating: "a", count: 200) + ".mp4"
        #expect(WatchedIngest.assetName(for: long, attempt: 1).count == 128)
        let numbered = WatchedIngest.assetName(for: long, attempt: 12)
        #expect(numbered.count == 128 && numbered.hasSuffix("-12"))
    }

    @Test func movesNeverOverwrite() throws {
        let scratch = try TemporaryDirectory(prefix: "move")
        let from = scratch.appending("in")
        let to = scratch.appending("out")
        for directory in [from, to] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        try Data("old".utf8).write(to: to.appendingPathComponent("clip.mp4"))
        try Data("older".utf8).write(to: to.appendingPathComponent("clip-2.mp4"))
        let source = from.appendingPathComponent("clip.mp4")
        try Data("new".utf8).write(to: source)
        let destination = try FileMover.move(source, into: to)
        #expect(destination.lastPathComponent == "clip-3.mp4")
        #expect(try Data(contentsOf: destination) == Data("new".utf8))
        #expect(try Data(contentsOf: to.appendingPathComponent("clip.mp4")) == Data("old".utf8))
        #expect(!FileManager.default.fileExists(atPath: source.path))
        #expect(FileMover.candidateName("noext", attempt: 2) == "noext-2")
        #expect(FileMover.candidateName("a.tar.gz", attempt: 3) == "a.tar-3.gz")
    }

    /// True when /dev/shm (a tmpfs on Linux) is writable and not the temporary directory's filesystem.
    static var sharedMemoryIsAnotherFilesystem: Bool {
        var temporary = stat(), shared = stat()
        return stat(FileManager.default.temporaryDirectory.path, &temporary) == 0 && stat("/dev/shm", &shared) == 0
            && temporary.st_dev != shared.st_dev && access("/dev/shm", W_OK) == 0
    }

    @Test(.enabled(if: sharedMemoryIsAnotherFilesystem, "needs /dev/shm on another filesystem than the temporary directory"))
    func movesAcrossFilesystemsCopyThenRemove() throws {
        let scratch = try TemporaryDirectory(prefix: "move")
        let other = URL(fileURLWithPath: "/dev/shm/reel-move-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: other) }

        let source = scratch.appending("clip.mp4")
        let bytes = Data((0..<3_000_000).map { UInt8($0 % 251) })  // more than one copy buffer
        try bytes.write(to: source)
        let modified = Date(timeIntervalSince1970: 1_700_000_000)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: source.path)
        try Data("taken".utf8).write(to: other.appendingPathComponent("clip.mp4"))

        let destination = try FileMover.move(source, into: other)
        #expect(destination.lastPathComponent == "clip-2.mp4")
        #expect(try Data(contentsOf: destination) == bytes)
        #expect(try FileManager.default.attributesOfItem(atPath: destination.path)[.modificationDate] as? Date == modified)
        #expect(!FileManager.default.fileExists(atPath: source.path), "removed after the copy")
        #expect(try FileManager.default.contentsOfDirectory(atPath: other.path).sorted() == ["clip-2.mp4", "clip.mp4"], "no temporary file left")
    }

    @Test func inotifyReportsClosedAndMovedInFilesOnly() async throws {
        let scratch = try TemporaryDirectory(prefix: "inotify")
        let monitor = try DirectoryMonitor(directory: scratch.path)
        let (events, continuation) = AsyncStream.makeStream(of: DirectoryMonitor.Event.self)
        monitor.start(continuation)
        try FileManager.default.createDirectory(at: scratch.appending("directory"), withIntermediateDirectories: false)
        try Data("a".utf8).write(to: scratch.appending("written.mp4"))
        let outside = try TemporaryDirectory(prefix: "inotify-outside")
        try Data("b".utf8).write(to: outside.appending("moved.mp4"))
        try FileManager.default.moveItem(at: outside.appending("moved.mp4"), to: scratch.appending("moved.mp4"))
        try Data("c".utf8).write(to: scratch.appending("last"))
        var seen: [DirectoryMonitor.Event] = []
        for await event in events {
            seen.append(event)
            if event == .entry("last") { monitor.stop() }
        }
        #expect(seen == [.entry("written.mp4"), .entry("moved.mp4"), .entry("last")])
    }

    @Test func parsesEventsWithPaddedNames() {
        var bytes: [UInt8] = []
        func event(mask: Int32, name: String) {
            var nameBytes: [UInt8] = name.isEmpty ? [] : Array(name.utf8) + [0]
            while nameBytes.count % 16 != 0 { nameBytes.append(0) }
            for value in [UInt32(1), UInt32(bitPattern: mask), 0, UInt32(nameBytes.count)] {
                withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
            }
            bytes += nameBytes
        }
        event(mask: IN_CLOSE_WRITE, name: "a.mp4")
        event(mask: IN_MOVED_TO | IN_ISDIR, name: "folder")
        event(mask: IN_Q_OVERFLOW, name: "")
        event(mask: IN_MOVED_TO, name: "b")
        event(mask: IN_DELETE_SELF, name: "")
        let parsed = DirectoryMonitor.events(from: bytes.withUnsafeBytes { DirectoryEvents.parse($0) })
        #expect(parsed == [.entry("a.mp4"), .overflow, .entry("b"), .lost])
    }
}
