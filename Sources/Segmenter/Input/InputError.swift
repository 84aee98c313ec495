/// Why an input file could not be used, with the path it concerns.
///
/// The CLI prints `description` after "reel: " and exits 1; the server never sees these.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case notFound
        case isDirectory
        case unreadable(String)
        case notMedia(FFmpegError?)
        case noMediaStreams
        case corrupt(FFmpegError)
        /// The packets end well before the duration the container declares.
        case truncated(mediaEnd: Double, declaredDuration: Double)
        /// A subtitle file (a sidecar) that FFmpeg does not read as SubRip or WebVTT.
        case notSubtitles
    }

    /// The input as the user named it.
    public let path: String
    public let reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// One line: the path, then the reason, e.g. "clip.mp4: not a media file (Invalid data found when processing input)".
    public var description: String { "\(path): \(reasonText)" }

    public var reasonText: String {
        switch reason {
        case .notFound: "no such file"
        case .isDirectory: "is a directory, not a media file"
        case .unreadable(let why): "cannot be read (\(why))"
        case .notMedia(let error?): "not a media file (\(error.message))"
        case .notMedia(nil): "not a media file"
        case .noMediaStreams: "no audio or video stream"
        case .corrupt(let error): "corrupt or truncated media (\(error.message))"
        case .truncated(let end, let duration):
            "truncated: media data ends at \(Self.seconds(end)) s of \(Self.seconds(duration)) s"
        case .notSubtitles: "not a subtitle file (SubRip or WebVTT)"
        }
    }

    private static func seconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
