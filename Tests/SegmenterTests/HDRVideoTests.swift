import CFFmpeg
import Foundation
import HLSPlaylist
import ReelTestSupport
import Testing
@testable import Segmenter

@Suite("HDR: colour description, HDR10 metadata and 10-bit HEVC encoding")
struct HDRVideoTests {
    /// hdr-pq.mp4's mastering display and light levels (fixtures/make-fixtures.sh), as x265 takes them.
    static let fixtureMasterDisplay = "G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1)"

    private func videoStream(_ fixture: String) throws -> StreamInfo {
        try #require(Demuxer(url: Fixture.path(fixture)).streams.first { $0.type == .video })
    }

    /// The first decoded picture of `fixture`'s video.
    private func firstPicture(_ fixture: String) throws -> Frame {
        let demuxer = try Demuxer(url: Fixture.path(fixture))
        let stream = try #require(demuxer.streams.first { $0.type == .video })
        demuxer.keepOnly(streams: [stream.index])
        let decoder = try Decoder(parameters: demuxer.codecParameters(ofStream: stream.index), timeBase: stream.timeBase)
        let first = Frame()
        let later = Frame()
        var decoded = false
        try decoder.feed(from: demuxer, stream: stream.index) { _ in
            while try decoder.receive(into: decoded ? later : first) == .received { decoded = true }
        }
        try #require(decoded)
        return first
    }

    // MARK: Reading

    @Test func streamInfoReadsTheColourDescription() throws {
        let pq = try videoStream("hdr-pq.mp4")
        #expect(pq.colorDescription == ColorDescription(primaries: .bt2020, transfer: .smpte2084, space: .bt2020NonConstantLuminance, range: .limited))
        #expect(pq.videoRange == .pq)
        #expect([pq.colorPrimaries.name, pq.colorTransfer.name, pq.colorSpace.name, pq.colorRange.name] == ["bt2020", "smpte2084", "bt2020nc", "tv"])
        #expect(pq.pixelFormat == "yuv420p10le")

        let hlg = try videoStream("hdr-hlg.mp4")
        #expect(hlg.colorDescription == ColorDescription(primaries: .bt2020, transfer: .aribStdB67, space: .bt2020NonConstantLuminance, range: .limited))
        #expect(hlg.videoRange == .hlg)
        #expect(hlg.videoRange.rawValue == "HLG")

        let sdr = try videoStream("h264-aac.mp4")
        #expect(sdr.colorDescription == .unspecified)
        #expect(sdr.videoRange == .sdr)
        #expect(sdr.colorTransfer.name == "unknown")
        #expect(VideoRange(.bt709) == .sdr)
    }

    @Test func hdr10MetadataComesFromTheSEIOfThePictures() throws {
        let picture = try firstPicture("hdr-pq.mp4")
        let mastering = try #require(picture.masteringDisplay)
        #expect(mastering.red == MasteringDisplay.Chromaticity(x: Rational(34000, 50000), y: Rational(16000, 50000)))
        #expect(mastering.minLuminance == Rational(1, 10000))
        #expect(mastering.maxLuminance == Rational(10_000_000, 10000))
        #expect(mastering.x265Value == Self.fixtureMasterDisplay)
        #expect(picture.contentLightLevel == ContentLightLevel(maxContentLightLevel: 1000, maxFrameAverageLightLevel: 400))
        #expect(picture.contentLightLevel?.x265Value == "1000,400")

        let hlg = try firstPicture("hdr-hlg.mp4")
        #expect(hlg.masteringDisplay == nil)
        #expect(hlg.contentLightLevel == nil)
    }

