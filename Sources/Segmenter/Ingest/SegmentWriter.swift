import Foundation
import HLSPlaylist
import ISOBMFF
import ReelCrypto

/// Muxes one rendition's packets into segment files: one muxer for the whole input (so
/// fragment sequence numbers and TS continuity counters run on across segments), its
/// output switched to a new file at every segment boundary.
///
/// Files are named by the ingest's generation (``LibraryLayout``: `seg-00003.m4s`,
/// `seg-1-00003.m4s`). A segment is written under a hidden name (`.seg-00003.m4s.part`) and
/// renamed into place when complete, so a reader of a live rendition never sees a partial
/// segment. A single-file rendition grows in place; only its completed byte ranges are ever
/// listed.
///
/// With encryption (`--encrypt aes-128`) every segment is encrypted whole as it is written
/// (AES-128-CBC, its own random IV, PKCS#7 padding): the output encrypts FFmpeg's buffer on its
/// way to the file, from the segment's first byte (after the init section in the first
/// segment's file, which stays clear) to its last, padded when the segment ends. Keys are files
/// of 16 random bytes in the rendition's directory, mode 0600, published before the first
/// segment they encrypt. No keyframes are recorded: an I-frame's range inside an encrypted
/// segment could not be decrypted alone.
///
/// Not Sendable: owned by the ingest task that feeds it.
final class SegmentWriter {
    struct InputStream {
        var info: StreamInfo
        var parameters: CodecParameters
    }

    let format: SegmentFormat
    /// The asset the rendition belongs to; it moves once, when the asset goes live.
    let location: AssetLocation
    /// The rendition's directory inside the asset, e.g. `copy` or `720p`.
    let rendition: String
    let singleFile: Bool
    /// The ingest's generation, which the file names carry.
    let generation: Int
    /// Flush every file to disk before it is renamed into place (``Durability/synced``).
    let durable: Bool
    /// Low-Latency HLS: the longest a part may last, in seconds; nil writes no parts.
    let partDuration: Double?
    /// `--encrypt aes-128`: how segments are encrypted; nil writes them clear.
    let encryption: SegmentEncryption?

    /// Where the rendition's files are now (for messages: the asset may move a moment later).
    var directory: URL { location.withRoot { $0 }.appendingPathComponent(rendition, isDirectory: true) }

    /// Runs `body` with the paths of `names` in the rendition's directory, holding the asset's
    /// location: it cannot move between building a path and using it. Only operations that open
    /// or rename by path take it, never the writing of a packet.
    private func atPaths<Result, Failure: Error>(_ names: String..., body: ([String]) throws(Failure) -> Result) throws(Failure) -> Result {
        try location.withRoot { (root) throws(Failure) -> Result in
            let directory = root.appendingPathComponent(rendition, isDirectory: true)
            return try body(names.map { directory.appendingPathComponent($0).path })
        }
    }

    private let output = FileSequenceOutput()
    private let muxer: Muxer
    /// Input stream index → (output stream index, input time base, output time base, the
    /// timestamp delay in input ticks).
    private var mapping: [Int: (output: Int, from: Rational, to: Rational, delay: Int64)] = [:]
    /// Input stream index → filter applied before muxing (fMP4: ADTS AAC to raw AAC).
    private var filters: [Int: BitstreamFilter] = [:]
    private var videoOutputIndex: Int?

    private var current: SegmentRecord?
    /// The file the output writes to now.
    private var openFile: String?
    /// True while the muxer holds samples of an unfinished fMP4 fragment.
    private var fragmentOpen = false
    /// Bytes of samples in the open fMP4 fragment.
    private var fragmentPayload = 0
    /// A fragment ends at each video keyframe and once it holds this many bytes of samples. The
    /// muxer keeps a fragment in memory until it ends, so its memory stays flat whatever the GOP
    /// length and bit rate (heap buffers, not fresh pages mapped and faulted in for every GOP),
    /// and the output's encrypting thread works on one fragment while the muxer fills the next.
    static let fragmentPayloadLimit = 1 << 20
    /// fMP4: the init section (ftyp + moov) still leads the first segment's file.
    private var initPending = false
    private var pendingKeyframe: (time: Double, size: Int64)?

