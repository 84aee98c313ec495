import Foundation
import ReelTestSupport

// Helpers for the complete-presentation tests (issue 13). Everything here reads Reel's output
// with its own small parsers and with ffmpeg/ffprobe, never with Reel's HLSPlaylist module, so
// a bug shared by Reel's writer and parser cannot hide itself.

// MARK: - Playlists, read as text

/// An HLS playlist (master or media) read line by line.
struct PlainPlaylist: Sendable {
    /// A tag line: `#EXT-X-NAME:value`, with its attribute list parsed when it has one.
    struct Tag: Sendable {
        let name: String
        let value: String
        let attributes: [String: String]
    }

    /// A variant (`EXT-X-STREAM-INF` and the URI line after it).
    struct Variant: Sendable {
        let attributes: [String: String]
        let uri: String
    }

    struct Segment: Sendable {
        let duration: Double
        let uri: String
    }

    let text: String
    let tags: [Tag]
    let variants: [Variant]
    let segments: [Segment]

    init(text: String) {
        self.text = text
        var tags: [Tag] = []
        var variants: [Variant] = []
        var segments: [Segment] = []
        var pendingVariant: [String: String]?
        var pendingDuration: Double?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("#EXT") {
                let colon = line.firstIndex(of: ":")
                let name = String(colon.map { line[line.index(after: line.startIndex)..<$0] } ?? line.dropFirst())
                let value = colon.map { String(line[line.index(after: $0)...]) } ?? ""
                let tag = Tag(name: name, value: value, attributes: Self.attributes(value))
                tags.append(tag)
                if name == "EXT-X-STREAM-INF" { pendingVariant = tag.attributes }
                if name == "EXTINF" { pendingDuration = Double(value.split(separator: ",", maxSplits: 1).first ?? "") }
            } else if line.hasPrefix("#") {
                continue
            } else if let attributes = pendingVariant {
                variants.append(Variant(attributes: attributes, uri: line))
                pendingVariant = nil
            } else if let duration = pendingDuration {
                segments.append(Segment(duration: duration, uri: line))
                pendingDuration = nil
            }
        }
        self.tags = tags
        self.variants = variants
        self.segments = segments
    }

    init(contentsOf url: URL) throws {
        self.init(text: try String(contentsOf: url, encoding: .utf8))
    }

    func tags(_ name: String) -> [Tag] { tags.filter { $0.name == name } }

    /// `EXT-X-MEDIA` attribute lists.
    var media: [[String: String]] { tags("EXT-X-MEDIA").map(\.attributes) }
    /// `EXT-X-I-FRAME-STREAM-INF` attribute lists.
    var iFrameStreams: [[String: String]] { tags("EXT-X-I-FRAME-STREAM-INF").map(\.attributes) }
    var targetDuration: Int? { tags("EXT-X-TARGETDURATION").first.flatMap { Int($0.value) } }
    var mapURI: String? { tags("EXT-X-MAP").first?.attributes["URI"] }
    var hasDiscontinuity: Bool { !tags("EXT-X-DISCONTINUITY").isEmpty }
    var endList: Bool { !tags("EXT-X-ENDLIST").isEmpty }
    var totalDuration: Double { segments.reduce(0) { $0 + $1.duration } }

    /// Parses an attribute list (`A=1,B="x,y",C=WORD`); quotes are removed from quoted values.
    /// A value that is no attribute list (e.g. `6`, `2.000000,`) gives an empty dictionary.
    static func attributes(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var key = ""
        var value = ""
        var inKey = true
        var inQuotes = false
        func finish() {
            if !key.isEmpty, !inKey { result[key] = value }
            key = ""
            value = ""
            inKey = true
        }
        for character in text {
            if inKey {
                if character == "=" { inKey = false } else if character == "," { key = "" } else { key.append(character) }
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == ",", !inQuotes {
                finish()
            } else {
                value.append(character)
            }
        }
        finish()
        // Keys must look like attribute names, else this was no attribute list.
        if result.keys.contains(where: { $0.isEmpty || $0.contains(where: { !($0.isUppercase || $0.isNumber || $0 == "-") }) }) {
            return [:]
        }
        return result
    }
}

extension Dictionary where Key == String, Value == String {
    /// `CODECS` split into its codec strings.
    var codecList: [String] { (self["CODECS"] ?? "").split(separator: ",").map(String.init) }
    /// `RESOLUTION` as (width, height).
    var resolution: (width: Int, height: Int)? {
        let parts = (self["RESOLUTION"] ?? "").split(separator: "x").compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }
}

// MARK: - An ingested asset

/// `reel ingest` of one fixture into a library of its own, and what it wrote.
struct PresentationIngest: @unchecked Sendable {
    // @unchecked: TemporaryDirectory values are immutable; the struct is used by one test.
    let library: TemporaryDirectory
    let scratch: TemporaryDirectory
    let result: ProcessResult
    let name: String
    let arguments: [String]

    var asset: URL { library.url.appendingPathComponent(name) }
    var masterURL: URL { asset.appendingPathComponent("master.m3u8") }
    var command: String { (["reel"] + arguments).joined(separator: " ") }

