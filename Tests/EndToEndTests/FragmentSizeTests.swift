import Foundation
import ISOBMFF
import ReelTestSupport
import Testing

/// The fMP4 muxer holds a fragment in memory until it ends, so a fragment ends at every video
/// keyframe and once it holds a mebibyte of samples: a high bit rate input with long GOPs is cut
/// into many small fragments, and still plays frame for frame.
@Suite("fMP4 fragments stay small")
struct FragmentSizeTests {
    @Test func fragmentsEndAtAMebibyteOfSamples() async throws {
        let scratch = try TemporaryDirectory(prefix: "fragments")
        // 24 Mb/s with a keyframe every 2 s: GOPs of about 6 MB.
        let input = scratch.appending("dense.mp4")
        let made = try await ProcessRunner.run("ffmpeg", [
            "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=4",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-b:v", "24M", "-maxrate", "24M", "-bufsize", "24M", input.path,
        ])
        try #require(made.status == 0, "\(made.stderrText)")
        let library = scratch.appending("library")
        let ingest = try await ReelBinary.run(["ingest", input.path, "--library", library.path, "--name", "dense", "--segment-duration", "2"])
        try #require(ingest.status == 0, "\(ingest.stderrText)")

        let segment = try [UInt8](Data(contentsOf: library.appendingPathComponent("dense/copy/seg-00001.m4s")))
        let boxes = BoxWalker.boxes(in: 0..<Int64(segment.count)) { offset, count in
            Array(segment[Int(offset)..<min(segment.count, Int(offset) + count)])
        }
        let mdats = boxes.filter { $0.type == "mdat" }
        #expect(boxes.filter { $0.type == "moof" }.count == mdats.count)
        #expect(mdats.count >= 4, "a segment of \(segment.count) bytes in \(mdats.count) fragments")
        // A fragment ends before the first picture past the mebibyte: at most one picture more.
        #expect(mdats.allSatisfy { $0.payload.count < 2 << 20 }, "\(mdats.map(\.payload.count))")

        #expect(try await ReelBinary.run(["validate", library.appendingPathComponent("dense").path]).status == 0)
        let played = try await FrameHashes.of(library.appendingPathComponent("dense/master.m3u8").path, stream: "0:v:0")
        #expect(played == (try await FrameHashes.of(input.path, stream: "0:v:0")))
    }
}
