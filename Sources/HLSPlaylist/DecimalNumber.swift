/// Locale-independent reading and writing of the numeric types of RFC 8216 §4.2.
///
/// Formatting never goes through `String(format:)` or a `NumberFormatter`: those
/// depend on the C or Foundation locale (a German locale writes `6,006000`), and a
/// playlist must be byte-for-byte the same wherever it was produced. Values are
/// scaled and rounded once, then printed with integer arithmetic.
enum DecimalNumber {
    /// Writes `value` with exactly `fractionDigits` digits after the point
    /// (none and no point when `fractionDigits` is 0). Non-finite values are
    /// written as zero and magnitudes are clamped so the integer math cannot trap.
    static func fixed(_ value: Double, fractionDigits: Int) -> String {
        let digits = min(max(fractionDigits, 0), 9)
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        guard value.isFinite else { return fixed(0, fractionDigits: digits) }
        // 9e18 < UInt64.max, so the conversion below can never trap.
        let scaled = min((value.magnitude * Double(scale)).rounded(.toNearestOrAwayFromZero), 9e18)
        let units = UInt64(scaled)
        let whole = String(units / scale)
        let sign = value < 0 && units > 0 ? "-" : ""
        guard digits > 0 else { return sign + whole }
        let fraction = String(units % scale)
        let padding = String(repeating: "0", count: digits - fraction.count)
        return sign + whole + "." + padding + fraction
    }

    /// Reads a `decimal-integer`: 1 to 19 ASCII digits that fit in `Int`.
    static func integer(_ text: some StringProtocol) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 19, text.utf8.allSatisfy(isDigit) else { return nil }
        return Int(text)
    }

    /// Reads a `decimal-floating-point`: ASCII digits with at most one `.` and at
    /// least one digit. Rejects signs, exponents, `inf`, `nan` and hexadecimal
    /// floats, which `Double(_:)` would otherwise accept.
    static func floatingPoint(_ text: some StringProtocol) -> Double? {
        var digits = 0
        var points = 0
        for byte in text.utf8 {
            if isDigit(byte) {
                digits += 1
            } else if byte == UInt8(ascii: ".") {
                points += 1
            } else {
                return nil
            }
        }
        guard digits > 0, points <= 1, let value = Double(String(text)), value.isFinite else { return nil }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
