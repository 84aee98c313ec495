import Foundation
import Testing
import HLSPlaylist

@Suite("File system source")
struct FileSystemPlaylistSourceTests {
    /// Writes the in-memory asset of the tree tests to a fresh temporary directory.
    func writeAsset() throws -> URL {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("reel-hlsplaylist-\(UUID().uuidString)")
            .appendingPathComponent("clip")
        for (path, data) in PlaylistTreeValidatorTests.asset() {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        return root
    }

    @Test("sizes and contents of files; directories and missing files have no size")
    func sizes() async throws {
        let root = try writeAsset()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let source = FileSystemPlaylistSource(root: root)
        #expect(try await source.size(of: "720p/seg-00000.m4s") == 1000)
        #expect(try await source.size(of: "720p") == nil)
        #expect(try await source.size(of: "missing.ts") == nil)
        #expect(try await source.contents(of: "master.m3u8") == Data(PlaylistTreeValidatorTests.master.render().utf8))
        await #expect(throws: FileSystemPlaylistSource.PathOutsideRoot.self) { try await source.contents(of: "../x") }
        await #expect(throws: FileSystemPlaylistSource.PathOutsideRoot.self) { try await source.size(of: "/etc/passwd") }
    }

    @Test("validating an asset directory or a playlist on disk")
    func validateOnDisk() async throws {
        let root = try writeAsset()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        #expect(await PlaylistTreeValidator.validate(fileSystemPath: root.path).isEmpty)
        #expect(await PlaylistTreeValidator.validate(fileSystemPath: root.path + "/").isEmpty)
        #expect(await PlaylistTreeValidator.validate(fileSystemPath: root.appendingPathComponent("master.m3u8").path).isEmpty)

        try FileManager.default.removeItem(at: root.appendingPathComponent("copy/media.m4s"))
        let violations = await PlaylistTreeValidator.validate(fileSystemPath: root.path)
        #expect(violations.map(\.file) == [root.path + "/copy/index.m3u8"])
        let fromPlaylist = await PlaylistTreeValidator.validate(fileSystemPath: root.appendingPathComponent("copy/index.m3u8").path)
        #expect(fromPlaylist.map(\.file) == [root.path + "/copy/index.m3u8"])

        let missing = await PlaylistTreeValidator.validate(fileSystemPath: root.path + "/nope.m3u8")
        #expect(missing.map(\.description) == [root.path + "/nope.m3u8: no such file or directory"])
    }
}
