import Foundation
import ReelTestSupport
import Testing
@testable import Segmenter

/// `MediaProbe` against ffprobe, field by field, on every good fixture.
@Suite("Probe matches ffprobe")
struct ProbeTests {
    @Test(arguments: Fixture.good)
    func matchesFFprobe(fixture: String) async throws {
        let path = Fixture.path(fixture)
        let report = try MediaProbe.probe(path: path)
        let reference = try await FFprobe.formatAndStreams(path)
        let format = try #require(reference["format"] as? [String: Any])
        let streams = try #require(reference["streams"] as? [[String: Any]])

        let expectedDuration = try #require(Double(format["duration"] as? String ?? ""))
        let duration = try #require(report.duration)
        #expect(abs(duration - expectedDuration) <= 0.001, "duration \(duration) vs ffprobe \(expectedDuration)")
        #expect(report.size == Int64(format["size"] as? String ?? ""))
        #expect(report.container == format["format_name"] as? String)
        #expect(report.streams.count == streams.count)

        let packets = try await FFprobe.packets(path)
        for (ours, theirs) in zip(report.streams, streams) {
            #expect(ours.codec == theirs["codec_name"] as? String)
            #expect(ours.type.rawValue == theirs["codec_type"] as? String)
            #expect(ours.packets == Int(theirs["nb_read_packets"] as? String ?? ""), "packets of stream \(ours.index)")
            if ours.type == .video {
                #expect(ours.width == theirs["width"] as? Int)
                #expect(ours.height == theirs["height"] as? Int)
                #expect(ours.pixelFormat == theirs["pix_fmt"] as? String)
                #expect(close(ours.averageFrameRate, parseRational(theirs["avg_frame_rate"] as? String)))
                #expect(close(ours.realFrameRate, parseRational(theirs["r_frame_rate"] as? String)))
                let keyframes = packets.filter { $0.streamIndex == ours.index && $0.isKeyframe }.count
                #expect(ours.keyframes == keyframes, "keyframes of stream \(ours.index)")
            }
            if ours.type == .audio {
                #expect(ours.sampleRate == Int(theirs["sample_rate"] as? String ?? ""))
                #expect(ours.channels == theirs["channels"] as? Int)
            }
            if let profile = theirs["profile"] as? String { #expect(ours.profile == profile) }
        }
    }

    @Test func h264FixtureIsHighAtLevel3WithTwoSecondGOP() throws {
        let report = try MediaProbe.probe(path: Fixture.path("h264-aac.mp4"))
        let video = try #require(report.streams.first { $0.type == .video })
        #expect(video.codecString == "avc1.64001e")
        #expect(video.profile == "High")
        #expect(video.level == 30)
        #expect(video.hasBFrames == true)
        let interval = try #require(video.keyframeInterval)
        #expect(abs(interval.min - 2) < 0.001 && abs(interval.max - 2) < 0.001 && abs(interval.avg - 2) < 0.001)
        let audio = try #require(report.streams.first { $0.type == .audio })
        #expect(audio.codecString == "mp4a.40.2")
        #expect(report.faststart == true)
    }

    @Test func sparseKeyframesAreMeasured() throws {
        let report = try MediaProbe.probe(path: Fixture.path("sparse-keyframes.mp4"))
        let interval = try #require(report.streams.first { $0.type == .video }?.keyframeInterval)
        #expect(interval.min > 6, "GOP longer than the default segment duration")
    }

    @Test func faststartIsDetected() throws {
        #expect(try MediaProbe.probe(path: Fixture.path("moov-at-end.mp4")).faststart == false)
        #expect(try MediaProbe.probe(path: Fixture.path("h264-aac.mkv")).faststart == nil)
    }

    @Test func audioOnlyHasNoVideoFields() throws {
        let report = try MediaProbe.probe(path: Fixture.path("audio-only.m4a"))
        #expect(report.streams.map(\.type) == [.audio])
        #expect(report.streams[0].keyframes == nil)
        #expect(report.streams[0].width == nil)
    }

    private func close(_ value: Double?, _ reference: Double?) -> Bool {
        switch (value, reference) {
        case (nil, nil): true
        case let (value?, reference?): abs(value - reference) < 0.001
        default: false
        }
    }
}
