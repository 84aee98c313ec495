import CFFmpeg

/// Owns one `AVPacket`; reused across reads to avoid an allocation per packet.
public final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>

    public init() {
        // av_packet_alloc only fails when malloc does; there is no useful recovery.
        guard let packet = av_packet_alloc() else { fatalError("av_packet_alloc: out of memory") }
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }

    /// Drops the payload reference so the packet can be filled again.
    public func unref() { av_packet_unref(pointer) }

    public var streamIndex: Int { Int(pointer.pointee.stream_index) }

    /// Presentation timestamp in the stream's time base, nil when unknown.
    public var pts: Int64? { Self.timestamp(pointer.pointee.pts) }

    /// Decoding timestamp in the stream's time base, nil when unknown.
    public var dts: Int64? { Self.timestamp(pointer.pointee.dts) }

    /// Duration in the stream's time base (0 when unknown).
    public var duration: Int64 { pointer.pointee.duration }

    /// Payload size in bytes.
    public var size: Int { Int(pointer.pointee.size) }

    /// Byte offset in the input, nil when unknown.
    public var position: Int64? { pointer.pointee.pos < 0 ? nil : pointer.pointee.pos }

    public var isKeyframe: Bool { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }

    /// True when the demuxer flagged the payload as corrupt.
    public var isCorrupt: Bool { pointer.pointee.flags & AV_PKT_FLAG_CORRUPT != 0 }

    private static func timestamp(_ value: Int64) -> Int64? {
        value == REEL_AV_NOPTS_VALUE ? nil : value
    }
}

extension Packet {
    /// Converts the packet's timestamps and duration from one time base to another.
    public func rescaleTimestamps(from source: Rational, to destination: Rational) {
        av_packet_rescale_ts(pointer, source.avRational, destination.avRational)
    }

    /// Moves the packet's timestamps later by `ticks` of its time base.
    public func delayTimestamps(by ticks: Int64) {
        if pointer.pointee.pts != REEL_AV_NOPTS_VALUE { pointer.pointee.pts += ticks }
        if pointer.pointee.dts != REEL_AV_NOPTS_VALUE { pointer.pointee.dts += ticks }
    }

    /// Replaces the packet's presentation and decoding timestamps (in its stream's time base).
    public func setTimestamps(pts: Int64, dts: Int64) {
        pointer.pointee.pts = pts
        pointer.pointee.dts = dts
    }

    /// Points the packet at output stream `index`.
    public func setStreamIndex(_ index: Int) {
        pointer.pointee.stream_index = Int32(index)
    }
}

extension Packet {
    /// A new packet sharing this one's payload (`av_packet_ref`), with its own timestamps and
    /// stream index: one encoded packet written by several muxers.
    public func reference() throws(FFmpegError) -> Packet {
        let copy = Packet()
        try ffmpegCheck("av_packet_ref", av_packet_ref(copy.pointer, pointer))
        return copy
    }
}

extension Packet {
    /// The first `count` bytes of the payload (fewer when it is shorter).
    public func payloadPrefix(_ count: Int) -> [UInt8] {
        guard let data = pointer.pointee.data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: min(count, size)))
    }
}
