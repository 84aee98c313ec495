import Foundation
import HLSPlaylist

/// Everything `reel ingest` was asked to do.
public struct IngestRequest: Sendable {
    /// The input path as the user gave it; `-` reads standard input.
    public var input: String
    /// The asset name (already validated).
    public var name: String
    /// The library directory.
    public var library: URL
    /// Target segment duration in seconds.
    public var segmentDuration: Double
    public var format: SegmentFormat
    public var singleFile: Bool
    /// Replace an existing asset.
    public var force: Bool
    /// Read no faster than 1x media time, like a live source (ffmpeg's `-re`).
    public var realtime: Bool = false
    /// `--renditions`: stream copy, a transcoded ladder, or both.
    public var renditions: RenditionLadder = .copy
    /// `--video-bitrate` overrides: rung height → bits per second.
    public var videoBitRates: [Int: Int] = [:]
    /// The x264 preset of transcoded rungs.
    public var preset: String = "veryfast"
    /// The AAC bit rate of a ladder's audio, bits per second.
    public var audioBitRate: Int = 128_000
    /// Whether each published file is flushed to disk before its rename (`--durable`).
    public var durability: Durability = .buffered
    /// `--part-duration`: Low-Latency HLS with parts of at most this many seconds (fMP4 only).
    public var partDuration: Double?
    /// `--encrypt aes-128`: every media segment encrypted whole; nil writes clear segments.
    public var encryption: SegmentEncryption?

    /// The name errors and the manifest use for the input.
    public var inputDescription: String { input == "-" ? "standard input" : input }

    public init(input: String, name: String, library: URL, segmentDuration: Double = 6, format: SegmentFormat = .fmp4, singleFile: Bool = false, force: Bool = false) {
        self.input = input
        self.name = name
        self.library = library
        self.segmentDuration = segmentDuration
        self.format = format
        self.singleFile = singleFile
        self.force = force
    }
}

/// `--encrypt aes-128 [--key-rotation N]`: each media segment of the audio and video renditions
/// encrypted whole with AES-128-CBC (RFC 8216 `METHOD=AES-128`), with random keys kept in the
/// rendition's directory.
public struct SegmentEncryption: Sendable, Equatable {
    /// `METHOD`, as the manifest and `--json` name it.
    public var method: String { "aes-128" }
    /// A new key every this many segments; nil keeps one key per rendition.
    public var keyRotation: Int?

    public init(keyRotation: Int? = nil) {
        self.keyRotation = keyRotation
    }

    /// The number of the key that encrypts segment `index`.
    func keyNumber(forSegment index: Int) -> Int {
        keyRotation.map { index / max(1, $0) } ?? 0
    }
}

/// How far an ingest has got, for the progress line.
public struct IngestProgress: Sendable {
    /// Media seconds processed.
    public var mediaTime: Double
    /// Total media seconds, when the container says.
    public var duration: Double?
    /// Wall-clock seconds since the ingest began.
    public var elapsed: Double
    public var segments: Int

    /// 0...1, nil when the duration is unknown.
    public var fraction: Double? {
        guard let duration, duration > 0 else { return nil }
        return min(1, max(0, mediaTime / duration))
    }

    /// Media seconds per wall-clock second.
    public var speed: Double { elapsed > 0 ? mediaTime / elapsed : 0 }

    /// Seconds left at the current speed, nil when unknown.
    public var remaining: Double? {
        guard let duration, speed > 0 else { return nil }
        return max(0, duration - mediaTime) / speed
    }
}
