/// The `TYPE` of an `EXT-X-MEDIA` rendition.
public enum RenditionType: String, Sendable, Hashable, CaseIterable {
    /// `AUDIO`.
    case audio = "AUDIO"
    /// `VIDEO`.
    case video = "VIDEO"
    /// `SUBTITLES`.
    case subtitles = "SUBTITLES"
    /// `CLOSED-CAPTIONS`.
    case closedCaptions = "CLOSED-CAPTIONS"
}

/// An `EXT-X-MEDIA` tag (RFC 8216 §4.3.4.1): an alternative rendition, member of
/// the group `groupId`.
public struct Rendition: Sendable, Hashable {
    /// `TYPE`.
    public var type: RenditionType
    /// `GROUP-ID`.
    public var groupId: String
    /// `NAME`, unique within the group.
    public var name: String
    /// `LANGUAGE`, an RFC 5646 tag such as `en`.
    public var language: String?
    /// `DEFAULT=YES`.
    public var isDefault: Bool
    /// `AUTOSELECT=YES`.
    public var autoselect: Bool
    /// `FORCED=YES`: subtitles a player shows even when the user chose none (e.g. for
    /// foreign-language dialogue). Only meaningful, and only written, for ``RenditionType/subtitles``.
    public var forced: Bool
    /// `INSTREAM-ID`, required for closed captions (`CC1`…`CC4`, `SERVICE1`…).
    public var instreamId: String?
    /// `CHARACTERISTICS`: comma-separated Uniform Type Identifiers such as
    /// `public.accessibility.describes-video`.
    public var characteristics: String?
    /// `CHANNELS`, e.g. `2` or `6`.
    public var channels: String?
    /// `URI` of the rendition's media playlist; `nil` when the rendition is carried
    /// in the variant's own stream (and always for closed captions).
    public var uri: String?

    /// Creates a rendition.
    public init(
        type: RenditionType,
        groupId: String,
        name: String,
        language: String? = nil,
        isDefault: Bool = false,
        autoselect: Bool = false,
        forced: Bool = false,
        instreamId: String? = nil,
        characteristics: String? = nil,
        channels: String? = nil,
        uri: String? = nil
    ) {
        self.type = type
        self.groupId = groupId
        self.name = name
        self.language = language
        self.isDefault = isDefault
        self.autoselect = autoselect
        self.forced = forced
        self.instreamId = instreamId
        self.characteristics = characteristics
        self.channels = channels
        self.uri = uri
    }
}
