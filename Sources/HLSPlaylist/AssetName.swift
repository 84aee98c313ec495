/// Asset names: `[A-Za-z0-9][A-Za-z0-9._-]{0,127}` (SPEC), so they are safe as directory
/// names and URL path segments.
public enum AssetName {
    @inlinable
    public static func isValid(_ name: some StringProtocol) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= 128, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// The default name for an input: its file name without extension, every run of other
    /// characters replaced by "-" (`My Clip.ts` → `My-Clip`); nil when nothing usable is left.
    public static func derived(fromInput path: String) -> String? {
        var base = Substring(path.split(separator: "/").last ?? Substring(path))
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = base[..<dot] }
        var result: [UInt8] = []
        for byte in base.utf8 {
            if isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") {
                result.append(byte)
            } else if result.last != UInt8(ascii: "-") {
                result.append(UInt8(ascii: "-"))
            }
        }
        // Names start with a letter or digit, and trailing separators carry nothing.
        while let first = result.first, !isAlphanumeric(first) { result.removeFirst() }
        while let last = result.last, last == UInt8(ascii: "-") { result.removeLast() }
        let name = String(decoding: result.prefix(128), as: UTF8.self)
        return isValid(name) ? name : nil
    }

    @inlinable
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
