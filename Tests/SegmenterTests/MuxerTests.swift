import Foundation
import ReelTestSupport
import Testing
@testable import Segmenter

@Suite("Muxer and in-memory output")
struct MuxerTests {
    /// Remuxes every packet of `fixture` into fragmented MP4 in memory, one fragment per keyframe.
    private func remux(_ fixture: String) throws -> (header: [UInt8], fragments: [[UInt8]], packets: Int) {
        let demuxer = try Demuxer(url: Fixture.path(fixture))
        let output = MemoryOutput()
        let muxer = try Muxer(format: "mp4", output: output)
        for stream in demuxer.streams {
            try muxer.addStream(copying: demuxer.codecParameters(ofStream: stream.index), timeBase: stream.timeBase)
        }
        try muxer.writeHeader(options: ["movflags": "+frag_custom+empty_moov+default_base_moof"])
        let header = output.take()
        var fragments: [[UInt8]] = []
        var count = 0
        let packet = Packet()
        while try demuxer.read(into: packet) {
            let stream = demuxer.streams[packet.streamIndex]
            if stream.type == .video, packet.isKeyframe, count > 0 {
                try muxer.flush()
                fragments.append(output.take())
            }
            packet.rescaleTimestamps(from: stream.timeBase, to: muxer.timeBase(ofStream: packet.streamIndex))
            try muxer.write(packet)
            count += 1
        }
        try muxer.flush()
        fragments.append(output.take())
        try muxer.writeTrailer()
        _ = output.take()
        return (header, fragments, count)
    }

    @Test func fragmentedMP4InMemoryIsPlayable() async throws {
        let (header, fragments, packets) = try remux("h264-aac.mp4")
        #expect(Array(header[4..<8]) == Array("ftyp".utf8))
        #expect(fragments.count == 5, "one fragment per 2 s GOP of a 10 s input")
        for fragment in fragments.filter({ !$0.isEmpty }) {
            #expect(String(decoding: fragment[4..<8], as: UTF8.self) == "moof")
        }
        let scratch = try TemporaryDirectory()
        let url = scratch.appending("remuxed.mp4")
        try Data(header + fragments.joined()).write(to: url)
        let reference = try await FFprobe.packets(Fixture.path("h264-aac.mp4"))
        let remuxed = try await FFprobe.packets(url.path)
        #expect(remuxed.count == packets)
        #expect(remuxed.count == reference.count)
        #expect(remuxed.filter(\.isKeyframe).count == reference.filter(\.isKeyframe).count)
    }

    @Test func unknownMuxerOptionIsAnError() throws {
        let demuxer = try Demuxer(url: Fixture.path("h264-aac.mp4"))
        let muxer = try Muxer(format: "mp4", output: MemoryOutput())
        try muxer.addStream(copying: demuxer.codecParameters(ofStream: 0), timeBase: demuxer.streams[0].timeBase)
        let error = try #require(throws: FFmpegError.self) { try muxer.writeHeader(options: ["movflags": "+frag_custom+empty_moov", "no_such_option": "1"]) }
        #expect(error.call.contains("no_such_option"), "\(error)")
    }

    @Test func unknownFormatIsAnError() {
        #expect(throws: FFmpegError.self) { try Muxer(format: "no-such-format", output: MemoryOutput()) }
    }

    @Test func unwritablePathIsAnError() throws {
        let error = try #require(throws: FFmpegError.self) { try Muxer(format: "mp4", path: "/nonexistent/dir/out.mp4") }
        #expect(error.call == "avio_open")
        #expect(error.posixErrorCode == ENOENT)
    }
}
