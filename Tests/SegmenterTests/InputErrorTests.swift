import Foundation
import ReelTestSupport
import Testing
@testable import Segmenter

@Suite("Bad inputs give precise errors")
struct InputErrorTests {
    @Test(arguments: Fixture.bad.map(\.name))
    func badFixtureIsRefused(name: String) throws {
        let expected = Fixture.bad.first { $0.name == name }!.reason
        let error = try #require(throws: InputError.self) { try MediaProbe.probe(path: Fixture.path(name)) }
        #expect(error.description.hasPrefix(Fixture.path(name) + ": "))
        #expect(error.description.contains(expected), "\(error.description)")
        #expect(!error.description.contains("\n"))
    }

    @Test func missingFile() throws {
        let error = try #require(throws: InputError.self) { try MediaProbe.probe(path: "/nonexistent/clip.mp4") }
        #expect(error.reason == .notFound)
        #expect(error.description == "/nonexistent/clip.mp4: no such file")
    }

    @Test func directory() throws {
        let error = try #require(throws: InputError.self) { try MediaProbe.probe(path: Fixture.path("")) }
        #expect(error.reason == .isDirectory)
    }

    @Test func unreadableFile() throws {
        // Root reads any file regardless of mode, so only check when the denial is real.
        let scratch = try TemporaryDirectory()
        let url = scratch.appending("locked.mp4")
        try Data(contentsOf: Fixture.url("h264-aac.mp4")).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: url.path)
        guard open(url.path, O_RDONLY) < 0 else { return }
        let error = try #require(throws: InputError.self) { try MediaProbe.probe(path: url.path) }
        #expect(error.description.contains("cannot be read"))
    }

    @Test func colonInNameIsNotAProtocol() throws {
        let scratch = try TemporaryDirectory()
        let url = scratch.appending("http:clip.mp4")
        try Data(contentsOf: Fixture.url("h264-aac.mp4")).write(to: url)
        #expect(try MediaProbe.probe(path: url.path).streams.count == 2)
    }
}
