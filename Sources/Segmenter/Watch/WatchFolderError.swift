/// Why a watch folder could not be set up, or a watched file could not be moved.
public enum WatchFolderError: Error, Sendable, CustomStringConvertible {
    /// The watched directory, or its `failed` folder, could not be created or is not a directory.
    case directory(path: String, reason: String)
    /// inotify refused to watch the directory (e.g. the per-user limit of watches is reached).
    case watch(path: String, reason: String)
    /// The watched directory is also the library or the media folder: moving a file out of it
    /// would put it right back.
    case overlaps(path: String, other: String)
    /// A watched file could not be moved; it stays where it was.
    case move(from: String, to: String, reason: String)

    public var description: String {
        switch self {
        case let .directory(path, reason):
            "\(path): cannot use as a watch folder (\(reason))"
        case let .watch(path, reason):
            "\(path): cannot watch (\(reason))"
        case let .overlaps(path, other):
            "\(path): the watch folder cannot also be \(other)"
        case let .move(from, to, reason):
            "\(from): cannot move into \(to) (\(reason))"
        }
    }
}
