import Foundation
import HLSPlaylist

/// Muxes one rendition's packets into segment files: one muxer for the whole input (so
/// fragment sequence numbers and TS continuity counters run on across segments), its
/// output switched to a new file at every segment boundary.
///
/// Not Sendable: owned by the ingest task that feeds it.
final class SegmentWriter {
    struct InputStream {
        var info: StreamInfo
        var parameters: CodecParameters
    }

    let format: SegmentFormat
    let directory: URL
    let singleFile: Bool

    private let output = FileSequenceOutput()
    private let muxer: Muxer
    /// Input stream index → (output stream index, input time base, output time base).
    private var mapping: [Int: (output: Int, from: Rational, to: Rational)] = [:]
    private var videoOutputIndex: Int?

    private var current: SegmentRecord?
    /// The file the output writes to now.
    private var openFile: String?
    /// True while the muxer holds samples of an unfinished fMP4 fragment.
    private var fragmentOpen = false
    private var pendingKeyframe: (time: Double, size: Int64)?

    private(set) var segments: [SegmentRecord] = []
    /// The init section's location (fMP4): its file and byte range.
    private(set) var initSection: (uri: String, offset: Int64, length: Int64)?

    /// The media file name of a single-file rendition, or of segment `index`.
    func fileName(forSegment index: Int) -> String {
        singleFile
            ? "media.\(format.segmentExtension)"
            : "seg-\(Self.zeroPadded(index, width: 5)).\(format.segmentExtension)"
    }

    static func zeroPadded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    init(format: SegmentFormat, streams: [InputStream], directory: URL, singleFile: Bool) throws(IngestError) {
        self.format = format
        self.directory = directory
        self.singleFile = singleFile
        do {
            muxer = try Muxer(format: format.muxerName, sequence: output)
            // Video first: in each fMP4 fragment its samples then lead the mdat, so a keyframe's
            // byte range is the moof, the mdat header and the keyframe itself.
            for stream in streams.sorted(by: { ($0.info.type == .video ? 0 : 1) < ($1.info.type == .video ? 0 : 1) }) {
                let tag: String? = format == .fmp4 && stream.info.codecName == "hevc" ? "hvc1" : nil
                let index = try muxer.addStream(copying: stream.parameters, timeBase: stream.info.timeBase, codecTag: tag)
                mapping[stream.info.index] = (index, stream.info.timeBase, stream.info.timeBase)
                if stream.info.type == .video { videoOutputIndex = index }
            }
        } catch {
            throw IngestError.ffmpeg(error)
        }
    }

    /// Writes the container header; for fMP4 that is the init section (`init.mp4`, or the
    /// start of the single media file).
    func start() throws(IngestError) {
        do {
            if format == .fmp4 {
                let name = singleFile ? fileName(forSegment: 0) : "init.mp4"
                try open(name)
                try muxer.writeHeader(options: [
                    "movflags": "+frag_custom+empty_moov+default_base_moof+skip_trailer+skip_sidx",
                ])
                try output.flush()
                initSection = (name, 0, output.position)
                if !singleFile { try closeFile() }
            } else {
                // The first segment's file is open before the header in case the muxer writes early.
                try open(fileName(forSegment: 0))
                try muxer.writeHeader(options: ["mpegts_flags": "+resend_headers"])
            }
        } catch let error as FFmpegError {
            throw .ffmpeg(error)
        } catch let error as FileSequenceError {
            throw .write(path: directory.path, reason: error.description)
        } catch {
            throw .write(path: directory.path, reason: "\(error)")
        }
        for (input, entry) in mapping {
            mapping[input] = (entry.output, entry.from, muxer.timeBase(ofStream: entry.output))
        }
    }

    private func open(_ name: String) throws(FileSequenceError) {
        try output.switchTo(path: path(name))
        openFile = name
    }

    private func closeFile() throws(FileSequenceError) {
        try output.closeCurrent()
        openFile = nil
    }

