/// Cache-Control values (RFC 9111) for each kind of response, as SPEC sets them.
public enum CachePolicy: Sendable, Hashable {
    /// Media and init segments: never change once published.
    case segment
    /// A playlist with `#EXT-X-ENDLIST`, or the master of a ready asset.
    case finishedPlaylist
    /// A playlist still growing (or the master of an ingesting asset): a fresh copy at most
    /// half a target duration old.
    case growingPlaylist(targetDuration: Int)
    /// A growing playlist answering a blocking reload (`_HLS_msn`, `_HLS_part`): the URL names
    /// the state the client waits for, and the answer stays a right one for it (it holds that
    /// segment or part, or a later one), so a shared cache may keep it for six target
    /// durations, by when clients have moved on to later URLs. (The query is in the cache key.)
    case answeredReload(targetDuration: Int)
    /// A playlist of an asset whose ingest died: it will not change, but nor is it complete.
    case abandonedPlaylist
    /// A single-file rendition's media file while its ingest runs (it grows; only the byte
    /// ranges already listed are final), or after its ingest died.
    case growingFile
    /// `/media/` source files.
    case mediaFile
    /// An AES-128 key (`key-00000.key`): for the player alone, kept by no cache, shared or not.
    case key
    /// A playlist served with a signature (`reel serve --secret-file`): its URIs carry the
    /// viewer's signature, so only the viewer's own cache may keep it, as long as `shared`
    /// would allow a shared one to.
    indirect case perViewer(CachePolicy)
    /// API, page, health, metrics, manifests.
    case dynamic
    /// Any error response, 404 included.
    case error

    /// The policy cannot change while the file is unchanged: segments, finished playlists,
    /// media files. (A growing playlist's asset finishes; a growing file's ingest ends.)
    public var isFinal: Bool {
        switch self {
        case .segment, .finishedPlaylist, .mediaFile, .key: true
        case .perViewer(let shared): shared.isFinal
        default: false
        }
    }

    /// The policy of the same playlist answering a blocking reload.
    public var answeringReload: CachePolicy {
        switch self {
        case .growingPlaylist(let target): .answeredReload(targetDuration: target)
        case .perViewer(let shared): .perViewer(shared.answeringReload)
        default: self
        }
    }

    public var headerValue: String {
        switch self {
        case .segment, .finishedPlaylist, .mediaFile, .growingPlaylist, .answeredReload: "public, " + (freshness ?? "")
        case .abandonedPlaylist, .growingFile, .dynamic: "no-cache"
        case .error: "no-store"
        case .key: "private, no-store"
        case .perViewer(let shared): "private, " + (shared.freshness ?? shared.headerValue)
        }
    }

    /// How long a cache may keep a response (what follows `public, `); nil for the policies
    /// no cache may keep as it is.
    private var freshness: String? {
        switch self {
        case .segment: "max-age=31536000, immutable"
        case .finishedPlaylist, .mediaFile: "max-age=3600"
        case .growingPlaylist(let target): "max-age=\(max(1, target / 2))"
        case .answeredReload(let target): "max-age=\(6 * max(1, target))"
        default: nil
        }
    }
}