    /// Stream side data (what Matroska's colour metadata or MP4's mdcv/clli become) reads back
    /// as StreamInfo's: written here into Matroska by hand, as FFmpeg 5.1's MP4 muxer writes none.
    @Test func streamInfoReadsContainerHDR10Metadata() throws {
        let scratch = try TemporaryDirectory()
        let path = scratch.appending("hdr.mkv").path
        let demuxer = try Demuxer(url: Fixture.path("hdr-pq.mp4"))
        let stream = try #require(demuxer.streams.first { $0.type == .video })
        #expect(stream.masteringDisplay == nil, "the fixture has its HDR10 metadata in the SEI only")
        demuxer.keepOnly(streams: [stream.index])
        let muxer = try Muxer(format: "matroska", path: path)
        let output = try muxer.addStream(copying: demuxer.codecParameters(ofStream: stream.index), timeBase: stream.timeBase)
        let avStream = try #require(muxer.context.pointee.streams[output])
        var mastering = AVMasteringDisplayMetadata()
        mastering.display_primaries = ((AVRational(num: 34000, den: 50000), AVRational(num: 16000, den: 50000)),
                                       (AVRational(num: 13250, den: 50000), AVRational(num: 34500, den: 50000)),
                                       (AVRational(num: 7500, den: 50000), AVRational(num: 3000, den: 50000)))
        mastering.white_point = (AVRational(num: 15635, den: 50000), AVRational(num: 16450, den: 50000))
        mastering.min_luminance = AVRational(num: 1, den: 10000)
        mastering.max_luminance = AVRational(num: 1000, den: 1)
        (mastering.has_primaries, mastering.has_luminance) = (1, 1)
        let masteringData = try #require(av_stream_new_side_data(avStream, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, MemoryLayout<AVMasteringDisplayMetadata>.size))
        UnsafeMutableRawPointer(masteringData).storeBytes(of: mastering, as: AVMasteringDisplayMetadata.self)
        let lightData = try #require(av_stream_new_side_data(avStream, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, MemoryLayout<AVContentLightMetadata>.size))
        UnsafeMutableRawPointer(lightData).storeBytes(of: AVContentLightMetadata(MaxCLL: 1000, MaxFALL: 400), as: AVContentLightMetadata.self)
        try muxer.writeHeader()
        let packet = Packet()
        while try demuxer.read(into: packet) {
            guard packet.streamIndex == stream.index else { continue }
            packet.setStreamIndex(output)
            packet.rescaleTimestamps(from: stream.timeBase, to: muxer.timeBase(ofStream: output))
            try muxer.write(packet)
        }
        try muxer.writeTrailer()

        let remuxed = try #require(Demuxer(url: path).streams.first)
        #expect(remuxed.masteringDisplay?.x265Value == Self.fixtureMasterDisplay)
        #expect(remuxed.contentLightLevel == ContentLightLevel(maxContentLightLevel: 1000, maxFrameAverageLightLevel: 400))
        #expect(remuxed.videoRange == .pq)
    }

    // MARK: x265's parameters

    @Test func x265ParametersForPQInMP4AndHLGInTS() throws {
        var pq = VideoEncoder.Settings.hevcMain10(
            dimensions: VideoDimensions(width: 256, height: 144), timeBase: Rational(1, 25), frameRate: Rational(25, 1),
            bitRate: 200_000, keyframeInterval: 250, sceneCutKeyframes: false,
            color: ColorDescription(primaries: .bt2020, transfer: .smpte2084, space: .bt2020NonConstantLuminance, range: .limited),
            masteringDisplay: try firstPicture("hdr-pq.mp4").masteringDisplay,
            contentLightLevel: ContentLightLevel(maxContentLightLevel: 1000, maxFrameAverageLightLevel: 400), globalHeader: true
        )
        let options = Dictionary(uniqueKeysWithValues: pq.encoderOptions)
        #expect(options["preset"] == "veryfast")
        #expect(options["profile"] == "main10")
        #expect(options["forced-idr"] == "1")
        #expect(options["x265-params"] == "log-level=error:open-gop=0:scenecut=0:hdr10-opt=1:hdr10=1:master-display=\(Self.fixtureMasterDisplay):max-cll=1000,400")
        #expect(pq.maxRate == 220_000)
        #expect(pq.bufferSize == 440_000)

        pq.color.transfer = .aribStdB67
        pq.masteringDisplay = nil
        pq.contentLightLevel = nil
        pq.globalHeader = false
        pq.sceneCutKeyframes = true
        let hlg = Dictionary(uniqueKeysWithValues: pq.encoderOptions)
        #expect(hlg["x265-params"] == "log-level=error:open-gop=0:repeat-headers=1")
        #expect(ContentLightLevel(maxContentLightLevel: 70_000, maxFrameAverageLightLevel: -1).x265Value == "65535,0")
    }

