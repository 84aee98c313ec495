import Foundation
@testable import HLSServer
import ReelTestSupport
import Testing

/// The media list's durations, read from `moov/mvhd` without FFmpeg.
@Suite("MP4 duration from the movie header")
struct MP4DurationTests {
    /// Reads `bytes` written to a file, through a served root as the media list does.
    static func duration(of bytes: Data) throws -> Double? {
        let scratch = try TemporaryDirectory(prefix: "mp4-duration")
        try bytes.write(to: scratch.appending("movie.mp4"))
        let file = try #require(try ServedRoot(path: scratch.path).openFile(["movie.mp4"]))
        return MP4Duration.read(file)
    }

    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        bigEndian(UInt64(8 + payload.count), bytes: 4) + Array(type.utf8) + payload
    }

    static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    /// mvhd: version, flags, times, timescale, duration (the rest of the box is not read).
    static func movieHeader(version: UInt8, timescale: UInt64, duration: UInt64) -> [UInt8] {
        let size = version == 1 ? 8 : 4
        return box("mvhd", [version, 0, 0, 0] + bigEndian(0, bytes: size * 2) + bigEndian(timescale, bytes: 4) + bigEndian(duration, bytes: size) + [UInt8](repeating: 0, count: 80))
    }

    static let fileType = box("ftyp", Array("isom".utf8) + [0, 0, 2, 0])

    @Test(arguments: [("h264-aac.mp4", 10.0), ("moov-at-end.mp4", 6.0), ("audio-only.m4a", 8.0), ("h264-aac-30s.mp4", 24.0)])
    func fixtures(name: String, seconds: Double) throws {
        let duration = try #require(try Self.duration(of: Data(contentsOf: Fixture.url(name))))
        #expect(abs(duration - seconds) < 0.1, "\(name): \(duration)")
    }

    @Test(arguments: ["empty.mp4", "text-as.mp4", "truncated.mp4", "h264-aac.mkv", "h264-aac.ts"])
    func noMovieHeader(name: String) throws {
        #expect(try Self.duration(of: Data(contentsOf: Fixture.url(name))) == nil)
    }

    @Test func version1Header() throws {
        let file = Self.fileType + Self.box("moov", Self.movieHeader(version: 1, timescale: 90_000, duration: 90_000 * 7200))
        #expect(try Self.duration(of: Data(file)) == 7200)
    }

    @Test func fragmentedFileGivesItsDurationInMovieExtends() throws {
        let extends = Self.box("mvex", Self.box("mehd", [0, 0, 0, 0] + Self.bigEndian(12_500, bytes: 4)))
        let file = Self.fileType + Self.box("moov", Self.movieHeader(version: 0, timescale: 1000, duration: 0) + extends)
        #expect(try Self.duration(of: Data(file)) == 12.5)
    }

    @Test func largeSizeBoxesAreSkipped() throws {
        // An mdat with a 64-bit size before moov, as in a large moov-at-end file.
        let media = Self.bigEndian(1, bytes: 4) + Array("mdat".utf8) + Self.bigEndian(16 + 100, bytes: 8) + [UInt8](repeating: 0, count: 100)
        let file = Self.fileType + media + Self.box("moov", Self.movieHeader(version: 0, timescale: 600, duration: 1800))
        #expect(try Self.duration(of: Data(file)) == 3)
    }

    @Test func malformedSizesEndTheWalk() throws {
        // A box claiming more bytes than the file has, and one smaller than its own header.
        let tooLong = Self.bigEndian(1 << 30, bytes: 4) + Array("free".utf8)
        #expect(try Self.duration(of: Data(Self.fileType + tooLong + Self.box("moov", Self.movieHeader(version: 0, timescale: 1, duration: 1)))) == nil)
        let tooShort = Self.bigEndian(4, bytes: 4) + Array("free".utf8)
        #expect(try Self.duration(of: Data(Self.fileType + tooShort)) == nil)
        #expect(try Self.duration(of: Data(Self.fileType + Self.box("moov", Self.movieHeader(version: 0, timescale: 0, duration: 10)))) == nil)
    }
}
