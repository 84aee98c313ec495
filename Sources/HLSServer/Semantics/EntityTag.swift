/// An entity tag (RFC 9110 §8.8.3): an opaque quoted string, strong or weak.
public struct EntityTag: Sendable, Hashable, CustomStringConvertible {
    public var isWeak: Bool
    /// The characters between the quotes.
    public var opaque: String

    public init(opaque: String, isWeak: Bool = false) {
        self.opaque = opaque
        self.isWeak = isWeak
    }

    /// Reel's strong ETag for a file: its inode, size and modification time in nanoseconds,
    /// so any change to the file (even a same-size rewrite in the same second) changes it.
    public init(inode: UInt64, size: Int64, modifiedNanoseconds: Int64) {
        self.init(opaque: "\(String(inode, radix: 16))-\(String(size, radix: 16))-\(String(modifiedNanoseconds, radix: 16))")
    }

    /// `"opaque"` or `W/"opaque"`.
    public var description: String { (isWeak ? "W/" : "") + "\"" + opaque + "\"" }

    /// Strong comparison: both strong and identical (RFC 9110 §8.8.3.2).
    public func matchesStrongly(_ other: EntityTag) -> Bool { !isWeak && !other.isWeak && opaque == other.opaque }

    /// Weak comparison: identical opaque strings, weakness ignored.
    public func matchesWeakly(_ other: EntityTag) -> Bool { opaque == other.opaque }

    /// One entity tag, exactly; nil when `text` is anything else.
    public init?(parsing text: some StringProtocol) {
        guard case .tags(let tags)? = EntityTagList(parsing: text), tags.count == 1 else { return nil }
        self = tags[0]
    }
}

/// The value of If-Match or If-None-Match: `*` or a comma-separated list of entity tags.
public enum EntityTagList: Sendable, Hashable {
    case any
    case tags([EntityTag])

    /// Parses a header value; nil when it is malformed (the condition is then ignored).
    public init?(parsing text: some StringProtocol) {
        let bytes = Array(text.utf8)
        var index = 0
        func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        }
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "*") {
            index += 1
            skipSpace()
            guard index == bytes.count else { return nil }
            self = .any
            return
        }
        var tags: [EntityTag] = []
        while true {
            skipSpace()
            // Empty list elements are allowed ("a, , b") by RFC 9110 §5.6.1.
            if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard index < bytes.count else { break }
            var weak = false
            if bytes.count - index >= 2, bytes[index] == UInt8(ascii: "W"), bytes[index + 1] == UInt8(ascii: "/") {
                weak = true
                index += 2
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            let start = index
            // etagc = %x21 / %x23-7E / obs-text: anything but DQUOTE, controls and space.
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                let byte = bytes[index]
                guard byte == 0x21 || (byte >= 0x23 && byte != 0x7F) else { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            tags.append(EntityTag(opaque: String(decoding: bytes[start..<index], as: UTF8.self), isWeak: weak))
            index += 1
            skipSpace()
            guard index == bytes.count || bytes[index] == UInt8(ascii: ",") else { return nil }
        }
        guard !tags.isEmpty else { return nil }
        self = .tags(tags)
    }
}

extension EntityTagList {
    /// If-Match: `*`, or a tag strongly equal to `tag`.
    public func matchesStrongly(_ tag: EntityTag) -> Bool {
        switch self {
        case .any: true
        case .tags(let tags): tags.contains { $0.matchesStrongly(tag) }
        }
    }

    /// If-None-Match: `*`, or a tag weakly equal to `tag`.
    public func matchesWeakly(_ tag: EntityTag) -> Bool {
        switch self {
        case .any: true
        case .tags(let tags): tags.contains { $0.matchesWeakly(tag) }
        }
    }
}