    private(set) var segments: [SegmentRecord] = []
    /// The init section's location (fMP4): its file and byte range.
    private(set) var initSection: (uri: String, offset: Int64, length: Int64)?
    /// The parts of the segment being written, published already (Low-Latency HLS).
    private(set) var pendingParts: [PartRecord] = []
    /// The part being written: its first picture's decode time (seconds, in the stream's own
    /// timeline), and whether it starts with a key frame.
    private var partStart: (decodeTime: Double, independent: Bool)?
    /// Where the part being written begins in the segment's file.
    private var partOffset: Int64 = 0
    /// `init.mp4` is published already (parts need it before the first segment is complete).
    private var initPublished = false
    /// The key encrypting segments now: its number, bytes and file name.
    private var key: (number: Int, bytes: [UInt8], uri: String)?
    /// The first fMP4 segment's encryption, begun once the init section before it is written.
    private var pendingEncryption: (key: [UInt8], iv: [UInt8])?

    /// The media file name of a single-file rendition, or of segment `index`.
    func fileName(forSegment index: Int) -> String {
        singleFile
            ? LibraryLayout.singleFileMedia(extension: format.segmentExtension, generation: generation)
            : LibraryLayout.segment(index, extension: format.segmentExtension, generation: generation)
    }

    /// The hidden name a file is written under until it is complete.
    private func writingName(_ name: String) -> String {
        singleFile ? name : ".\(name).part"
    }

    /// - Parameter timestampDelay: seconds added to every timestamp. Renditions of one ladder in
    ///   MPEG-TS all get the same delay, so no muxer shifts its streams on its own to avoid
    ///   negative timestamps (by an amount that differs with each rendition's B-frame delay)
    ///   and the same picture has the same PTS in every rendition.
    init(
        format: SegmentFormat, streams: [InputStream], location: AssetLocation, rendition: String,
        singleFile: Bool, generation: Int = 0, timestampDelay: Double = 0, durable: Bool = false, partDuration: Double? = nil,
        encryption: SegmentEncryption? = nil
    ) throws(IngestError) {
        self.format = format
        self.location = location
        self.rendition = rendition
        self.singleFile = singleFile
        self.generation = generation
        self.durable = durable
        // Parts of an encrypted segment would each need their own padding: the two never mix.
        self.partDuration = format == .fmp4 && !singleFile && encryption == nil ? partDuration : nil
        self.encryption = encryption
        do {
            muxer = try Muxer(format: format.muxerName, sequence: output)
            // Video first: in each fMP4 fragment its samples then lead the mdat, so a keyframe's
            // byte range is the moof, the mdat header and the keyframe itself.
            for stream in streams.sorted(by: { ($0.info.type == .video ? 0 : 1) < ($1.info.type == .video ? 0 : 1) }) {
                let tag: String? = format == .fmp4 && stream.info.codecName == "hevc" ? "hvc1" : nil
                let index = try muxer.addStream(copying: stream.parameters, timeBase: stream.info.timeBase, codecTag: tag)
                // fMP4 keeps the picture's rotation in its track header; MPEG-TS has no place for it.
                if format == .fmp4, let matrix = stream.info.displayMatrix { try muxer.setDisplayMatrix(matrix, ofStream: index) }
                let delay = Int64((timestampDelay / stream.info.timeBase.doubleValue).rounded())
                mapping[stream.info.index] = (index, stream.info.timeBase, stream.info.timeBase, delay)
                // AAC without an AudioSpecificConfig is ADTS (from MPEG-TS): MP4 needs it raw.
                if format == .fmp4, stream.info.codecName == "aac", stream.info.extradata.isEmpty {
                    filters[stream.info.index] = try BitstreamFilter(name: "aac_adtstoasc", parameters: stream.parameters, timeBase: stream.info.timeBase)
                }
                if stream.info.type == .video { videoOutputIndex = index }
            }
        } catch {
            throw IngestError.ffmpeg(error)
        }
    }

