/// The Media Initialization Section named by `EXT-X-MAP` (RFC 8216 §4.3.2.5),
/// e.g. the `init.mp4` of a fragmented MP4 rendition.
public struct MediaInitializationSection: Sendable, Hashable {
    /// URI of the resource holding the initialization section, relative to the playlist.
    public var uri: String
    /// The part of the resource holding the section; `nil` means the whole resource.
    public var byteRange: ByteRange?

    /// Creates an initialization section reference.
    public init(uri: String, byteRange: ByteRange? = nil) {
        self.uri = uri
        self.byteRange = byteRange
    }
}
