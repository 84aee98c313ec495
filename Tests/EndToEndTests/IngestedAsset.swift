import Foundation
import HLSPlaylist
import ReelTestSupport

/// An asset `reel ingest` wrote, read back with the playlist parser and measured with ffprobe.
struct IngestedAsset {
    let directory: URL
    let master: MultivariantPlaylist
    let media: MediaPlaylist
    let mediaDirectory: URL

    /// The asset in `directory`, seen through the media playlist at `playlist` (relative to the
    /// asset; by default the master's first variant).
    init(directory: URL, playlist: String? = nil) throws {
        self.directory = directory
        master = try MultivariantPlaylist(parsing: try String(contentsOf: directory.appendingPathComponent("master.m3u8"), encoding: .utf8))
        let uri = try playlist ?? requireValue(master.variants.first, "master has no variant").uri
        let mediaURL = directory.appendingPathComponent(uri)
        mediaDirectory = mediaURL.deletingLastPathComponent()
        media = try MediaPlaylist(parsing: try String(contentsOf: mediaURL, encoding: .utf8))
    }

    /// The bytes of segment `index` alone (its byte range, or the whole file).
    func segmentBytes(_ index: Int) throws -> Data {
        try bytes(uri: media.segments[index].uri, range: media.resolvedByteRanges()[index])
    }

    /// The init section's bytes (fMP4), empty for TS.
    func initBytes() throws -> Data {
        guard let map = media.map else { return Data() }
        let range = map.byteRange.map { ($0.offset ?? 0)..<(($0.offset ?? 0) + $0.length) }
        return try bytes(uri: map.uri, range: range)
    }

    /// The whole rendition as one file ffprobe can read (init section, then every segment).
    func wholeStream(in scratch: TemporaryDirectory, name: String) throws -> String {
        var data = try initBytes()
        for index in media.segments.indices { data += try segmentBytes(index) }
        let url = scratch.appending("\(name).\(media.map == nil ? "ts" : "mp4")")
        try data.write(to: url)
        return url.path
    }

    /// Segment `index` as a file ffprobe can read on its own (init section prepended for fMP4).
    func standaloneSegment(_ index: Int, in scratch: TemporaryDirectory) throws -> String {
        let url = scratch.appending("segment-\(index).\(media.map == nil ? "ts" : "mp4")")
        try (try initBytes() + segmentBytes(index)).write(to: url)
        return url.path
    }

    private func bytes(uri: String, range: Range<Int>?) throws -> Data {
        let data = try Data(contentsOf: mediaDirectory.appendingPathComponent(uri))
        guard let range else { return data }
        return data.subdata(in: range)
    }
}

struct MissingValue: Error, CustomStringConvertible {
    let description: String
}

func requireValue<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw MissingValue(description: message) }
    return value
}
