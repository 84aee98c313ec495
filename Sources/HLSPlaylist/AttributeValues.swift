/// Typed readers for attribute values, throwing errors that name the tag and line.
enum AttributeValues {
    static func yesNo(_ text: String, tag: String, attribute: String, line: Int) throws(PlaylistParseError) -> Bool {
        switch text {
        case "YES": return true
        case "NO": return false
        default:
            throw PlaylistParseError(line: line, reason: .invalidAttributeValue(tag: tag, attribute: attribute, value: text))
        }
    }

    static func float(_ attributes: AttributeList, _ name: String, tag: String, line: Int) throws(PlaylistParseError) -> Double? {
        guard let text = attributes[name]?.text else { return nil }
        guard let value = DecimalNumber.floatingPoint(text) else {
            throw PlaylistParseError(line: line, reason: .invalidAttributeValue(tag: tag, attribute: name, value: text))
        }
        return value
    }

    static func integer(_ attributes: AttributeList, _ name: String, tag: String, line: Int) throws(PlaylistParseError) -> Int? {
        guard let text = attributes[name]?.text else { return nil }
        guard let value = DecimalNumber.integer(text) else {
            throw PlaylistParseError(line: line, reason: .invalidAttributeValue(tag: tag, attribute: name, value: text))
        }
        return value
    }

    static func required<T>(_ value: T?, _ name: String, tag: String, line: Int) throws(PlaylistParseError) -> T {
        guard let value else {
            throw PlaylistParseError(line: line, reason: .missingAttribute(tag: tag, attribute: name))
        }
        return value
    }
}