    /// Writes the container header. For fMP4 the moov is delayed to the first fragment
    /// (`delay_moov`), when the muxer knows every track's first timestamp and can write the
    /// edit lists that hide AAC priming and B-frame delay; `splitInitSection` later moves it out
    /// of the first segment's file.
    func start() throws(IngestError) {
        do {
            // The first segment's file is open before the header in case the muxer writes early.
            try open(writingName(fileName(forSegment: 0)))
            if format == .fmp4 {
                try muxer.writeHeader(options: [
                    "movflags": "+frag_custom+empty_moov+delay_moov+default_base_moof+skip_trailer+skip_sidx",
                ])
                initPending = true
            } else {
                // Packets go out in FFmpeg's 256 KiB buffer, not one write(2) each (the default
                // for an output that cannot seek, as ours cannot). Audio frames share PES packets
                // up to 0.7 s apart, as ffmpeg's command line has them (`-muxdelay 0.7`), instead
                // of one PES each: a third of an audio-only segment was headers. The muxer then
                // wants to delay timestamps by twice that; `timestampDelay` already has.
                try muxer.writeHeader(options: [
                    "mpegts_flags": "+resend_headers", "flush_packets": "0", "max_delay": "700000", "mpegts_copyts": "1",
                ])
            }
        } catch let error as FFmpegError {
            throw .ffmpeg(error)
        } catch let error as FileSequenceError {
            throw .write(path: directory.path, reason: error.description)
        } catch {
            throw .write(path: directory.path, reason: "\(error)")
        }
        for (input, entry) in mapping {
            mapping[input]?.to = muxer.timeBase(ofStream: entry.output)
        }
    }

    private func open(_ name: String) throws(FileSequenceError) {
        try atPaths(name) { (paths) throws(FileSequenceError) in try output.switchTo(path: paths[0]) }
        openFile = name
    }

    private func closeFile() throws(FileSequenceError) {
        try output.closeCurrent()
        openFile = nil
    }

    /// Begins segment `index` at `time` (seconds from the input's origin).
    func beginSegment(index: Int, at time: Double) throws(IngestError) {
        let name = fileName(forSegment: index)
        if openFile != writingName(name) {
            try io { try open(writingName(name)) }
        }
        if format == .ts { try setResendHeaders() }
        current = SegmentRecord(index: index, uri: name, start: time, duration: 0, offset: output.position, length: 0, keyframes: [])
        partOffset = output.position
        if let encryption { try beginEncryption(ofSegment: index, encryption) }
    }

    /// Encrypts segment `index` from its first byte: with the key its number falls under
    /// (published first when it is new) and a random IV of its own.
    private func beginEncryption(ofSegment index: Int, _ encryption: SegmentEncryption) throws(IngestError) {
        let number = encryption.keyNumber(forSegment: index)
        if self.key?.number != number { self.key = try publishKey(number) }
        guard let key else { return }
        let iv = SecureRandom.bytes(16)
        current?.key = SegmentKeyRecord(uri: key.uri, iv: iv)
        if format == .fmp4 && initSection == nil {
            pendingEncryption = (key.bytes, iv)
        } else {
            try io { try output.beginEncryption(key: key.bytes, iv: iv) }
        }
    }

    /// Writes key `number`: 16 random bytes, mode 0600, renamed into place.
    private func publishKey(_ number: Int) throws(IngestError) -> (number: Int, bytes: [UInt8], uri: String) {
        let name = LibraryLayout.key(number, generation: generation)
        let bytes = SecureRandom.bytes(16)
        try io {
            // Written aside under a hidden name whatever the layout, so no reader sees a short key.
            try atPaths(".\(name).part", name) { (paths) throws(FileSequenceError) in
                try FileWriting.write(bytes, to: paths[0], sync: durable, mode: 0o600)
                try Self.rename(paths[0], to: paths[1])
            }
        }
        return (number, bytes, name)
    }

