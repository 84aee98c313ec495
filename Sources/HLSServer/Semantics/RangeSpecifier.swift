/// One byte-range-spec of a Range header (RFC 9110 §14.1.1), before it meets a file size.
public enum RangeSpecifier: Sendable, Hashable {
    /// `first-last`, or `first-` when `last` is nil.
    case from(first: Int64, last: Int64?)
    /// `-length`: the final `length` bytes.
    case suffix(length: Int64)

    /// The specs of a `Range` header value; nil when the header is syntactically invalid or
    /// not in bytes, in which case RFC 9110 §14.2 says to ignore it (answer 200).
    public static func parse(_ header: some StringProtocol) -> [RangeSpecifier]? {
        let text = header.trimmingWhitespace()
        guard let equals = text.firstIndex(of: "="),
              text[..<equals].trimmingWhitespace().lowercased() == "bytes" else { return nil }
        var specs: [RangeSpecifier] = []
        for element in text[text.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false) {
            let item = element.trimmingWhitespace()
            if item.isEmpty { continue }  // empty list elements are legal
            guard let dash = item.firstIndex(of: "-") else { return nil }
            let firstText = item[..<dash]
            let lastText = item[item.index(after: dash)...]
            if firstText.isEmpty {
                guard let length = decimal(lastText) else { return nil }
                specs.append(.suffix(length: length))
            } else {
                guard let first = decimal(firstText) else { return nil }
                if lastText.isEmpty {
                    specs.append(.from(first: first, last: nil))
                } else {
                    guard let last = decimal(lastText), last >= first else { return nil }
                    specs.append(.from(first: first, last: last))
                }
            }
        }
        return specs.isEmpty ? nil : specs
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

    private static func decimal(_ text: Substring) -> Int64? {
        // 1*DIGIT only: no signs, no spaces inside, and no overflow.
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(text)
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
