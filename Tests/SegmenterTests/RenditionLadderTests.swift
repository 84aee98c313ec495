import Testing
@testable import Segmenter

@Suite("RenditionLadder and rung bit rates")
struct RenditionLadderTests {
    @Test(arguments: [
        ("copy", RenditionLadder(includesCopy: true, heights: [])),
        ("1080p,720p,480p,360p", RenditionLadder(includesCopy: false, heights: [1080, 720, 480, 360])),
        ("360p,1080p,720p", RenditionLadder(includesCopy: false, heights: [1080, 720, 360])),
        ("copy,720p,360p", RenditionLadder(includesCopy: true, heights: [720, 360])),
        ("COPY, 240P", RenditionLadder(includesCopy: true, heights: [240])),
    ])
    func parses(_ text: String, _ expected: RenditionLadder) throws {
        #expect(try RenditionLadder(parsing: text) == expected)
    }

    @Test(arguments: [
        ("", RenditionLadder.ParseError.empty),
        ("720", .unknownRung("720")),
        ("720x", .unknownRung("720x")),
        ("p", .unknownRung("p")),
        ("-720p", .unknownRung("-720p")),
        ("+720p", .unknownRung("+720p")),
        ("721p", .unknownRung("721p")),
        ("8p", .unknownRung("8p")),
        ("8640p", .unknownRung("8640p")),
        ("720p,,360p", .unknownRung("")),
        ("720p,720p", .duplicate("720p")),
        ("copy,copy", .duplicate("copy")),
        ("720p,copy", .copyNotFirst),
    ])
    func refuses(_ text: String, _ expected: RenditionLadder.ParseError) {
        #expect(throws: expected) { try RenditionLadder(parsing: text) }
    }

    @Test func describesItselfAsParsed() throws {
        #expect(try RenditionLadder(parsing: "360p,copy".replacingOccurrences(of: "360p,copy", with: "copy,360p,1080p")).description == "copy,1080p,360p")
    }

    @Test(arguments: [(1080, 6_000_000), (720, 3_000_000), (540, 2_000_000), (480, 1_400_000), (360, 730_000), (240, 300_000), (2160, 16_800_000)])
    func defaultBitRatesFollowTheTable(_ height: Int, _ bitRate: Int) {
        #expect(RungBitRate.defaultBitRate(height: height) == bitRate)
    }

    @Test func defaultBitRatesGrowWithHeight() {
        let rates = stride(from: 16, through: 4320, by: 2).map(RungBitRate.defaultBitRate(height:))
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(rates.allSatisfy { $0 >= 64_000 })
        // Between table entries the rate lies between the neighbours'.
        let between = RungBitRate.defaultBitRate(height: 600)
        #expect(between > 2_000_000 && between < 3_000_000)
    }

    @Test func parsesOverrides() throws {
        #expect(try RungBitRate.parseOverride("720p=2500") == (720, 2_500_000))
        for bad in ["720p", "720=2500", "720p=", "720p=abc", "720p=0", "720p=999999", "=2500"] {
            #expect(throws: RungBitRate.ParseError.self) { try RungBitRate.parseOverride(bad) }
        }
    }
}
