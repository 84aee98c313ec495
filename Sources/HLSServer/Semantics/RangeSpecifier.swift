/// One byte-range-spec of a Range header (RFC 9110 §14.1.1), before it meets a file size.
public enum RangeSpecifier: Sendable, Hashable {
    /// `first-last`, or `first-` when `last` is nil.
    case from(first: Int64, last: Int64?)
    /// `-length`: the final `length` bytes.
    case suffix(length: Int64)

    /// The specs of a `Range` header value; nil when the header is syntactically invalid or
    /// not in bytes, in which case RFC 9110 §14.2 says to ignore it (answer 200).
    public static func parse(_ header: some StringProtocol) -> [RangeSpecifier]? {
        var text = String(header)
        // Byte by byte (every character that matters is ASCII): a range request is parsed on
        // the fast path's every call.
        return text.withUTF8 { parse(utf8: $0) }
    }

    private static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [RangeSpecifier]? {
        let (start, end) = trimmed(bytes, 0, bytes.count)
        guard let equals = bytes[start..<end].firstIndex(of: UInt8(ascii: "=")) else { return nil }
        let (unitStart, unitEnd) = trimmed(bytes, start, equals)
        // The unit is case-insensitive (§14.1): each byte, lowercased if a letter, is "bytes".
        guard unitEnd - unitStart == 5,
              zip(bytes[unitStart..<unitEnd], "bytes".utf8).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        var specs: [RangeSpecifier] = []
        var elementStart = equals + 1
        while elementStart <= end {
            let elementEnd = bytes[elementStart..<end].firstIndex(of: UInt8(ascii: ",")) ?? end
            defer { elementStart = elementEnd + 1 }
            let (itemStart, itemEnd) = trimmed(bytes, elementStart, elementEnd)
            if itemStart == itemEnd { continue }  // empty list elements are legal
            guard let dash = bytes[itemStart..<itemEnd].firstIndex(of: UInt8(ascii: "-")) else { return nil }
            if dash == itemStart {
                guard let length = decimal(bytes[(dash + 1)..<itemEnd]) else { return nil }
                specs.append(.suffix(length: length))
            } else {
                guard let first = decimal(bytes[itemStart..<dash]) else { return nil }
                if dash + 1 == itemEnd {
                    specs.append(.from(first: first, last: nil))
                } else {
                    guard let last = decimal(bytes[(dash + 1)..<itemEnd]), last >= first else { return nil }
                    specs.append(.from(first: first, last: last))
                }
            }
        }
        return specs.isEmpty ? nil : specs
    }

    /// `start..<end` without the spaces and tabs at either end.
    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var (start, end) = (start, end)
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return (start, end)
    }

    /// The bytes this spec selects in a file of `size`, nil when it selects none.
    public func resolve(size: Int64) -> Range<Int64>? {
        switch self {
        case let .from(first, last):
            guard first < size else { return nil }
            return first..<(min(last ?? (size - 1), size - 1) + 1)
        case .suffix(let length):
            guard length > 0, size > 0 else { return nil }
            return max(0, size - length)..<size
        }
    }

    /// 1*DIGIT only: no signs, no spaces inside, and no overflow.
    private static func decimal(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Int64? {
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte - 0x30))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> Substring {
        let view = Substring(self)
        guard let start = view.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return view[view.endIndex...] }
        let end = view.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return view[start...end]
    }
}