    /// Runs `reel ingest INPUT --library L --name N --segment-duration 2 --progress never` plus
    /// `extra` (e.g. `--format ts --renditions 180p,144p`), into a library of its own unless
    /// `library` is given (several assets served together); `stdin` feeds `INPUT` `-`.
    static func run(input: String, name: String = "asset", library: TemporaryDirectory? = nil, stdin: Data? = nil, _ extra: [String]) async throws -> PresentationIngest {
        let library = try library ?? TemporaryDirectory(prefix: "presentation")
        let scratch = try TemporaryDirectory(prefix: "presentation-scratch")
        let arguments = ["ingest", input, "--library", library.path, "--name", name, "--segment-duration", "2", "--progress", "never"] + extra
        let result = try await Slots.shared.run { try await ReelBinary.run(arguments, stdin: stdin, timeout: .seconds(180)) }
        return PresentationIngest(library: library, scratch: scratch, result: result, name: name, arguments: arguments)
    }

    static func run(fixture: String, format: String, renditions: String = "copy", _ extra: [String] = []) async throws -> PresentationIngest {
        try await run(input: Fixture.path(fixture), ["--format", format, "--renditions", renditions] + extra)
    }

    func master() throws -> PlainPlaylist { try PlainPlaylist(contentsOf: masterURL) }

    func playlist(_ uri: String) throws -> PlainPlaylist { try PlainPlaylist(contentsOf: asset.appendingPathComponent(uri)) }

    /// Every media playlist the master names: variants, EXT-X-MEDIA URIs, I-frame playlists.
    func allMediaPlaylistURIs() throws -> [String] {
        let master = try master()
        return master.variants.map(\.uri) + master.media.compactMap { $0["URI"] } + master.iFrameStreams.compactMap { $0["URI"] }
    }

    /// A rendition's init section and segments concatenated into one file ffprobe/ffmpeg read
    /// without the HLS demuxer; `segments` limits it to the first few.
    func wholeStream(_ uri: String, segments limit: Int? = nil) throws -> String {
        let playlistURL = asset.appendingPathComponent(uri)
        let directory = playlistURL.deletingLastPathComponent()
        let playlist = try PlainPlaylist(contentsOf: playlistURL)
        var data = Data()
        if let map = playlist.mapURI { data += try Data(contentsOf: directory.appendingPathComponent(map)) }
        for segment in playlist.segments.prefix(limit ?? playlist.segments.count) {
            data += try Data(contentsOf: directory.appendingPathComponent(segment.uri))
        }
        let file = scratch.appending("\(uri.replacingOccurrences(of: "/", with: "_"))-\(limit.map(String.init) ?? "all").\(playlist.mapURI == nil ? "ts" : "mp4")")
        try data.write(to: file)
        return file.path
    }

    /// The text of a file inside the asset.
    func text(_ relative: String) throws -> String {
        try String(contentsOf: asset.appendingPathComponent(relative), encoding: .utf8)
    }

    /// A description for failure messages: the command and what it printed.
    var report: String { "`\(command)` exited \(result.status): \(result.stderrText)" }
}

// MARK: - Bounded parallelism

/// At most `limit` heavy child processes at once across the parallel test cases: the suite
/// runs on two cores, and a hundred simultaneous ffmpeg runs would only trip timeouts.
actor Slots {
    static let shared = Slots(limit: max(3, ProcessInfo.processInfo.activeProcessorCount * 2))

    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    private func acquire() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    nonisolated func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let value = try await body()
            await release()
            return value
        } catch {
            await release()
            throw error
        }
    }
}

/// Runs an independent tool (ffmpeg, ffprobe, curl) within the process slots, with a timeout.
func tool(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(120)) async throws -> ProcessResult {
    try await Slots.shared.run { try await ProcessRunner.run(executable, arguments, timeout: timeout) }
}

/// `ffprobe -v error -of json ARGS` as a JSON object.
func probeJSON(_ arguments: [String]) async throws -> [String: Any] {
    let result = try await tool("ffprobe", ["-v", "error", "-of", "json"] + arguments)
    guard result.status == 0 else { throw MissingValue(description: "ffprobe \(arguments.joined(separator: " ")): \(result.stderrText)") }
    return try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] ?? [:]
}

/// ffprobe's streams of a file (or playlist).
func probeStreams(_ path: String) async throws -> [[String: Any]] {
    try await probeJSON(["-show_streams", path])["streams"] as? [[String: Any]] ?? []
}

/// Pictures in the first video stream, decoded (`ffprobe -count_frames`).
func decodedVideoFrames(_ path: String) async throws -> Int {
    try await Slots.shared.run { try await FFprobe.decodedFrameCount(path, streams: "v:0") }
}

/// Packets of one stream with their timestamps, in file (decode) order.
func probePackets(_ path: String, streams selector: String) async throws -> [FFprobe.Packet] {
    try await Slots.shared.run { try await FFprobe.packets(path, streams: selector) }
}

// MARK: - Tones

