import ReelTestSupport
import Testing
@testable import Segmenter

@Suite("RFC 6381 codec strings")
struct CodecStringTests {
    private func stream(codec: String, extradata: [UInt8], profile: Int32? = nil, level: Int32? = nil) -> StreamInfo {
        StreamInfo(
            index: 0, type: codec == "aac" ? .audio : .video, codecName: codec, codecID: 0, codecTag: nil,
            profile: profile, profileName: nil, level: level, width: 1920, height: 1080, pixelFormat: "yuv420p",
            sampleRate: 48000, channels: 2, bitRate: nil, timeBase: Rational(1, 90000),
            averageFrameRate: Rational(30, 1), realFrameRate: Rational(30, 1), duration: nil, startTime: nil,
            extradata: extradata, videoDelay: 0
        )
    }

    @Test("avcC record", arguments: [
        ([0x01, 0x64, 0x00, 0x1E, 0xFF], "avc1.64001e"),
        ([0x01, 0x42, 0xC0, 0x1E, 0xFF], "avc1.42c01e"),
        ([0x01, 0x4D, 0x40, 0x28, 0xFF], "avc1.4d4028"),
    ] as [([UInt8], String)])
    func avcRecord(extradata: [UInt8], expected: String) {
        #expect(CodecString.make(for: stream(codec: "h264", extradata: extradata)) == expected)
    }

    @Test func avcAnnexBParameterSets() {
        // A 4-byte start code, an SPS (type 7) for High@4.0, then a PPS.
        let data: [UInt8] = [0, 0, 0, 1, 0x67, 0x64, 0x00, 0x28, 0xAC, 0xD9, 0, 0, 1, 0x68, 0xEB, 0xE3]
        #expect(CodecString.make(for: stream(codec: "h264", extradata: data)) == "avc1.640028")
    }

    @Test func hevcRecord() {
        // hvcC: version 1, Main profile (1), compatibility 0x60000000, constraints B0 00..., level 93 (3.1).
        var record: [UInt8] = [0x01, 0x01, 0x60, 0x00, 0x00, 0x00, 0xB0, 0, 0, 0, 0, 0, 93]
        record += [0xF0, 0x00, 0xFC, 0xFD, 0xF8, 0xF8, 0x00, 0x00, 0x0F, 0x03]
        #expect(CodecString.make(for: stream(codec: "hevc", extradata: record)) == "hvc1.1.6.L93.B0")
    }

    @Test func hevcMain10HighTier() {
        var record: [UInt8] = [0x01, 0x22, 0x20, 0x00, 0x00, 0x00, 0x90, 0, 0, 0, 0, 0, 153]
        record += [0xF0, 0x00, 0xFC, 0xFD, 0xF8, 0xF8, 0x00, 0x00, 0x0F, 0x03]
        #expect(CodecString.make(for: stream(codec: "hevc", extradata: record)) == "hvc1.2.4.H153.90")
    }

    @Test("AudioSpecificConfig", arguments: [
        ([0x12, 0x10], "mp4a.40.2"),      // AAC-LC, 44.1 kHz, stereo
        ([0x11, 0x90], "mp4a.40.2"),      // AAC-LC, 48 kHz, stereo
        ([0x2B, 0x92, 0x08, 0x00], "mp4a.40.5"),  // HE-AAC (explicit SBR)
        ([0xF8, 0x1E, 0x20], "mp4a.40.32"),  // escaped object type 32 (MPEG-1 Layer 1)
    ] as [([UInt8], String)])
    func aacConfig(extradata: [UInt8], expected: String) {
        #expect(CodecString.make(for: stream(codec: "aac", extradata: extradata)) == expected)
    }

    @Test func adtsAACUsesProfile() {
        #expect(CodecString.make(for: stream(codec: "aac", extradata: [], profile: 1)) == "mp4a.40.2")
    }

    @Test func unknownCodecHasNoString() {
        #expect(CodecString.make(for: stream(codec: "mjpeg", extradata: [])) == nil)
    }

    @Test("fixtures", arguments: [
        ("h264-aac.mp4", ["avc1.64001e", "mp4a.40.2"]),
        ("hevc-aac.mp4", ["hvc1.1.6.L60.90", "mp4a.40.2"]),  // Main, level 2.0 (x265 picks it for 320x240)
        ("h264-aac.mkv", ["avc1.64000d", "mp4a.40.2"]),  // High, level 1.3 (x264 picks it for 320x240)
        ("audio-only.m4a", ["mp4a.40.2"]),
    ])
    func fixtureCodecStrings(fixture: String, expected: [String]) throws {
        let report = try MediaProbe.probe(path: Fixture.path(fixture))
        #expect(report.streams.compactMap(\.codecString) == expected)
    }
}
