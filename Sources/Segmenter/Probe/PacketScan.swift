/// What a full read of an input's packets shows, per stream (no decoding).
public struct PacketScan: Sendable {
    /// Per-stream counts, keyed by stream index.
    public struct StreamTally: Sendable {
        public var packets = 0
        public var keyframes = 0
        /// Presentation (or decoding) timestamps of keyframes, in the stream's time base.
        public var keyframeTimestamps: [Int64] = []
        public var bytes: Int64 = 0
        /// The latest presentation end (pts + duration) seen, in the stream's time base.
        public var end: Int64?
    }

    public var streams: [Int: StreamTally] = [:]

    /// Reads every packet of `demuxer` to the end.
    ///
    /// - Throws: `FFmpegError` when the input fails mid-read (corrupt or truncated data).
    public static func run(_ demuxer: Demuxer) throws(FFmpegError) -> PacketScan {
        var scan = PacketScan()
        let packet = Packet()
        while try demuxer.read(into: packet) {
            var tally = scan.streams[packet.streamIndex] ?? StreamTally()
            tally.packets += 1
            tally.bytes += Int64(packet.size)
            if let timestamp = packet.pts ?? packet.dts {
                tally.end = max(tally.end ?? .min, timestamp + packet.duration)
            }
            if packet.isKeyframe {
                tally.keyframes += 1
                if let timestamp = packet.pts ?? packet.dts { tally.keyframeTimestamps.append(timestamp) }
            }
            scan.streams[packet.streamIndex] = tally
        }
        return scan
    }

    /// The latest end time over all streams, in seconds, nil when no packet had a timestamp.
    public func mediaEnd(streams: [StreamInfo]) -> Double? {
        streams.compactMap { stream in
            self.streams[stream.index]?.end.map { Double($0) * stream.timeBase.doubleValue }
        }.max()
    }
}

/// Shortest, mean and longest time between consecutive keyframes, in seconds.
public struct KeyframeInterval: Sendable, Codable, Equatable {
    public var min: Double
    public var avg: Double
    public var max: Double

    /// Intervals from keyframe timestamps in `timeBase`; nil with fewer than two keyframes.
    public init?(timestamps: [Int64], timeBase: Rational) {
        let sorted = timestamps.sorted()
        guard sorted.count >= 2 else { return nil }
        let gaps = zip(sorted.dropFirst(), sorted).map { Double($0 - $1) * timeBase.doubleValue }
        min = gaps.min()!
        max = gaps.max()!
        avg = Double(sorted.last! - sorted.first!) * timeBase.doubleValue / Double(gaps.count)
    }
}