enum Tone {
    /// The first audio stream matching `selector` decoded to mono 48 kHz float samples.
    static func samples(_ path: String, stream selector: String = "0:a:0") async throws -> [Float] {
        let result = try await tool("ffmpeg", ["-hide_banner", "-v", "error", "-i", path, "-map", selector, "-ac", "1", "-ar", "48000", "-f", "f32le", "-"])
        guard result.status == 0 else { throw MissingValue(description: "ffmpeg cannot decode \(selector) of \(path): \(result.stderrText)") }
        return result.stdout.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// The frequency of a pure tone, from its upward zero crossings between `from` and `to` seconds.
    static func frequency(_ samples: [Float], from: Double, to: Double, rate: Double = 48000) -> Double {
        let start = max(0, Int(from * rate))
        let end = min(samples.count, Int(to * rate))
        guard end - start > 2 else { return 0 }
        var crossings: [Int] = []
        for index in (start + 1)..<end where samples[index - 1] < 0 && samples[index] >= 0 {
            crossings.append(index)
        }
        guard let first = crossings.first, let last = crossings.last, crossings.count > 1 else { return 0 }
        return Double(crossings.count - 1) * rate / Double(last - first)
    }
}

// MARK: - WebVTT

/// A WebVTT file (a segment, or ffmpeg's whole-track output) read as text.
struct PlainWebVTT: Sendable {
    struct Cue: Sendable, Hashable {
        let start: Double
        let end: Double
        let text: String
    }

    let text: String
    let cues: [Cue]
    /// `X-TIMESTAMP-MAP=MPEGTS:n,LOCAL:t`: (n, t in seconds), nil when absent.
    let timestampMap: (mpegts: Int, local: Double)?

    init(text: String) {
        self.text = text
        let blocks = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
        var cues: [Cue] = []
        var map: (Int, Double)?
        for line in (blocks.first ?? "").split(separator: "\n") where line.hasPrefix("X-TIMESTAMP-MAP=") {
            var mpegts: Int?
            var local: Double?
            for field in line.dropFirst("X-TIMESTAMP-MAP=".count).split(separator: ",") {
                if field.hasPrefix("MPEGTS:") { mpegts = Int(field.dropFirst(7)) }
                if field.hasPrefix("LOCAL:") { local = Self.seconds(String(field.dropFirst(6))) }
            }
            if let mpegts, let local { map = (mpegts, local) }
        }
        for block in blocks.dropFirst() {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            guard let timing = lines.firstIndex(where: { $0.contains("-->") }) else { continue }
            let parts = lines[timing].components(separatedBy: "-->")
            guard parts.count == 2,
                  let start = Self.seconds(parts[0].trimmingCharacters(in: .whitespaces)),
                  let end = Self.seconds(String(parts[1].trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? ""))
            else { continue }
            cues.append(Cue(start: start, end: end, text: lines[(timing + 1)...].joined(separator: "\n")))
        }
        self.cues = cues
        timestampMap = map
    }

    /// `hh:mm:ss.ttt` or `mm:ss.ttt` in seconds.
    static func seconds(_ text: String) -> Double? {
        let parts = text.split(separator: ":").map(String.init)
        guard (2...3).contains(parts.count), let last = Double(parts.last!) else { return nil }
        return parts.dropLast().reduce(0.0) { $0 * 60 + (Double($1) ?? .nan) } * 60 + last
    }

    /// WebVTT text with the character references a cue may use turned back into characters.
    static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&nbsp;", with: "\u{00A0}")
            .replacingOccurrences(of: "&lrm;", with: "\u{200E}")
            .replacingOccurrences(of: "&rlm;", with: "\u{200F}")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// A subtitle track's cues as ffmpeg decodes them (`-copyts`: times as in the container).
    static func cues(of path: String, stream selector: String?) async throws -> [Cue] {
        var arguments = ["-hide_banner", "-v", "error", "-copyts", "-i", path]
        if let selector { arguments += ["-map", selector] }
        let result = try await tool("ffmpeg", arguments + ["-f", "webvtt", "-"])
        guard result.status == 0 else { throw MissingValue(description: "ffmpeg cannot read subtitles \(selector ?? "") of \(path): \(result.stderrText)") }
        return PlainWebVTT(text: result.stdoutText).cues
    }
}

// MARK: - Small things

extension ProcessResult {
    /// `reel` or a tool's exit and output in one line, for failure messages.
    var summary: String { "exit \(status)\(timedOut ? " (timed out)" : ""); stderr: \(stderrText.isEmpty ? "(empty)" : stderrText)" }
}

/// The rotation an ffprobe stream reports in its side data (display matrix), nil when none.
func rotation(of stream: [String: Any]) -> Double? {
    let sideData = stream["side_data_list"] as? [[String: Any]] ?? []
    for entry in sideData {
        if let value = entry["rotation"] as? Double { return value }
        if let value = entry["rotation"] as? Int { return Double(value) }
    }
    return nil
}

/// The first stream of `type` ("video", "audio", "subtitle") in an ffprobe stream list.
func firstStream(_ streams: [[String: Any]], _ type: String) -> [String: Any]? {
    streams.first { $0["codec_type"] as? String == type }
}
