import ArgumentParser
import Foundation
import HLSPlaylist
import Segmenter

/// `reel ingest INPUT`: segment a video into HLS in the library.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Segment a video into HLS (stream copy or a transcoded ladder) and publish it in the library.",
        discussion: """
            Cuts on video keyframes along a cumulative grid of --segment-duration seconds and writes \
            fMP4/CMAF or MPEG-TS segments, a media playlist, an I-frame playlist and a master playlist. \
            The asset appears in the library only when complete; a failure leaves the library as it was.
            """
    )

    enum Progress: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

    @Argument(help: "The video or audio file to ingest; - reads an MPEG-TS or Matroska stream from standard input.")
    var input: String

    @Option(help: "The library directory.")
    var library = "./library"

    @Option(help: "Asset name (default: the input's file name without extension, made safe).")
    var name: String?

    @Option(help: "Target segment duration in seconds.")
    var segmentDuration: Double = 6

    @Option(help: "Segment format: fmp4 or ts.")
    var format: SegmentFormat = .fmp4

    @Flag(help: "Write each rendition's segments into one file addressed by byte ranges.")
    var singleFile = false

    @Option(help: ArgumentHelp(
        "Renditions: copy (stream copy), a ladder of heights such as 1080p,720p,480p,360p (transcoded to H.264 + AAC), or copy leading a ladder.",
        valueName: "copy|LADDER"
    ))
    var renditions = "copy"

    @Option(help: ArgumentHelp("Video bit rate of one ladder rung in kb/s, e.g. 720p=2500 (repeatable).", valueName: "RUNG=KBPS"))
    var videoBitrate: [String] = []

    @Option(help: "x264 preset of transcoded rungs (ultrafast ... veryslow).")
    var preset = "veryfast"

    @Flag(help: "Replace an existing asset of the same name.")
    var force = false

    @Flag(help: "Read no faster than 1x media time, like a live source.")
    var realtime = false

    @Option(help: ArgumentHelp(
        "Low-Latency HLS: publish parts of at most this many seconds (0.2 to 2, at most half the segment duration; fMP4 only) as they complete.",
        valueName: "SECONDS"
    ))
    var partDuration: Double?

    @Option(help: ArgumentHelp(
        "Encrypt every audio and video segment with AES-128 (RFC 8216 METHOD=AES-128); the keys are kept in the asset and delivered by reel serve.",
        valueName: "aes-128"
    ))
    var encrypt: EncryptionMethod?

    @Option(help: ArgumentHelp("With --encrypt: a new key every N segments (default: one key per rendition).", valueName: "N"))
    var keyRotation: Int?

    @Flag(help: "Flush every segment, playlist and manifest to disk before publishing it, so a power cut loses at most the segment being written (slower; see the README).")
    var durable = false

    @Option(help: "Progress line on stderr: auto (when stderr is a terminal), always or never.")
    var progress: Progress = .auto

    @Flag(help: "Print the result as one JSON object on stdout.")
    var json = false

    func validate() throws {
        guard segmentDuration.isFinite, segmentDuration >= 0.1, segmentDuration <= 600 else {
            throw ValidationError("--segment-duration must be between 0.1 and 600 seconds")
        }
        try validatePartDuration()
        try validateEncryption()
        if let name, !AssetName.isValid(name) {
            throw ValidationError("invalid asset name '\(name)': use 1-128 of A-Z a-z 0-9 . _ - starting with a letter or digit")
        }
        if input == "-", name == nil {
            throw ValidationError("--name is required when the input is standard input (-)")
        }
        let ladder: RenditionLadder
        do {
            ladder = try RenditionLadder(parsing: renditions)
        } catch {
            throw ValidationError(error.description)
        }
        for value in videoBitrate {
            let height: Int
            do {
                height = try RungBitRate.parseOverride(value).height
            } catch {
                throw ValidationError(error.description)
            }
            guard ladder.heights.contains(height) else {
                throw ValidationError("--video-bitrate \(value): \(RenditionLadder.name(ofHeight: height)) is not in --renditions \(renditions)")
            }
        }
        let presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"]
        guard presets.contains(preset) else {
            throw ValidationError("--preset must be one of \(presets.joined(separator: ", "))")
        }
    }

    private func validatePartDuration() throws {
        guard let partDuration else { return }
        guard format == .fmp4 else {
            throw ValidationError("--part-duration needs --format fmp4: Low-Latency HLS parts are fMP4 fragments")
        }
        guard !singleFile else {
            throw ValidationError("--part-duration cannot be combined with --single-file yet: parts are files of their own")
        }
        guard partDuration.isFinite, partDuration >= 0.2, partDuration <= 2 else {
            throw ValidationError("--part-duration must be between 0.2 and 2 seconds")
        }
        guard partDuration <= segmentDuration / 2 else {
            throw ValidationError("--part-duration must be at most half of --segment-duration (\(segmentDuration) s)")
        }
    }

    private func validateEncryption() throws {
        if let keyRotation {
            guard encrypt != nil else { throw ValidationError("--key-rotation needs --encrypt aes-128") }
            guard keyRotation >= 1 else { throw ValidationError("--key-rotation must be a whole number of segments, 1 or more") }
        }
        if encrypt != nil, singleFile {
            throw ValidationError("--encrypt cannot be combined with --single-file: ffmpeg's HLS client cannot play AES-128 byte ranges, so no player here proves them")
        }
        if encrypt != nil, partDuration != nil {
            throw ValidationError("--encrypt cannot be combined with --part-duration: each part of a whole-segment encryption would need padding of its own")
        }
    }

    func run() throws {
        guard let assetName = name ?? AssetName.derived(fromInput: input) else {
            throw CommandFailure.usage("cannot derive an asset name from '\(input)'; pass --name")
        }
        var request = IngestRequest(
            input: input, name: assetName, library: URL(fileURLWithPath: library, isDirectory: true),
            segmentDuration: segmentDuration, format: format, singleFile: singleFile, force: force
        )
        request.realtime = realtime
        request.durability = durable ? .synced : .buffered
        request.partDuration = partDuration
        request.encryption = encrypt.map { _ in SegmentEncryption(keyRotation: keyRotation) }
        request.renditions = try RenditionLadder(parsing: renditions)
        for value in videoBitrate {
            let override = try RungBitRate.parseOverride(value)
            request.videoBitRates[override.height] = override.bitRate
        }
        request.preset = preset
        let line = ProgressLine(enabled: progress == .always || (progress == .auto && isatty(STDERR_FILENO) == 1))
        let result: IngestResult
        do {
            let interruption = Interruption.watch()
            result = try IngestPipeline(request).run(
                progress: { line.update($0) },
                notice: { message in line.clear(); StandardError.print("reel: warning: \(message)") },
                isCancelled: { interruption.happened }
            )
        } catch {
            line.clear()
            throw CommandFailure(message: error.description, status: 1)
        }
        line.finish()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else if progress != .never {
            let segments = result.renditions.first?.segments ?? 0
            print("\(result.name): \(segments) segments, \(Format.seconds(result.duration)) in \(Format.seconds(result.elapsed)) → \(result.master)")
        }
    }
}

extension SegmentFormat: ExpressibleByArgument {}

/// `--encrypt`: the one method Reel writes.
enum EncryptionMethod: String, ExpressibleByArgument, CaseIterable {
    case aes128 = "aes-128"
}
