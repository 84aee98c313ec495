import Foundation
@testable import HLSServer
import ReelTestSupport
import Testing

/// Large files are served from descriptors kept open (``OpenFileCache``), and a kept
/// descriptor is never the wrong file: a replaced, rewritten, deleted or swapped path is
/// answered with what it names now.
@Suite("Open file cache")
struct OpenFileCacheTests {
    /// 2 MB (above the small-file cache's limit) of a pattern that `seed` changes.
    static func largeBytes(seed: Int, count: Int = 2_000_000) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: ($0 &+ seed) &* 2_654_435_761 >> 13) })
    }

    /// One GET of `target` on its own connection: status, ETag and body.
    static func get(_ target: String, range: String, port: Int) async throws -> (status: Int, entityTag: String?, body: [UInt8]) {
        let request = FastPathTests.request("GET", target, "Range: \(range)\r\nConnection: close\r\n")
        let (bytes, _) = try await RawHTTP.exchangeBytes(port: port, chunks: [(Array(request.utf8), .zero)])
        let answer = try #require(try FastPathTests.responses(bytes, methods: ["GET"]).first)
        return (answer.status, answer.headers["etag"], answer.body)
    }

    @Test func aKeptDescriptorIsUsedOnlyWhileThePathNamesItsFile() async throws {
        let tree = try ServedTree()
        let path = tree.media.appendingPathComponent("large.mp4")
        let first = Self.largeBytes(seed: 1)
        try first.write(to: path)
        try await FastPathTests.serve(tree) { port in
            let original = try await Self.get("/media/large.mp4", range: "bytes=1000-1999", port: port)
            #expect(original.status == 206 && original.body == Array(first[1000..<2000]))
            // From the kept descriptor: the same bytes and validator.
            let again = try await Self.get("/media/large.mp4", range: "bytes=1000-1999", port: port)
            #expect(again.status == 206 && again.body == original.body && again.entityTag == original.entityTag)

            // Replaced by a rename, as a publisher does: another inode.
            let second = Self.largeBytes(seed: 2)
            let aside = tree.media.appendingPathComponent(".large.part")
            try second.write(to: aside)
            #expect(rename(aside.path, path.path) == 0)
            let renamed = try await Self.get("/media/large.mp4", range: "bytes=1000-1999", port: port)
            #expect(renamed.status == 206 && renamed.body == Array(second[1000..<2000]))
            #expect(renamed.entityTag != original.entityTag)

            // Rewritten in place (the same inode, a new size and mtime).
            let third = Self.largeBytes(seed: 3, count: 1_500_000)
            let handle = try FileHandle(forWritingTo: path)
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: third)
            try handle.close()
            let rewritten = try await Self.get("/media/large.mp4", range: "bytes=1000-1999", port: port)
            #expect(rewritten.status == 206 && rewritten.body == Array(third[1000..<2000]))
            #expect(rewritten.entityTag != renamed.entityTag)

            // Swapped for a symlink out of the root, to a large file: refused as any escape is.
            let outside = tree.scratch.appending("outside-large.mp4")
            try Self.largeBytes(seed: 4).write(to: outside)
            try FileManager.default.removeItem(at: path)
            try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: outside.path)
            #expect(try await Self.get("/media/large.mp4", range: "bytes=1000-1999", port: port).status == 404)

            // Deleted.
            try FileManager.default.removeItem(at: path)
            #expect(try await Self.get("/media/large.mp4", range: "bytes=1000-1999", port: port).status == 404)
        }
    }

    @Test func onlyLargeFilesAreKeptAndForAtMostAMinuteUnused() throws {
        let scratch = try TemporaryDirectory(prefix: "open-files")
        try Self.largeBytes(seed: 1).write(to: scratch.appending("large.mp4"))
        try Data("small".utf8).write(to: scratch.appending("small.mp4"))
        let root = try ServedRoot(path: scratch.path)
        let cache = OpenFileCache(keepingFilesLargerThan: 1 << 20)

        let large = try #require(cache.file(at: "large.mp4", in: root, now: 1000))
        #expect(cache.file(at: "large.mp4", in: root, now: 1010) === large)
        #expect(try #require(cache.file(at: "small.mp4", in: root, now: 1010)).size == 5)
        #expect(cache.file(at: "missing.mp4", in: root, now: 1010) == nil)
        #expect(cache.count == 1)
        // Used last at 1010: still kept at 1069, closed by the first lookup from 1070 on.
        #expect(cache.file(at: "small.mp4", in: root, now: 1069) != nil && cache.count == 1)
        #expect(cache.file(at: "small.mp4", in: root, now: 1070) != nil && cache.count == 0)
        #expect(cache.file(at: "large.mp4", in: root, now: 1071) !== large)
    }

    @Test func atMostCapacityDescriptorsAreOpen() throws {
        let scratch = try TemporaryDirectory(prefix: "open-files")
        let bytes = Self.largeBytes(seed: 1, count: 4096)
        for index in 0..<10 { try bytes.write(to: scratch.appending("file-\(index).mp4")) }
        let root = try ServedRoot(path: scratch.path)
        let cache = OpenFileCache(keepingFilesLargerThan: 1024, capacity: 4)
        for index in 0..<10 {
            #expect(cache.file(at: "file-\(index).mp4", in: root, now: 1000) != nil)
            #expect(cache.count <= 4)
        }
    }
}
