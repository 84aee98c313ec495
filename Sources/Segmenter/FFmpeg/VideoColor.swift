import CFFmpeg
import HLSPlaylist

/// Colour primaries (the chromaticities of red, green, blue and white), FFmpeg's
/// `AVColorPrimaries` as a Swift value; the numbers are those of ITU-T H.273.
public struct ColorPrimaries: Sendable, Hashable, CustomStringConvertible {
    /// The `AVColorPrimaries` raw value.
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let bt709 = ColorPrimaries(rawValue: AVCOL_PRI_BT709.rawValue)
    public static let unspecified = ColorPrimaries(rawValue: AVCOL_PRI_UNSPECIFIED.rawValue)
    public static let bt2020 = ColorPrimaries(rawValue: AVCOL_PRI_BT2020.rawValue)

    /// FFmpeg's name, as ffprobe prints it (e.g. "bt709", "bt2020"); "unknown" for unspecified.
    public var name: String { av_color_primaries_name(AVColorPrimaries(rawValue: rawValue)).map { String(cString: $0) } ?? "invalid" }

    public var description: String { name }
}

/// Transfer characteristics (the curve from light to code values), FFmpeg's
/// `AVColorTransferCharacteristic` as a Swift value; the numbers are those of ITU-T H.273.
public struct ColorTransfer: Sendable, Hashable, CustomStringConvertible {
    /// The `AVColorTransferCharacteristic` raw value.
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let bt709 = ColorTransfer(rawValue: AVCOL_TRC_BT709.rawValue)
    public static let unspecified = ColorTransfer(rawValue: AVCOL_TRC_UNSPECIFIED.rawValue)
    /// SMPTE ST 2084, the perceptual quantizer (PQ) of HDR10.
    public static let smpte2084 = ColorTransfer(rawValue: AVCOL_TRC_SMPTE2084.rawValue)
    /// ARIB STD-B67, hybrid log-gamma (HLG).
    public static let aribStdB67 = ColorTransfer(rawValue: AVCOL_TRC_ARIB_STD_B67.rawValue)

    /// FFmpeg's name, as ffprobe prints it (e.g. "smpte2084", "arib-std-b67"); "unknown" for unspecified.
    public var name: String { av_color_transfer_name(AVColorTransferCharacteristic(rawValue: rawValue)).map { String(cString: $0) } ?? "invalid" }

    public var description: String { name }
}

/// Matrix coefficients (how Y, Cb and Cr derive from R, G, B), FFmpeg's `AVColorSpace` as a
/// Swift value; the numbers are those of ITU-T H.273.
public struct ColorSpace: Sendable, Hashable, CustomStringConvertible {
    /// The `AVColorSpace` raw value.
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let bt709 = ColorSpace(rawValue: AVCOL_SPC_BT709.rawValue)
    public static let unspecified = ColorSpace(rawValue: AVCOL_SPC_UNSPECIFIED.rawValue)
    /// BT.2020 non-constant luminance, the matrix of HDR10 and HLG video.
    public static let bt2020NonConstantLuminance = ColorSpace(rawValue: AVCOL_SPC_BT2020_NCL.rawValue)

    /// FFmpeg's name, as ffprobe prints it (e.g. "bt709", "bt2020nc"); "unknown" for unspecified.
    public var name: String { av_color_space_name(AVColorSpace(rawValue: rawValue)).map { String(cString: $0) } ?? "invalid" }

    public var description: String { name }
}

/// The range of code values, FFmpeg's `AVColorRange` as a Swift value.
public struct ColorRange: Sendable, Hashable, CustomStringConvertible {
    /// The `AVColorRange` raw value.
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let unspecified = ColorRange(rawValue: AVCOL_RANGE_UNSPECIFIED.rawValue)
    /// Limited ("TV", "MPEG") range: 16–235 luma at 8 bits, 64–940 at 10 bits.
    public static let limited = ColorRange(rawValue: AVCOL_RANGE_MPEG.rawValue)
    /// Full ("PC", "JPEG") range.
    public static let full = ColorRange(rawValue: AVCOL_RANGE_JPEG.rawValue)

    /// FFmpeg's name, as ffprobe prints it: "tv", "pc" or "unknown".
    public var name: String { av_color_range_name(AVColorRange(rawValue: rawValue)).map { String(cString: $0) } ?? "invalid" }

    public var description: String { name }
}

/// How a video stream's code values are to be read: what an encoder writes into the
/// bitstream's VUI (and a muxer into `colr`) so players show the pictures as the source meant.
public struct ColorDescription: Sendable, Hashable {
    public var primaries: ColorPrimaries
    public var transfer: ColorTransfer
    public var space: ColorSpace
    public var range: ColorRange

    public init(primaries: ColorPrimaries, transfer: ColorTransfer, space: ColorSpace, range: ColorRange) {
        self.primaries = primaries
        self.transfer = transfer
        self.space = space
        self.range = range
    }

    /// Nothing said: the bitstream carries no colour description and players assume SDR.
    public static let unspecified = ColorDescription(primaries: .unspecified, transfer: .unspecified, space: .unspecified, range: .unspecified)

    /// The HLS `VIDEO-RANGE` the transfer characteristics call for.
    public var videoRange: VideoRange { VideoRange(transfer) }
}

extension VideoRange {
    /// The range a stream with `transfer` characteristics has: PQ for SMPTE ST 2084, HLG for
    /// ARIB STD-B67, SDR for any other (unspecified included).
    public init(_ transfer: ColorTransfer) {
        switch transfer {
        case .smpte2084: self = .pq
        case .aribStdB67: self = .hlg
        default: self = .sdr
        }
    }
}
