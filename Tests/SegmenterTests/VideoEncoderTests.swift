import Foundation
import ReelTestSupport
import Testing
@testable import Segmenter

@Suite("Video scaling and H.264 encoding")
struct VideoEncoderTests {
    /// Decodes the first `seconds` of the fixture's video, scales it to `rung` and encodes it
    /// with an IDR forced every `interval` seconds, muxing into an MP4 at `path`.
    /// Returns the number of frames encoded.
    private func transcode(_ fixture: String, seconds: Double, rung height: Int, interval: Double, to path: String) throws -> Int {
        let demuxer = try Demuxer(url: Fixture.path(fixture))
        let stream = try #require(demuxer.streams.first { $0.type == .video })
        demuxer.keepOnly(streams: [stream.index])
        let decoder = try Decoder(parameters: demuxer.codecParameters(ofStream: stream.index), timeBase: stream.timeBase)
        let target = try #require(VideoDimensions.rung(
            height: height, source: VideoDimensions(width: stream.width, height: stream.height), sampleAspectRatio: stream.sampleAspectRatio
        ))
        let scaler = try VideoScaler(sourceWidth: decoder.width, sourceHeight: decoder.height, sourceFormat: decoder.pixelFormat, target: target)
        let muxer = try Muxer(format: "mp4", path: path)
        let encoder = try VideoEncoder(settings: .init(
            dimensions: target, timeBase: stream.timeBase, frameRate: stream.averageFrameRate,
            bitRate: 300_000, keyframeInterval: 250, preset: "veryfast", globalHeader: muxer.wantsGlobalHeader
        ))
        let output = try muxer.addStream(copying: encoder.codecParameters(), timeBase: encoder.timeBase)
        try muxer.writeHeader()

        let ticksPerInterval = interval / stream.timeBase.doubleValue
        var nextKeyframe: Int64 = 0  // grid index
        var encoded = 0
        let frame = Frame()
        let outputPacket = Packet()
        func write() throws -> ReceiveResult {
            while true {
                let result = try encoder.receive(into: outputPacket)
                guard result == .received else { return result }
                outputPacket.setStreamIndex(output)
                outputPacket.rescaleTimestamps(from: encoder.timeBase, to: muxer.timeBase(ofStream: output))
                try muxer.write(outputPacket)
            }
        }
        func encodeDecoded() throws {
            while try decoder.receive(into: frame) == .received {
                let pts = try #require(frame.bestEffortTimestamp)
                guard Double(pts) * stream.timeBase.doubleValue < seconds else { continue }
                let picture = try scaler.scale(frame)
                #expect(!picture.requestsKeyframe, "the scaler drops the decoder's picture type")
                if Double(pts) >= Double(nextKeyframe) * ticksPerInterval {
                    picture.requestsKeyframe = true
                    nextKeyframe += 1
                }
                try encoder.send(picture)
                encoded += 1
                #expect(try write() == .needsInput)
            }
        }
        try decoder.feed(from: demuxer, stream: stream.index) { _ in try encodeDecoded() }
        try encoder.flush()
        #expect(try write() == .endOfStream)
        try muxer.writeTrailer()
        return encoded
    }

    @Test("240p with IDRs forced every second: keyframes exactly on the grid", arguments: [(240, 426), (180, 320)])
    func forcedKeyframesOnTheGrid(height: Int, width: Int) async throws {
        let scratch = try TemporaryDirectory()
        let path = scratch.appending("rung.mp4").path
        let frames = try transcode("h264-aac.mp4", seconds: 3, rung: height, interval: 1, to: path)
        #expect(frames == 75)

        let packets = try await FFprobe.packets(path, streams: "v:0")
        #expect(packets.count == frames)
        let keyframeTimes = packets.filter(\.isKeyframe).compactMap(\.ptsTime).sorted()
        #expect(keyframeTimes == [0, 1, 2], "\(keyframeTimes)")

        let info = try await FFprobe.formatAndStreams(path)
        let video = try #require((info["streams"] as? [[String: Any]])?.first)
        #expect(video["codec_name"] as? String == "h264")
        #expect(video["width"] as? Int == width)
        #expect(video["height"] as? Int == height)
        #expect(video["pix_fmt"] as? String == "yuv420p")
        #expect(video["profile"] as? String == "High")
        #expect(parseRational(video["avg_frame_rate"] as? String) == 25)

        // The three I pictures are the three key frames, in display order at 0, 1 and 2 s: no
        // scene-cut or source keyframe slipped in, and each forced I is a decoder keyframe (IDR).
        let probed = try await ProcessRunner.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=key_frame,pict_type", "-of", "csv=p=0", path])
        let pictures = probed.stdoutText.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(pictures.count == 75)
        let intra = pictures.indices.filter { pictures[$0].count > 1 && pictures[$0][1] == "I" }
        let key = pictures.indices.filter { pictures[$0].first == "1" }
        #expect(intra == [0, 25, 50])
        #expect(key == [0, 25, 50])
    }

    @Test func scalerKeepsTimestampsAndReusesItsFrame() throws {
        let source = try Frame(width: 64, height: 36, format: .yuv420p)
        source.pts = 1234
        source.requestsKeyframe = true
        let scaler = try VideoScaler(sourceWidth: 64, sourceHeight: 36, sourceFormat: .yuv420p, target: VideoDimensions(width: 32, height: 18))
        let first = try scaler.scale(source)
        #expect((first.width, first.height, first.pixelFormat) == (32, 18, .yuv420p))
        #expect(first.pts == 1234)
        #expect(!first.requestsKeyframe)
        // A source that changes size mid-stream gets a new context, same output size.
        let bigger = try Frame(width: 128, height: 72, format: PixelFormat(name: "nv12")!)
        let second = try scaler.scale(bigger)
        #expect(second === first)
        #expect((second.width, second.height, second.pixelFormat) == (32, 18, .yuv420p))
    }

    @Test func impossibleScalerIsAnError() {
        let error = #expect(throws: FFmpegError.self) {
            try VideoScaler(sourceWidth: 0, sourceHeight: 0, sourceFormat: .yuv420p, target: VideoDimensions(width: 32, height: 18))
        }
        #expect(error?.call.hasPrefix("sws_getContext") == true)
    }

    static let invalidSettings: [(String, VideoEncoder.Settings, String)] = [
        ("odd width", .init(dimensions: VideoDimensions(width: 425, height: 240), timeBase: Rational(1, 25), frameRate: Rational(25, 1), bitRate: 300_000, keyframeInterval: 50), "avcodec_open2"),
        ("zero size", .init(dimensions: VideoDimensions(width: 0, height: 0), timeBase: Rational(1, 25), frameRate: Rational(25, 1), bitRate: 300_000, keyframeInterval: 50), "avcodec_open2"),
        ("unknown preset", .init(dimensions: VideoDimensions(width: 426, height: 240), timeBase: Rational(1, 25), frameRate: Rational(25, 1), bitRate: 300_000, keyframeInterval: 50, preset: "warp-speed"), "avcodec_open2"),
        ("unknown profile", .init(dimensions: VideoDimensions(width: 426, height: 240), timeBase: Rational(1, 25), frameRate: Rational(25, 1), bitRate: 300_000, keyframeInterval: 50, profile: "ultra"), "avcodec_open2"),
    ]

    @Test(arguments: invalidSettings)
    func invalidSettingsAreAnError(_ name: String, settings: VideoEncoder.Settings, call: String) {
        let error = #expect(throws: FFmpegError.self, "\(name)") { try VideoEncoder(settings: settings) }
        #expect(error?.call == call, "\(name): \(String(describing: error))")
    }

    @Test func frameOfTheWrongSizeIsRefused() throws {
        let encoder = try VideoEncoder(settings: .init(
            dimensions: VideoDimensions(width: 320, height: 180), timeBase: Rational(1, 25), frameRate: Rational(25, 1),
            bitRate: 200_000, keyframeInterval: 50, preset: "ultrafast"
        ))
        let frame = try Frame(width: 426, height: 240, format: .yuv420p)
        let error = #expect(throws: FFmpegError.self) { try encoder.send(frame) }
        #expect(error?.call.hasPrefix("avcodec_send_frame(426x240") == true)
        #expect(encoder.settings.maxRate == 220_000)
        #expect(encoder.settings.bufferSize == 440_000)
    }
}
