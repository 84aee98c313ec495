import CFFmpeg
import ReelTestSupport
import Testing
@testable import Segmenter

@Suite("Decoder and Frame")
struct DecoderTests {
    /// Decodes every frame of the first stream of `type` in `fixture`; returns the frame count.
    private func decodeAll(_ fixture: String, type: MediaType, check: (Frame) -> Void = { _ in }) throws -> Int {
        let demuxer = try Demuxer(url: Fixture.path(fixture))
        let stream = try #require(demuxer.streams.first { $0.type == type })
        demuxer.keepOnly(streams: [stream.index])
        let decoder = try Decoder(parameters: demuxer.codecParameters(ofStream: stream.index), timeBase: stream.timeBase)
        #expect(decoder.mediaType == type)
        let frame = Frame()
        var count = 0
        func drain() throws -> ReceiveResult {
            while true {
                let result = try decoder.receive(into: frame)
                guard result == .received else { return result }
                count += 1
                check(frame)
            }
        }
        try decoder.feed(from: demuxer, stream: stream.index) { flushed in
            let result = try drain()
            #expect(result == (flushed ? .endOfStream : .needsInput))
        }
        try decoder.flush()  // a second flush is harmless
        return count
    }

    @Test("every video frame is decoded, as ffprobe counts them", arguments: ["h264-aac.mp4", "hevc-aac.mp4", "vp9-opus.webm", "h264-aac.ts"])
    func decodesEveryVideoFrame(fixture: String) async throws {
        let reference = try await FFprobe.decodedFrameCount(Fixture.path(fixture), streams: "v:0")
        var previous: Int64 = .min
        var sizes: Set<VideoDimensions> = []
        let count = try decodeAll(fixture, type: .video) { frame in
            sizes.insert(VideoDimensions(width: frame.width, height: frame.height))
            let pts = frame.bestEffortTimestamp ?? .min
            #expect(pts > previous, "presentation order")
            previous = pts
        }
        #expect(count == reference)
        #expect(sizes.count == 1)
    }

    @Test func videoFramesDescribeThemselves() throws {
        let demuxer = try Demuxer(url: Fixture.path("h264-aac.mp4"))
        let stream = demuxer.streams[0]
        #expect(stream.sampleAspectRatio == Rational(1, 1))
        let decoder = try Decoder(parameters: demuxer.codecParameters(ofStream: 0), timeBase: stream.timeBase)
        #expect(decoder.decoderName == "h264")
        #expect((decoder.width, decoder.height) == (640, 360))
        #expect(decoder.pixelFormat == .yuv420p)
        var keyframes = 0
        let count = try decodeAll("h264-aac.mp4", type: .video) { frame in
            #expect(frame.pixelFormat == .yuv420p)
            #expect((frame.width, frame.height) == (640, 360))
            #expect(frame.sampleCount == 0)
            if frame.isKeyframe {
                keyframes += 1
                #expect(frame.requestsKeyframe, "a decoded I picture reads as a keyframe request")
            }
        }
        #expect(count == 250)
        #expect(keyframes == 5)
    }

    @Test func audioFramesDescribeThemselves() throws {
        var samples = 0
        let count = try decodeAll("h264-aac.mp4", type: .audio) { frame in
            #expect(frame.audioFormat == AudioFormat(sampleRate: 48_000, channelCount: 2, sampleFormat: .floatPlanar, channelMask: 3))
            #expect(frame.width == 0)
            samples += frame.sampleCount
        }
        #expect(count > 0)
        // 10 s at 48 kHz, give or take the encoder priming the decoder drops.
        #expect(abs(samples - 480_000) <= 1024, "\(samples)")
    }

    @Test func keyframeRequestIsThePictureType() {
        let frame = Frame()
        #expect(!frame.requestsKeyframe)
        frame.requestsKeyframe = true
        #expect(frame.pointer.pointee.pict_type == AV_PICTURE_TYPE_I)
        frame.requestsKeyframe = false
        #expect(frame.pointer.pointee.pict_type == AV_PICTURE_TYPE_NONE)
        #expect(frame.pts == nil)
        frame.pts = 42
        #expect(frame.pts == 42)
    }

    @Test func codecWithoutDecoderIsAnError() throws {
        let demuxer = try Demuxer(url: Fixture.path("h264-aac.mp4"))
        let parameters = try demuxer.codecParameters(ofStream: 1)
        // SCTE-35 cue messages: a codec ID FFmpeg has no decoder for.
        parameters.pointer.pointee.codec_type = AVMEDIA_TYPE_DATA
        parameters.pointer.pointee.codec_id = AV_CODEC_ID_SCTE_35
        let error = try #require(throws: FFmpegError.self) {
            try Decoder(parameters: parameters, timeBase: Rational(1, 90_000))
        }
        #expect(error.call == "avcodec_find_decoder(scte_35)")
        #expect(error.code == REEL_AVERROR_DECODER_NOT_FOUND)
    }
}
