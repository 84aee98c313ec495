/// An `attribute-list` (RFC 8216 §4.2): comma-separated `NAME=value` pairs where
/// a value is either a double-quoted string (which may contain commas) or an
/// unquoted token (integer, float, hex, resolution or enumerated string).
///
/// Order is preserved so that rendering is deterministic.
public struct AttributeList: Sendable, Hashable {
    /// An attribute value, remembering whether it was quoted: RFC 8216 gives
    /// `CLOSED-CAPTIONS="cc1"` and `CLOSED-CAPTIONS=NONE` different meanings.
    public enum Value: Sendable, Hashable {
        /// A `quoted-string`, without its quotes.
        case quoted(String)
        /// Any unquoted value, verbatim.
        case unquoted(String)

        /// The value's text, without quotes.
        public var text: String {
            switch self {
            case .quoted(let text), .unquoted(let text): text
            }
        }
    }

    /// One `NAME=value` pair.
    public struct Attribute: Sendable, Hashable {
        /// The attribute name, e.g. `BANDWIDTH`.
        public var name: String
        /// The attribute value.
        public var value: Value

        /// Creates an attribute.
        public init(name: String, value: Value) {
            self.name = name
            self.value = value
        }
    }

    /// Why an attribute list could not be read.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        /// A human-readable explanation, e.g. `unterminated quoted string in URI`.
        public var detail: String

        /// Creates a syntax error.
        public init(detail: String) {
            self.detail = detail
        }

        /// Describes the error.
        public var description: String { detail }
    }

    /// The attributes in the order they were written or added.
    public private(set) var attributes: [Attribute]

    /// Creates a list from attributes, in order.
    public init(_ attributes: [Attribute] = []) {
        self.attributes = attributes
    }

    /// Parses an attribute list.
    ///
    /// Tolerates spaces around separators and a trailing comma (both are common in
    /// hand-written playlists); rejects names outside `[A-Z0-9-]`, a missing `=`,
    /// empty or unterminated values, quotes inside unquoted values, and repeated
    /// names (RFC 8216 §4.2: "Clients SHOULD refuse to parse such Playlists").
    public init(parsing text: some StringProtocol) throws(SyntaxError) {
        var scanner = Scanner(bytes: Array(text.utf8))
        var attributes: [Attribute] = []
        var seen = Set<String>()
        while true {
            scanner.skipSpaces()
            if scanner.atEnd { break }
            let name = try scanner.name()
            let value = try scanner.value(of: name)
            guard seen.insert(name).inserted else { throw SyntaxError(detail: "duplicate attribute \(name)") }
            attributes.append(Attribute(name: name, value: value))
            scanner.skipComma()
        }
        self.attributes = attributes
    }

    /// Reads an attribute list's bytes from front to back.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skipSpaces() {
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        }

        mutating func skipComma() {
            if index < bytes.count { index += 1 }
        }

        func string(_ range: Range<Int>) -> String {
            String(decoding: bytes[range], as: UTF8.self)
        }

        /// The bytes from `index` up to `stop` or `other` (or the end), trailing spaces left out.
        mutating func run(until stop: UInt8, or other: UInt8? = nil) -> Range<Int> {
            let start = index
            while index < bytes.count, bytes[index] != stop, bytes[index] != other { index += 1 }
            var end = index
            while end > start, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
            return start..<end
        }

        /// An attribute's name and the `=` after it.
        mutating func name() throws(SyntaxError) -> String {
            let name = string(run(until: UInt8(ascii: "="), or: UInt8(ascii: ",")))
            guard !name.isEmpty else { throw SyntaxError(detail: "empty attribute name") }
            guard name.utf8.allSatisfy(AttributeList.isNameByte) else {
                throw SyntaxError(detail: "invalid attribute name \"\(name)\"")
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                throw SyntaxError(detail: "missing '=' after \(name)")
            }
            index += 1
            skipSpaces()
            return name
        }

        /// The value of attribute `name`, up to the comma after it (or the end).
        mutating func value(of name: String) throws(SyntaxError) -> Value {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                let range = run(until: UInt8(ascii: ","))
                guard !range.isEmpty else { throw SyntaxError(detail: "empty value for \(name)") }
                guard !bytes[range].contains(UInt8(ascii: "\"")) else {
                    throw SyntaxError(detail: "stray quote in value of \(name)")
                }
                return .unquoted(string(range))
            }
            let valueStart = index + 1
            guard let close = bytes[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else {
                throw SyntaxError(detail: "unterminated quoted string in \(name)")
            }
            index = close + 1
            skipSpaces()
            guard atEnd || bytes[index] == UInt8(ascii: ",") else {
                throw SyntaxError(detail: "unexpected character after quoted value of \(name)")
            }
            return .quoted(string(valueStart..<close))
        }
    }

    /// The value of the attribute called `name`, if present.
    public subscript(name: String) -> Value? {
        attributes.first { $0.name == name }?.value
    }

    /// Whether an attribute called `name` is present.
    public func contains(_ name: String) -> Bool {
        attributes.contains { $0.name == name }
    }

    /// Appends `NAME="text"`. Characters a quoted-string cannot hold (`"`, CR, LF)
    /// are replaced so the output always parses: `"` becomes `'`, line breaks a space.
    public mutating func appendQuoted(_ name: String, _ text: String) {
        attributes.append(Attribute(name: name, value: .quoted(Self.sanitizedQuoted(text))))
    }

    /// Appends `NAME=token` verbatim; use for numbers and enumerated strings.
    public mutating func appendUnquoted(_ name: String, _ token: String) {
        attributes.append(Attribute(name: name, value: .unquoted(token)))
    }

    /// The canonical text form, `A=1,B="x"`.
    public var rendered: String {
        attributes.map { attribute in
            switch attribute.value {
            case .quoted(let text): "\(attribute.name)=\"\(text)\""
            case .unquoted(let text): "\(attribute.name)=\(text)"
            }
        }.joined(separator: ",")
    }

    static func sanitizedQuoted(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result.append("'")
            case "\n", "\r": result.append(" ")
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-")
    }
}
