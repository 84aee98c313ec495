import Foundation
import HLSPlaylist
import NIOCore

extension FileResolver {
    /// Playlists larger than this are not parsed for their cache policy (they are taken as
    /// growing, revalidated every few seconds).
    static let largestParsedPlaylist: Int64 = 16 << 20

    /// The Cache-Control policy of a file, answering a blocking reload (`reload`) or not.
    func cachePolicy(for path: FilePath, file: OpenedFile, content: ByteBuffer?, policy: Policy, reload: Bool) -> CachePolicy {
        let plain = cachePolicy(for: path, file: file, content: content, policy: policy)
        return reload && LibraryLayout.isPlaylist(path.name) ? plain.answeringReload : plain
    }

    /// The Cache-Control policy of a file: by its asset's manifest (already parsed, in the
    /// catalog) in the library, or for a playlist without a manifest by its parsed text.
    func cachePolicy(for path: FilePath, file: OpenedFile, content: ByteBuffer?, policy: Policy) -> CachePolicy {
        guard case .library(let catalog) = policy else { return LibraryLayout.isKey(path.name) ? .key : .mediaFile }
        if let decided = CachePolicy.library(fileName: path.name, publication: catalog.publication(named: path.first)) {
            return decided
        }
        return playlistPolicy(of: file, key: path.relative, content: content)
    }

    /// A playlist's policy from its text, parsed once per version of the file and kept by file
    /// identity. Only playlists with no manifest beside them (hand-made trees) get here, so the
    /// read and the parse happen where the request is answered.
    private func playlistPolicy(of file: OpenedFile, key: String, content: ByteBuffer?) -> CachePolicy {
        if let known = playlistPolicies.value(for: key, identity: file.identity) { return known }
        let text = (content ?? file.readAll(limit: Self.largestParsedPlaylist)).map { String(buffer: $0) }
        let policy = CachePolicy.playlist(text.flatMap { try? MediaPlaylist(parsing: $0) })
        playlistPolicies.store(policy, for: key, identity: file.identity)
        return policy
    }
}