    /// Begins segment `index` at `time` (seconds from the input's origin).
    func beginSegment(index: Int, at time: Double) throws(IngestError) {
        let name = fileName(forSegment: index)
        if openFile != name {
            try io { try open(name) }
        }
        if format == .ts { try setResendHeaders() }
        current = SegmentRecord(index: index, uri: name, start: time, duration: 0, offset: output.position, length: 0, keyframes: [])
    }

    /// Writes one packet of input stream `packet.streamIndex`; `time` is its presentation time
    /// in seconds from the origin.
    func write(_ packet: Packet, time: Double) throws(IngestError) {
        guard let entry = mapping[packet.streamIndex] else { return }
        let isVideoKeyframe = entry.output == videoOutputIndex && packet.isKeyframe
        if isVideoKeyframe {
            if format == .fmp4 {
                // Each keyframe starts a fragment so the I-frame playlist can address it alone.
                try finishFragment()
                pendingKeyframe = (time, Int64(packet.size))
                fragmentOpen = true
            } else {
                if current?.keyframes.isEmpty == false { try setResendHeaders() }
                try io { try output.flush() }
            }
        }
        let start = output.position
        packet.setStreamIndex(entry.output)
        packet.rescaleTimestamps(from: entry.from, to: entry.to)
        do {
            try muxer.write(packet)
        } catch {
            throw .ffmpeg(error)
        }
        if format == .fmp4 { fragmentOpen = true }
        if isVideoKeyframe && format == .ts {
            try io { try output.flush() }
            current?.keyframes.append(KeyframeRecord(time: time, offset: start, length: output.position - start))
        }
    }

    /// Ends the current segment, its duration still unknown (set by `closeSegments`).
    func endSegment(final: Bool = false) throws(IngestError) {
        guard current != nil else { return }
        // The open fragment's keyframe belongs to this segment: record it before taking the record.
        try finishFragment()
        guard var segment = current else { return }
        if final {
            do { try muxer.writeTrailer() } catch { throw .ffmpeg(error) }
        }
        try io {
            try output.flush()
            segment.length = output.position - segment.offset
            if !singleFile || final { try closeFile() }
        }
        segments.append(segment)
        current = nil
    }

    /// Sets every segment's duration from its successor's start, the last one's from `end`.
    func closeSegments(end: Double) {
        for index in segments.indices {
            let next = index + 1 < segments.count ? segments[index + 1].start : end
            segments[index].duration = max(0, next - segments[index].start)
        }
    }

    private func finishFragment() throws(IngestError) {
        guard format == .fmp4, fragmentOpen else { return }
        let fragmentBegin = output.position
        do { try muxer.flush() } catch { throw .ffmpeg(error) }
        try io { try output.flush() }
        fragmentOpen = false
        guard let keyframe = pendingKeyframe else { return }
        pendingKeyframe = nil
        // The fragment is moof + mdat; the keyframe leads the mdat payload.
        let moofLength = try readBoxSize(at: fragmentBegin)
        current?.keyframes.append(KeyframeRecord(time: keyframe.time, offset: fragmentBegin, length: moofLength + 8 + keyframe.size))
    }

    private func readBoxSize(at offset: Int64) throws(IngestError) -> Int64 {
        guard let name = openFile, let handle = FileHandle(forReadingAtPath: path(name)) else {
            throw .write(path: directory.path, reason: "cannot reopen the segment being written")
        }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil,
              let header = try? handle.read(upToCount: 8), header.count == 8 else {
            throw .write(path: path(name), reason: "fragment header missing")
        }
        return header.prefix(4).reduce(0) { $0 << 8 | Int64($1) }
    }

    private func setResendHeaders() throws(IngestError) {
        do { try muxer.setPrivateOption("mpegts_flags", "+resend_headers") } catch { throw .ffmpeg(error) }
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Runs file operations, reporting a failure against the rendition directory.
    private func io(_ body: () throws -> Void) throws(IngestError) {
        do {
            try body()
        } catch let error as IngestError {
            throw error
        } catch let error as FileSequenceError {
            throw .write(path: directory.path, reason: error.description)
        } catch {
            throw .write(path: directory.path, reason: "\(error)")
        }
    }
}