    @Test func h264KeepsItsOptions() {
        let settings = VideoEncoder.Settings(
            dimensions: VideoDimensions(width: 320, height: 180), timeBase: Rational(1, 25), frameRate: Rational(25, 1),
            bitRate: 200_000, keyframeInterval: 50, sceneCutKeyframes: false
        )
        #expect(settings.codec == .h264)
        #expect(settings.color == .unspecified)
        #expect(settings.encoderOptions.map { "\($0)=\($1)" } == ["preset=veryfast", "forced-idr=1", "profile=high", "x264-params=scenecut=0"])
    }

    // MARK: Encoding

    private struct Transcoded {
        var frames: Int
        var settings: VideoEncoder.Settings
        var encodedStream: StreamInfo
    }

    /// Decodes the first `frameCount` pictures of `fixture`, scales them (10-bit to 10-bit) to
    /// `target`, encodes them as HEVC Main 10 with IDRs forced at the pictures numbered
    /// `keyframes`, and muxes them into `format` ("mp4" or "mpegts") at `path`. The HDR10
    /// metadata is the stream's, else its first picture's, as the ladder takes it.
    private func transcode(_ fixture: String, frames frameCount: Int, keyframes: Set<Int>, target: VideoDimensions, format: String, to path: String) throws -> Transcoded {
        let demuxer = try Demuxer(url: Fixture.path(fixture))
        let stream = try #require(demuxer.streams.first { $0.type == .video })
        demuxer.keepOnly(streams: [stream.index])
        let decoder = try Decoder(parameters: demuxer.codecParameters(ofStream: stream.index), timeBase: stream.timeBase)
        let scaler = try VideoScaler(sourceWidth: decoder.width, sourceHeight: decoder.height, sourceFormat: decoder.pixelFormat, target: target, targetFormat: .yuv420p10le)
        let muxer = try Muxer(format: format, path: path)
        var encoder: VideoEncoder?
        var output = 0
        var count = 0
        let frame = Frame()
        let packet = Packet()
        func write(_ encoder: VideoEncoder) throws -> ReceiveResult {
            while true {
                let result = try encoder.receive(into: packet)
                guard result == .received else { return result }
                packet.setStreamIndex(output)
                packet.rescaleTimestamps(from: encoder.timeBase, to: muxer.timeBase(ofStream: output))
                try muxer.write(packet)
            }
        }
        func open(at first: Frame) throws -> VideoEncoder {
            let opened = try VideoEncoder(settings: .hevcMain10(
                dimensions: target, timeBase: stream.timeBase, frameRate: stream.averageFrameRate,
                bitRate: 200_000, keyframeInterval: 250, sceneCutKeyframes: false, color: stream.colorDescription,
                masteringDisplay: stream.masteringDisplay ?? first.masteringDisplay, contentLightLevel: stream.contentLightLevel ?? first.contentLightLevel,
                preset: "ultrafast", globalHeader: muxer.wantsGlobalHeader
            ))
            output = try muxer.addStream(copying: opened.codecParameters(), timeBase: opened.timeBase, codecTag: format == "mp4" ? "hvc1" : nil)
            try muxer.writeHeader()
            return opened
        }
        try decoder.feed(from: demuxer, stream: stream.index) { _ in
            while try decoder.receive(into: frame) == .received {
                guard count < frameCount else { continue }
                let current = try encoder ?? open(at: frame)
                encoder = current
                let picture = try scaler.scale(frame)
                #expect(picture.pixelFormat == .yuv420p10le)
                picture.requestsKeyframe = keyframes.contains(count)
                try current.send(picture)
                count += 1
                #expect(try write(current) == .needsInput)
            }
        }
        let used = try #require(encoder)
        try used.flush()
        #expect(try write(used) == .endOfStream)
        try muxer.writeTrailer()
        let encodedStream = StreamInfo(encoded: try used.codecParameters(), index: 0, timeBase: used.timeBase)
        return Transcoded(frames: count, settings: used.settings, encodedStream: encodedStream)
    }