    /// The packet's duration in seconds (before `write`, which converts it to the muxer's time base).
    func durationSeconds(of packet: Packet) -> Double {
        mapping[packet.streamIndex].map { Double(packet.duration) * $0.from.doubleValue } ?? 0
    }

    /// Writes one packet of input stream `packet.streamIndex`; `time` is its presentation time
    /// in seconds from the origin.
    func write(_ packet: Packet, time: Double) throws(IngestError) {
        guard let entry = mapping[packet.streamIndex] else { return }
        let isVideoKeyframe = entry.output == videoOutputIndex && packet.isKeyframe
        // Parts are cut by the video's pictures (the audio's frames without video), in decode
        // order as the fragments are. Decode times, unlike presentation times, grow with every picture.
        let clocksParts = partDuration != nil && (videoOutputIndex == nil || entry.output == videoOutputIndex)
        let partPicture: (decoded: Double, duration: Double)? = clocksParts
            ? (Double(packet.dts ?? packet.pts ?? 0) * entry.from.doubleValue, durationSeconds(of: packet)) : nil
        if let partPicture { try cutPart(before: partPicture, independent: videoOutputIndex == nil || isVideoKeyframe) }
        if format == .fmp4, !isVideoKeyframe, fragmentPayload >= Self.fragmentPayloadLimit { try finishFragment() }
        if isVideoKeyframe {
            if format == .fmp4 {
                // Each keyframe starts a fragment so the I-frame playlist can address it alone.
                try finishFragment()
                if encryption == nil { pendingKeyframe = (time, Int64(packet.size)) }
                fragmentOpen = true
            } else {
                if current?.keyframes.isEmpty == false { try setResendHeaders() }
            }
        }
        if let filter = filters[packet.streamIndex] {
            do {
                guard try filter.filter(packet) else { return }
                try muxer.setExtradata(filter.outputExtradata, ofStream: entry.output)
            } catch {
                throw .ffmpeg(error)
            }
        }
        let start = output.position
        if entry.delay != 0 { packet.delayTimestamps(by: entry.delay) }
        packet.setStreamIndex(entry.output)
        packet.rescaleTimestamps(from: entry.from, to: entry.to)
        do {
            try muxer.write(packet)
        } catch {
            throw .ffmpeg(error)
        }
        if format == .fmp4 {
            fragmentOpen = true
            fragmentPayload += packet.size
        }
        if let partPicture { try cutPart(after: partPicture) }
        // The keyframe's bytes are where the output stands (FFmpeg's buffer counted): no flush.
        if isVideoKeyframe && format == .ts && encryption == nil {
            current?.keyframes.append(KeyframeRecord(time: time, offset: start, length: output.position - start))
        }
    }

    /// Ends the current segment at `end` (seconds from the origin: the next segment's start,
    /// or the end of the input) and publishes its file under its final name.
    func endSegment(at end: Double, final: Bool = false) throws(IngestError) {
        guard current != nil else { return }
        // The open fragment's keyframe belongs to this segment: record it before taking the record.
        try finishFragment()
        if partStart != nil, let segment = current {
            // The last part takes what is left of the segment: its parts add up to its EXTINF.
            try endPart(duration: max(0, end - segment.start) - pendingParts.reduce(0) { $0 + $1.duration })
        }
        guard var segment = current else { return }
        if final {
            do { try muxer.writeTrailer() } catch { throw .ffmpeg(error) }
        } else if format == .ts {
            // Audio frames waiting to share a PES packet belong to this segment.
            do { try muxer.flush() } catch { throw .ffmpeg(error) }
        }
        try io {
            if encryption != nil { try output.endEncryption() }
            if durable { try output.sync() } else { try output.flush() }
            segment.length = output.position - segment.offset
            if !singleFile || final { try closeFile() }
        }
        segment.duration = max(0, end - segment.start)
        segment.parts = pendingParts
        pendingParts = []
        if segment.index == 0 { try splitInitSection(from: &segment) }
        if !singleFile {
            try io {
                try atPaths(writingName(segment.uri), segment.uri) { (paths) throws(FileSequenceError) in try Self.rename(paths[0], to: paths[1]) }
                if durable { try atPaths(".") { (paths) throws(FileSequenceError) in try FileWriting.syncDirectory(paths[0]) } }
            }
        }
        segments.append(segment)
        current = nil
    }

