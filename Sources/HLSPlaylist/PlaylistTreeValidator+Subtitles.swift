import Foundation

extension TreeWalk {
    /// The playlist of a `TYPE=SUBTITLES` rendition must be a WebVTT playlist (RFC 8216
    /// §3.5): no `EXT-X-MAP` (WebVTT has no initialization section), segment URIs
    /// ending in `.vtt` or `.webvtt`, and segments whose header is right (see
    /// ``WebVTTHeader``). An I-frames-only playlist is already reported by `checkKind`.
    /// Segment contents are only checked when the playlist itself looks like WebVTT.
    mutating func checkSubtitles(_ playlist: MediaPlaylist, lines: MediaPlaylistLines, path: String) async {
        var isWebVTT = !playlist.iFramesOnly
        if let mapLine = lines.map ?? lines.segments.lazy.compactMap(\.map).first {
            report(.invalidSubtitlePlaylist, path, mapLine, "a subtitles playlist must not have #EXT-X-MAP: WebVTT segments have no initialization section")
            isWebVTT = false
        }
        let misnamed = zip(playlist.segments, lines.segments).filter { !Self.hasWebVTTExtension($0.0.uri) }
        if let (segment, segmentLines) = misnamed.first {
            report(.invalidSubtitlePlaylist, path, segmentLines.uri,
                   "subtitle segment URI \"\(segment.uri)\" does not end in .vtt or .webvtt\(Self.others(misnamed.count - 1))")
            isWebVTT = false
        }
        if isWebVTT { await checkWebVTTSegments(playlist, lines: lines, path: path) }
    }

    /// Reads each WebVTT segment and reports header problems: the first segment with
    /// each kind of problem, with how many others share it (a segmenter that forgets
    /// `X-TIMESTAMP-MAP` forgets it in every segment).
    private mutating func checkWebVTTSegments(_ playlist: MediaPlaylist, lines: MediaPlaylistLines, path: String) async {
        var files: [String: Data?] = [:]  // nil: unreadable, already reported
        var failures: [(problem: WebVTTHeader.Problem, uri: String, line: Int, count: Int)] = []
        let ranges = playlist.resolvedByteRanges()
        for (index, (segment, segmentLines)) in zip(playlist.segments, lines.segments).enumerated() {
            guard let data = await segmentData(segment.uri, range: ranges[index], line: segmentLines.uri, path: path, files: &files),
                  let problem = WebVTTHeader.problem(in: data)
            else { continue }
            if let known = failures.firstIndex(where: { $0.problem.kind == problem.kind }) {
                failures[known].count += 1
            } else {
                failures.append((problem, segment.uri, segmentLines.uri, 0))
            }
        }
        for failure in failures {
            report(.invalidWebVTTSegment, path, failure.line,
                   "WebVTT segment \"\(failure.uri)\" \(failure.problem)\(Self.others(failure.count))")
        }
    }

    /// The bytes of a segment (its byte range, if it has one); `nil` when the file is
    /// missing, unsafe or out of range, which ``checkResources(of:lines:path:)`` reports.
    private mutating func segmentData(
        _ uri: String, range: Range<Int>?, line: Int, path: String, files: inout [String: Data?]
    ) async -> Data? {
        guard case .path(let resolved) = RelativeURI.resolve(uri, relativeTo: path),
              case .success(_?) = await size(of: resolved)
        else { return nil }
        let data: Data
        switch files[resolved] {
        case let cached??:
            data = cached
        case .some(nil):
            return nil
        case nil:
            do {
                data = try await source.contents(of: resolved)
                files[resolved] = .some(data)
            } catch {
                report(.unreadableFile, path, line, "cannot read segment \"\(uri)\": \(error)")
                files[resolved] = .some(nil)
                return nil
            }
        }
        guard let range else { return data }
        guard range.upperBound <= data.count else { return nil }
        return data.subdata(in: data.startIndex + range.lowerBound..<data.startIndex + range.upperBound)
    }

    /// Whether the path of `uri` (without query or fragment) ends in `.vtt` or `.webvtt`.
    static func hasWebVTTExtension(_ uri: String) -> Bool {
        let path = uri.prefix { $0 != "?" && $0 != "#" }.lowercased()
        return path.hasSuffix(".vtt") || path.hasSuffix(".webvtt")
    }

    /// `" (and 3 other segments)"`, or nothing for 0.
    private static func others(_ count: Int) -> String {
        switch count {
        case 0: ""
        case 1: " (and 1 other segment)"
        default: " (and \(count) other segments)"
        }
    }
}