    /// `ffprobe -show_frames` of the first video stream: key flag, picture type and side data types.
    private func probedFrames(_ path: String) async throws -> [(isKey: Bool, type: String, sideData: [[String: Any]])] {
        let result = try await ProcessRunner.run("ffprobe", ["-v", "error", "-of", "json", "-select_streams", "v:0", "-show_frames", path])
        let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        let frames = object?["frames"] as? [[String: Any]] ?? []
        return frames.map { ($0["key_frame"] as? Int == 1, $0["pict_type"] as? String ?? "", $0["side_data_list"] as? [[String: Any]] ?? []) }
    }

    /// The options string x265 writes into its user-data SEI, found in the raw HEVC stream
    /// (parameter sets first) that ffmpeg extracts from the file.
    private func x265Options(_ path: String) async throws -> String {
        let extracted = try await ProcessRunner.run("ffmpeg", ["-v", "error", "-i", path, "-map", "0:v", "-c", "copy", "-f", "hevc", "-"])
        let bytes = [UInt8](extracted.stdout)
        let marker = Array("options: ".utf8)
        let start = try #require((0..<(bytes.count - marker.count)).first { bytes[$0..<$0 + marker.count].elementsEqual(marker) })
        let end = bytes[start...].firstIndex(of: 0) ?? bytes.count
        return String(decoding: bytes[(start + marker.count)..<end], as: UTF8.self)
    }

    static let cases: [(fixture: String, format: String)] = [("hdr-pq.mp4", "mp4"), ("hdr-hlg.mp4", "mp4"), ("hdr-pq.mp4", "mpegts"), ("hdr-hlg.mp4", "mpegts")]

