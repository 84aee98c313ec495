/// RFC 6381 codec strings, the values of an HLS `CODECS` attribute, derived from the
/// bitstream (codec configuration records or parameter sets) rather than declared.
public enum CodecString {
    /// The codec string for `stream`, nil when Reel does not know how to name its codec.
    public static func make(for stream: StreamInfo) -> String? {
        switch stream.codecName {
        case "h264": avc(stream)
        case "hevc": hevc(stream)
        case "aac": aac(stream)
        case "mp3": "mp4a.40.34"
        case "ac3": "ac-3"
        case "eac3": "ec-3"
        case "opus": "Opus"
        case "flac": "fLaC"
        case "alac": "alac"
        case "vp9": vp9(stream)
        case "av1": av1(stream)
        default: nil
        }
    }

    // MARK: H.264

    static func avc(_ stream: StreamInfo) -> String? {
        let data = stream.extradata
        let triple: [UInt8]
        if data.count >= 4, data[0] == 1 {
            // AVCDecoderConfigurationRecord: version, profile, compatibility, level.
            triple = Array(data[1...3])
        } else if let sps = NALUnits.annexB(data).first(where: { ($0.first ?? 0) & 0x1F == 7 }),
                  case let rbsp = NALUnits.removingEmulationPrevention(sps), rbsp.count >= 4 {
            triple = Array(rbsp[1...3])
        } else if let profile = stream.profile, let level = stream.level {
            // No parameter sets to read: fall back to what the demuxer reported.
            triple = [UInt8(truncatingIfNeeded: profile), 0, UInt8(truncatingIfNeeded: level)]
        } else {
            return nil
        }
        return "avc1." + triple.map(hex2).joined()
    }

    // MARK: HEVC

    static func hevc(_ stream: StreamInfo) -> String? {
        let data = stream.extradata
        let profileTierLevel: ArraySlice<UInt8>
        if data.count >= 23, data[0] == 1 {
            // HEVCDecoderConfigurationRecord bytes 1...12 hold general_profile_tier_level.
            profileTierLevel = data[1...12]
        } else if let sps = NALUnits.annexB(data).first(where: { (($0.first ?? 0) >> 1) & 0x3F == 33 }),
                  case let rbsp = NALUnits.removingEmulationPrevention(sps), rbsp.count >= 15 {
            // Two bytes of NAL header, one of VPS id / sub-layers, then profile_tier_level.
            profileTierLevel = rbsp[3...14]
        } else {
            return nil
        }
        let bytes = Array(profileTierLevel)
        let profileSpace = bytes[0] >> 6
        let tier = (bytes[0] >> 5) & 1
        let profileIDC = bytes[0] & 0x1F
        let compatibility = UInt32(bytes[1]) << 24 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 8 | UInt32(bytes[4])
        var constraints = Array(bytes[5...10])
        while constraints.last == 0 { constraints.removeLast() }
        let levelIDC = bytes[11]

        // ISO/IEC 14496-15 E.3: the compatibility flags are written bit-reversed, in hex.
        var parts = [
            (profileSpace == 0 ? "" : String(UnicodeScalar(UInt8(ascii: "A") + profileSpace - 1))) + String(profileIDC),
            String(reversedBits(compatibility), radix: 16, uppercase: true),
            (tier == 0 ? "L" : "H") + String(levelIDC),
        ]
        parts += constraints.map { String($0, radix: 16, uppercase: true) }
        // HLS requires hvc1 (parameter sets out of band); the sample entry is rewritten to match.
        return "hvc1." + parts.joined(separator: ".")
    }

    // MARK: AAC

    static func aac(_ stream: StreamInfo) -> String? {
        let data = stream.extradata
        if data.count >= 2 {
            // AudioSpecificConfig: 5-bit audioObjectType, 31 escapes to 32 + 6 more bits.
            var objectType = Int(data[0] >> 3)
            if objectType == 31 {
                objectType = 32 + Int((data[0] & 0x07) << 3 | data[1] >> 5)
            }
            return "mp4a.40.\(objectType)"
        }
        // ADTS streams carry no extradata; FFmpeg's AAC profile is the object type minus one.
        if let profile = stream.profile, profile >= 0 { return "mp4a.40.\(profile + 1)" }
        return "mp4a.40.2"
    }

    // MARK: VP9 and AV1

    static func vp9(_ stream: StreamInfo) -> String {
        let profile = stream.profile ?? 0
        let bitDepth = (stream.pixelFormat ?? "").contains("10") ? 10 : (stream.pixelFormat ?? "").contains("12") ? 12 : 8
        let level = stream.level.flatMap { $0 > 0 ? Int($0) : nil } ?? vp9Level(width: stream.width, height: stream.height, frameRate: stream.averageFrameRate.doubleValue)
        return "vp09.\(dec2(Int(profile))).\(dec2(level)).\(dec2(bitDepth))"
    }

    /// The lowest VP9 level (×10) whose luma picture size and sample rate fit, per the VP9 level table.
    static func vp9Level(width: Int, height: Int, frameRate: Double) -> Int {
        let levels: [(level: Int, pictureSize: Double, sampleRate: Double)] = [
            (10, 36_864, 829_440), (11, 73_728, 2_764_800), (20, 122_880, 4_608_000),
            (21, 245_760, 9_216_000), (30, 552_960, 20_736_000), (31, 983_040, 36_864_000),
            (40, 2_228_224, 83_558_400), (41, 2_228_224, 160_432_128), (50, 8_912_896, 311_951_360),
            (51, 8_912_896, 588_251_136), (52, 8_912_896, 1_176_502_272), (60, 35_651_584, 1_176_502_272),
            (61, 35_651_584, 2_353_004_544), (62, 35_651_584, 4_706_009_088),
        ]
        let pictureSize = Double(width * height)
        let sampleRate = pictureSize * max(frameRate, 1)
        return levels.first { pictureSize <= $0.pictureSize && sampleRate <= $0.sampleRate }?.level ?? 62
    }

    static func av1(_ stream: StreamInfo) -> String? {
        let data = stream.extradata
        // AV1CodecConfigurationRecord: marker/version, then profile+level, then tier and depth flags.
        guard data.count >= 4, data[0] & 0x80 != 0 else { return nil }
        let profile = data[1] >> 5
        let level = data[1] & 0x1F
        let tier = data[2] >> 7 == 0 ? "M" : "H"
        let highBitDepth = (data[2] >> 6) & 1 == 1
        let twelveBit = (data[2] >> 5) & 1 == 1
        let depth = highBitDepth ? (twelveBit ? 12 : 10) : 8
        return "av01.\(profile).\(dec2(Int(level)))\(tier).\(dec2(depth))"
    }

    // MARK: Helpers

    private static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    private static func dec2(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }

    private static func reversedBits(_ value: UInt32) -> UInt32 {
        var input = value
        var output: UInt32 = 0
        for _ in 0..<32 {
            output = output << 1 | (input & 1)
            input >>= 1
        }
        return output
    }
}