    private static func rename(_ source: String, to destination: String) throws(FileSequenceError) {
        guard Glibc.rename(source, destination) == 0 else { throw FileSequenceError(code: errno) }
    }

    private func finishFragment() throws(IngestError) {
        guard format == .fmp4, fragmentOpen else { return }
        if initPending, initSection == nil {
            // With delay_moov the first flush writes only ftyp + moov (edit lists now known) and
            // keeps the samples; the flush below writes them as the first moof + mdat.
            do { try muxer.flush() } catch { throw .ffmpeg(error) }
            try io { try output.flush() }
            initSection = (fileName(forSegment: 0), 0, output.position)
            current?.offset = output.position
            partOffset = output.position
            if partDuration != nil { try publishInitSection() }
            if let pending = pendingEncryption {
                pendingEncryption = nil
                try io { try output.beginEncryption(key: pending.key, iv: pending.iv) }
            }
        }
        let fragmentBegin = output.position
        do { try muxer.flush() } catch { throw .ffmpeg(error) }
        // Read back (a keyframe's moof) or copied (a part): the fragment must be in the file.
        if pendingKeyframe != nil || partDuration != nil { try io { try output.flush() } }
        fragmentOpen = false
        fragmentPayload = 0
        guard let keyframe = pendingKeyframe else { return }
        pendingKeyframe = nil
        // The fragment is moof + mdat; the keyframe leads the mdat payload.
        let moof = try box(at: fragmentBegin)
        let mdat = try box(at: moof.range.upperBound)
        current?.keyframes.append(KeyframeRecord(time: keyframe.time, offset: fragmentBegin, length: mdat.payload.lowerBound - fragmentBegin + keyframe.size))
    }

    /// Before a picture (decode time and duration in seconds): ends the part it would take past
    /// the part duration, and starts a part when none is open.
    private func cutPart(before picture: (decoded: Double, duration: Double), independent: Bool) throws(IngestError) {
        guard let partDuration else { return }
        if let start = partStart, picture.decoded + picture.duration > start.decodeTime + partDuration + 0.000_5 {
            try endPart(duration: picture.decoded - start.decodeTime)
        }
        if partStart == nil { partStart = (picture.decoded, independent) }
    }

    /// After a picture: when another as long would not fit, the part is complete now, a
    /// picture's interval sooner than when the next picture comes (a live source's latency).
    private func cutPart(after picture: (decoded: Double, duration: Double)) throws(IngestError) {
        guard let partDuration, let start = partStart, picture.duration > 0,
              picture.decoded + 2 * picture.duration > start.decodeTime + partDuration + 0.000_5 else { return }
        try endPart(duration: picture.decoded + picture.duration - start.decodeTime)
    }

    /// Ends the part being written, `duration` seconds long: its fragments are flushed, and
    /// their bytes published as the part's own file, renamed into place like a segment. The
    /// segment's file keeps the same bytes, so the segment is its parts in order.
    private func endPart(duration: Double) throws(IngestError) {
        guard let start = partStart, current != nil else { return }
        try finishFragment()
        partStart = nil
        // Read after the flush: the first one may have moved the segment's start past the init section.
        guard let segment = current else { return }
        let range = max(partOffset, segment.offset)..<output.position
        partOffset = output.position
        guard !range.isEmpty else { return }
        let name = LibraryLayout.part(pendingParts.count, ofSegment: segment.index, extension: format.segmentExtension, generation: generation)
        try publish(range, of: segment.uri, as: name)
        pendingParts.append(PartRecord(uri: name, duration: max(0, duration), independent: start.independent))
    }

