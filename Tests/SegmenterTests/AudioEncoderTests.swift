import Foundation
import ReelTestSupport
import Testing
@testable import Segmenter

@Suite("Audio resampling and AAC encoding")
struct AudioEncoderTests {
    @Test("the fixture's audio resampled and encoded to AAC-LC keeps its duration", arguments: [48_000, 44_100])
    func resampleAndEncode(sampleRate: Int) async throws {
        let demuxer = try Demuxer(url: Fixture.path("h264-aac.mp4"))
        let stream = try #require(demuxer.streams.first { $0.type == .audio })
        demuxer.keepOnly(streams: [stream.index])
        let decoder = try Decoder(parameters: demuxer.codecParameters(ofStream: stream.index), timeBase: stream.timeBase)
        let scratch = try TemporaryDirectory()
        let path = scratch.appending("audio.m4a").path
        let muxer = try Muxer(format: "mp4", path: path)
        let encoder = try AudioEncoder(settings: .init(sampleRate: sampleRate, globalHeader: muxer.wantsGlobalHeader))
        #expect(encoder.frameSize == 1024)
        #expect(encoder.timeBase == Rational(1, Int32(sampleRate)))
        let resampler = try AudioResampler(input: decoder.audioFormat, output: encoder.inputFormat)
        let output = try muxer.addStream(copying: encoder.codecParameters(), timeBase: encoder.timeBase)
        try muxer.writeHeader()

        let frame = Frame()
        let encoded = Packet()
        var samplesIn = 0
        var packets = 0
        func write() throws -> ReceiveResult {
            while true {
                let result = try encoder.receive(into: encoded)
                guard result == .received else { return result }
                packets += 1
                encoded.setStreamIndex(output)
                encoded.rescaleTimestamps(from: encoder.timeBase, to: muxer.timeBase(ofStream: output))
                try muxer.write(encoded)
            }
        }
        func encodeDecoded() throws {
            while try decoder.receive(into: frame) == .received {
                let converted = try resampler.convert(frame)
                samplesIn += converted.sampleCount
                try encoder.send(converted)
                #expect(try write() == .needsInput)
            }
        }
        try decoder.feed(from: demuxer, stream: stream.index) { _ in try encodeDecoded() }
        if let rest = try resampler.flush() {
            samplesIn += rest.sampleCount
            try encoder.send(rest)
        }
        encoder.flush()
        #expect(try write() == .endOfStream)
        #expect(throws: FFmpegError.self) { try encoder.send(Frame(sampleCount: 16, format: encoder.inputFormat)) }
        try muxer.writeTrailer()

        let frameDuration = 1024.0 / Double(sampleRate)
        let decodedSeconds = Double(samplesIn) / Double(sampleRate)
        #expect(abs(decodedSeconds - 10) <= frameDuration, "\(samplesIn) samples")
        let info = try await FFprobe.formatAndStreams(path)
        let audio = try #require((info["streams"] as? [[String: Any]])?.first)
        #expect(audio["codec_name"] as? String == "aac")
        #expect(audio["profile"] as? String == "LC")
        #expect(audio["sample_rate"] as? String == String(sampleRate))
        #expect(audio["channels"] as? Int == 2)
        #expect(audio["channel_layout"] as? String == "stereo")
        let duration = try #require(Double(audio["duration"] as? String ?? ""))
        #expect(abs(duration - 10) <= frameDuration, "encoded duration \(duration)")
        let probedPackets = try await FFprobe.packets(path, streams: "a:0")
        #expect(probedPackets.count == packets)
        // 128 kb/s give or take the rate control of a 10 s sine wave.
        let bitRate = try #require(Double(audio["bit_rate"] as? String ?? ""))
        #expect(bitRate > 64_000 && bitRate < 160_000, "\(bitRate)")
    }

    @Test func assemblerRegroupsIntoWholeFrames() throws {
        let format = AudioFormat(sampleRate: 48_000, channelCount: 2, sampleFormat: .floatPlanar)
        let assembler = try AudioFrameAssembler(format: format, startTimestamp: 960)
        for count in [1000, 300, 50, 700] {
            try assembler.push(Frame(sampleCount: count, format: format))
        }
        #expect(assembler.bufferedSampleCount == 2050)
        let first = try #require(try assembler.pop(sampleCount: 1024))
        let second = try #require(try assembler.pop(sampleCount: 1024))
        #expect(try assembler.pop(sampleCount: 1024) === nil)
        let last = try #require(try assembler.pop(sampleCount: 1024, allowShort: true))
        #expect(try assembler.pop(sampleCount: 1024, allowShort: true) === nil)
        #expect([first.sampleCount, second.sampleCount, last.sampleCount] == [Int]([1024, 1024, 2]))
        #expect([first.pts, second.pts, last.pts] == [Int64?]([960, 1984, 3008]))
        #expect(last.audioFormat == AudioFormat(sampleRate: 48_000, channelCount: 2, sampleFormat: .floatPlanar, channelMask: 3))
        #expect(assembler.nextTimestamp == 3010)
    }

    @Test func assemblerRefusesAnotherFormat() throws {
        let assembler = try AudioFrameAssembler(format: AudioFormat(sampleRate: 48_000, channelCount: 2, sampleFormat: .floatPlanar))
        let mono = try Frame(sampleCount: 10, format: AudioFormat(sampleRate: 48_000, channelCount: 1, sampleFormat: .floatPlanar))
        let error = #expect(throws: FFmpegError.self) { try assembler.push(mono) }
        #expect(error?.call.hasPrefix("av_audio_fifo_write(") == true)
    }

    @Test func resamplerConvertsRateLayoutAndFormat() throws {
        let input = AudioFormat(sampleRate: 44_100, channelCount: 1, sampleFormat: .signed16)
        let output = AudioFormat(sampleRate: 48_000, channelCount: 2, sampleFormat: .floatPlanar)
        let resampler = try AudioResampler(input: input, output: output)
        var total = 0
        for _ in 0..<10 {
            let source = try Frame(sampleCount: 4410, format: input)
            let converted = try resampler.convert(source)
            #expect(converted.audioFormat.channelCount == 2 && converted.sampleFormat == .floatPlanar && converted.sampleRate == 48_000)
            total += converted.sampleCount
        }
        total += try resampler.flush()?.sampleCount ?? 0
        #expect(abs(total - 48_000) <= 1, "one second in, one second out: \(total)")
        let wrong = try Frame(sampleCount: 10, format: output)
        #expect(throws: FFmpegError.self) { try resampler.convert(wrong) }
    }

    @Test(arguments: [
        (AudioEncoder.Settings(sampleRate: 12_345), "avcodec_open2"),
        (AudioEncoder.Settings(channelCount: 0), "av_audio_fifo_alloc(48000 Hz 0 channels fltp)"),
    ])
    func invalidSettingsAreAnError(_ settings: AudioEncoder.Settings, call: String) {
        let error = #expect(throws: FFmpegError.self) { try AudioEncoder(settings: settings) }
        #expect(error?.call == call, "\(String(describing: error))")
    }
}
