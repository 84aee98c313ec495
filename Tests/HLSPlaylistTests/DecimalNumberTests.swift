import Testing
@testable import HLSPlaylist

@Suite("Decimal numbers")
struct DecimalNumberTests {
    @Test("fixed-point formatting is exact and locale-free", arguments: [
        (6.006, 6, "6.006000"),
        (0, 6, "0.000000"),
        (0.1 + 0.2, 6, "0.300000"),
        (3.966_666_666, 6, "3.966667"),
        (29.97, 3, "29.970"),
        (30, 3, "30.000"),
        (-1.5, 3, "-1.500"),
        (-0.000_000_1, 6, "0.000000"),
        (12, 0, "12"),
        (Double.nan, 6, "0.000000"),
        (Double.infinity, 3, "0.000"),
        (1e30, 0, "9000000000000000000"),
    ])
    func fixed(value: Double, digits: Int, expected: String) {
        #expect(DecimalNumber.fixed(value, fractionDigits: digits) == expected)
    }

    @Test("decimal-integer", arguments: [
        ("0", 0), ("42", 42), ("007", 7), ("9223372036854775807", Int.max),
        ("", nil), ("-1", nil), ("+1", nil), ("1.0", nil), (" 1", nil), ("1x", nil),
        ("9223372036854775808", nil), ("99999999999999999999", nil), ("١٢", nil),
    ] as [(String, Int?)])
    func integer(text: String, expected: Int?) {
        #expect(DecimalNumber.integer(text) == expected)
    }

    @Test("decimal-floating-point rejects what Double(_:) would accept", arguments: [
        ("6.006", 6.006), ("6", 6), ("6.", 6), (".5", 0.5), ("0010.25", 10.25),
        ("", nil), (".", nil), ("1e3", nil), ("inf", nil), ("nan", nil), ("0x1p3", nil),
        ("-1", nil), ("+1", nil), ("1.2.3", nil), ("1,5", nil), (" 1", nil),
    ] as [(String, Double?)])
    func floatingPoint(text: String, expected: Double?) {
        #expect(DecimalNumber.floatingPoint(text) == expected)
    }

    @Test("huge digit strings stay finite or are rejected")
    func hugeFloat() {
        let digits = String(repeating: "9", count: 400)
        #expect(DecimalNumber.floatingPoint(digits) == nil)
        #expect(DecimalNumber.floatingPoint("1" + String(repeating: "0", count: 30)) == 1e30)
    }
}