    /// Publishes `init.mp4` from the start of the first segment's file: with parts as soon as
    /// the muxer has written it (the first parts need it long before the first segment is
    /// complete), else when that segment is.
    private func publishInitSection() throws(IngestError) {
        guard let section = initSection, !initPublished else { return }
        try publish(0..<section.length, of: section.uri, as: LibraryLayout.initSection(generation: generation))
        initPublished = true
    }

    /// Publishes `range` of the file being written as `uri` under `name`: copied aside, then
    /// renamed into place.
    private func publish(_ range: Range<Int64>, of uri: String, as name: String) throws(IngestError) {
        try io {
            try atPaths(writingName(uri), writingName(name), name) { (paths) throws in
                try Self.copy(from: paths[0], range: range, to: paths[1], sync: durable)
                try Self.rename(paths[1], to: paths[2])
            }
        }
    }

    /// Moves the init section that `delay_moov` wrote at the start of segment 0's file into
    /// `init.mp4` (`init-1.mp4` in generation 1), and the rest of that file into place as
    /// segment 0 alone.
    private func splitInitSection(from segment: inout SegmentRecord) throws(IngestError) {
        guard let section = initSection, !singleFile, section.uri == segment.uri else { return }
        try publishInitSection()
        let source = writingName(segment.uri)
        try io {
            try atPaths(source, source + ".split") { (paths) throws in
                try Self.copy(from: paths[0], range: section.length..<Int64.max, to: paths[1], sync: durable)
                try Self.rename(paths[1], to: paths[0])
            }
        }
        initSection = (LibraryLayout.initSection(generation: generation), 0, section.length)
        segment.offset -= section.length
        for index in segment.keyframes.indices { segment.keyframes[index].offset -= section.length }
    }

    /// Copies `range` of one file into a new file in 1 MiB pieces, so memory stays flat
    /// however long the first segment is.
    private static func copy(from source: String, range: Range<Int64>, to destination: String, sync: Bool) throws {
        // Created in place with open(2): FileManager.createFile would write an empty file aside
        // and rename it, a rename nothing flushes.
        let descriptor = Glibc.open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSequenceError(code: errno) }
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        guard let input = FileHandle(forReadingAtPath: source) else { throw FileSequenceError(code: errno == 0 ? EIO : errno) }
        defer { try? input.close() }
        try input.seek(toOffset: UInt64(range.lowerBound))
        var remaining = range.upperBound - range.lowerBound
        while remaining > 0, let chunk = try input.read(upToCount: Int(min(remaining, 1 << 20))), !chunk.isEmpty {
            try output.write(contentsOf: chunk)
            remaining -= Int64(chunk.count)
        }
        if sync { try output.synchronize() }
    }

    /// The header of the box at `offset` in the open file (flushed), read back through a second
    /// descriptor.
    private func box(at offset: Int64) throws(IngestError) -> BoxHeader {
        guard let name = openFile, let handle = atPaths(name, body: { FileHandle(forReadingAtPath: $0[0]) }) else {
            throw .write(path: directory.path, reason: "cannot reopen the segment being written")
        }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil,
              let bytes = try? handle.read(upToCount: BoxHeader.maximumLength),
              let header = BoxHeader(bytes, at: offset, end: output.position) else {
            throw .write(path: directory.appendingPathComponent(name).path, reason: "no box header at offset \(offset)")
        }
        return header
    }

    private func setResendHeaders() throws(IngestError) {
        do { try muxer.setPrivateOption("mpegts_flags", "+resend_headers") } catch { throw .ffmpeg(error) }
    }

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