    @Test("10-bit HEVC rungs keep the source's HDR", arguments: cases)
    func hevcMain10Rung(fixture: String, format: String) async throws {
        let scratch = try TemporaryDirectory()
        let path = scratch.appending(format == "mp4" ? "rung.mp4" : "rung.ts").path
        let forced: Set<Int> = [0, 7, 19, 30]
        let isPQ = fixture == "hdr-pq.mp4"
        let result = try transcode(fixture, frames: 40, keyframes: forced, target: VideoDimensions(width: 256, height: 144), format: format, to: path)
        #expect(result.frames == 40)
        #expect(result.encodedStream.videoRange == (isPQ ? .pq : .hlg))
        if format == "mp4" {
            // With a global header the parameter sets are known before the first packet.
            let codecs = CodecString.make(for: result.encodedStream)
            #expect(codecs?.hasPrefix("hvc1.2.4.L") == true, "\(String(describing: codecs))")
        }
        let written = try #require(Demuxer(url: path).streams.first)
        let codecs = CodecString.make(for: written)
        #expect(codecs?.hasPrefix("hvc1.2.4.L") == true, "\(String(describing: codecs))")
        #expect(written.videoRange == (isPQ ? .pq : .hlg))

        let info = try await FFprobe.formatAndStreams(path)
        let video = try #require((info["streams"] as? [[String: Any]])?.first)
        #expect(video["codec_name"] as? String == "hevc")
        #expect(video["profile"] as? String == "Main 10")
        #expect(video["pix_fmt"] as? String == "yuv420p10le")
        #expect((video["width"] as? Int, video["height"] as? Int) == (256, 144))
        #expect(video["color_transfer"] as? String == (isPQ ? "smpte2084" : "arib-std-b67"))
        #expect(video["color_primaries"] as? String == "bt2020")
        #expect(video["color_space"] as? String == "bt2020nc")
        #expect(video["color_range"] as? String == "tv")
        if format == "mp4" { #expect(video["codec_tag_string"] as? String == "hvc1") }

        // Keyframes exactly at the forced pictures, every one an IDR-style key picture, no other I.
        let frames = try await probedFrames(path)
        #expect(frames.count == 40)
        #expect(Set(frames.indices.filter { frames[$0].isKey }) == forced)
        #expect(Set(frames.indices.filter { frames[$0].type == "I" }) == forced)

        let sideData = Set(frames.first?.sideData.compactMap { $0["side_data_type"] as? String } ?? [])
        #expect(sideData.contains("Mastering display metadata") == isPQ, "\(sideData)")
        #expect(sideData.contains("Content light level metadata") == isPQ, "\(sideData)")
        if isPQ {
            let mastering = try #require(frames.first?.sideData.first { $0["side_data_type"] as? String == "Mastering display metadata" })
            #expect(mastering["red_x"] as? String == "34000/50000")
            #expect(mastering["max_luminance"] as? String == "10000000/10000")
            let light = try #require(frames.first?.sideData.first { $0["side_data_type"] as? String == "Content light level metadata" })
            #expect((light["max_content"] as? Int, light["max_average"] as? Int) == (1000, 400))
        }

        let options = try await x265Options(path)
        for expected in ["keyint=250", "scenecut=0", "no-open-gop", "bitrate=200", "vbv-maxrate=220", "vbv-bufsize=440"] {
            #expect(options.split(separator: " ").contains(Substring(expected)), "\(expected) in \(options)")
        }
        // x265 repeats the headers whenever it writes HDR10 SEI (the encoder strips them for MP4).
        #expect(options.split(separator: " ").contains(format == "mp4" && !isPQ ? "no-repeat-headers" : "repeat-headers"), "\(options)")
        if isPQ {
            #expect(options.contains("master-display=\(Self.fixtureMasterDisplay)"), "\(options)")
            #expect(options.split(separator: " ").contains("cll=1000,400"), "x265 prints max-cll as cll: \(options)")
            #expect(options.split(separator: " ").contains("hdr10-opt"), "\(options)")
        }
    }

    /// HEVC NAL unit types in a packet: Annex B for MPEG-TS, 4-byte lengths for MP4.
    private func nalTypes(_ payload: [UInt8], lengthPrefixed: Bool) -> [UInt8] {
        guard lengthPrefixed else { return NALUnits.annexB(payload).compactMap { $0.first.map { ($0 >> 1) & 0x3F } } }
        var types: [UInt8] = []
        var offset = 0
        while offset + 5 <= payload.count {
            let length = payload[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            types.append((payload[offset + 4] >> 1) & 0x3F)
            offset += 4 + length
        }
        return types
    }

    @Test("Parameter sets: out of band for MP4, at every IDR for MPEG-TS", arguments: ["hdr-pq.mp4", "hdr-hlg.mp4"], ["mp4", "mpegts"])
    func parameterSets(fixture: String, format: String) throws {
        let scratch = try TemporaryDirectory()
        let path = scratch.appending("rung." + format).path
        _ = try transcode(fixture, frames: 20, keyframes: [0, 10], target: VideoDimensions(width: 320, height: 180), format: format, to: path)
        let demuxer = try Demuxer(url: path)
        let stream = try #require(demuxer.streams.first)
        #expect((stream.extradata.first == 1) == (format == "mp4"), "hvcC in MP4")
        let packet = Packet()
        var keyframes = 0
        while try demuxer.read(into: packet) {
            let types = nalTypes(packet.payloadPrefix(packet.size), lengthPrefixed: format == "mp4")
            let hasParameterSets = [32, 33, 34].allSatisfy(types.contains)  // VPS, SPS, PPS
            if packet.isKeyframe {
                keyframes += 1
                #expect(types.contains { $0 == 19 || $0 == 20 }, "an IDR: \(types)")
            }
            #expect(hasParameterSets == (format == "mpegts" && packet.isKeyframe), "\(types)")
        }
        #expect(keyframes == 2)
    }

    // MARK: Refusals

    @Test func hevcEncoderTakesOnly10BitPictures() throws {
        let encoder = try VideoEncoder(settings: .hevcMain10(
            dimensions: VideoDimensions(width: 256, height: 144), timeBase: Rational(1, 25), frameRate: Rational(25, 1),
            bitRate: 200_000, keyframeInterval: 50, color: .unspecified, preset: "ultrafast"
        ))
        for frame in [try Frame(width: 256, height: 144, format: .yuv420p), try Frame(width: 320, height: 180, format: .yuv420p10le)] {
            let error = #expect(throws: FFmpegError.self) { try encoder.send(frame) }
            #expect(error?.call.hasPrefix("avcodec_send_frame(\(frame.width)x\(frame.height) \(frame.pixelFormat), expected 256x144 yuv420p10le") == true, "\(String(describing: error))")
        }
        #expect(try encoder.codecParameters().codecName == "hevc")
    }

    @Test func h264RefusesHDRPictures() throws {
        var settings = VideoEncoder.Settings(
            dimensions: VideoDimensions(width: 320, height: 180), timeBase: Rational(1, 25), frameRate: Rational(25, 1), bitRate: 200_000, keyframeInterval: 50
        )
        settings.color = ColorDescription(primaries: .bt2020, transfer: .smpte2084, space: .bt2020NonConstantLuminance, range: .limited)
        let error = #expect(throws: FFmpegError.self) { try VideoEncoder(settings: settings) }
        #expect(error?.call.contains("cannot carry smpte2084") == true, "\(String(describing: error))")
        settings.color.transfer = .bt709
        _ = try VideoEncoder(settings: settings)
    }

    @Test func scalerKeeps10BitSamples() throws {
        let source = try Frame(width: 64, height: 36, format: .yuv420p10le)
        let values: [UInt16] = [700, 400, 600]  // flat planes: any filter keeps a constant
        for plane in 0..<3 {
            let data = withUnsafeBytes(of: source.pointer.pointee.data) { $0.load(fromByteOffset: plane * 8, as: UnsafeMutablePointer<UInt8>.self) }
            let stride = Int(withUnsafeBytes(of: source.pointer.pointee.linesize) { $0.load(fromByteOffset: plane * 4, as: Int32.self) })
            let rows = plane == 0 ? 36 : 18
            for y in 0..<rows {
                let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(to: UInt16.self)
                row.update(repeating: values[plane], count: plane == 0 ? 64 : 32)
            }
        }
        let scaler = try VideoScaler(sourceWidth: 64, sourceHeight: 36, sourceFormat: .yuv420p10le, target: VideoDimensions(width: 32, height: 18), targetFormat: .yuv420p10le)
        let scaled = try scaler.scale(source)
        #expect((scaled.width, scaled.height, scaled.pixelFormat) == (32, 18, .yuv420p10le))
        for plane in 0..<3 {
            let data = withUnsafeBytes(of: scaled.pointer.pointee.data) { $0.load(fromByteOffset: plane * 8, as: UnsafeMutablePointer<UInt8>.self) }
            let stride = Int(withUnsafeBytes(of: scaled.pointer.pointee.linesize) { $0.load(fromByteOffset: plane * 4, as: Int32.self) })
            let (width, height) = plane == 0 ? (32, 18) : (16, 9)
            let samples = (0..<height).flatMap { y in
                (0..<width).map { x in UnsafeRawPointer(data + y * stride).load(fromByteOffset: 2 * x, as: UInt16.self) }
            }
            #expect(samples.allSatisfy { abs(Int($0) - Int(values[plane])) <= 1 }, "plane \(plane): \(Set(samples))")
        }
    }
}
