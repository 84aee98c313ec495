import Testing
@testable import Segmenter

@Suite("NAL unit parsing")
struct NALUnitsTests {
    @Test func splitsThreeAndFourByteStartCodes() {
        let data: [UInt8] = [0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4]
        let units = NALUnits.annexB(data).map(Array.init)
        #expect(units == [[0x67, 1, 2], [0x68, 3], [0x65, 4]])
    }

    @Test func noStartCodeMeansNoUnits() {
        #expect(NALUnits.annexB([1, 2, 3, 4]).isEmpty)
        #expect(NALUnits.annexB([]).isEmpty)
    }

    @Test func removesEmulationPreventionBytes() {
        let unit: ArraySlice<UInt8> = [0x67, 0, 0, 3, 1, 0, 0, 3, 0, 5]
        #expect(NALUnits.removingEmulationPrevention(unit) == [0x67, 0, 0, 1, 0, 0, 0, 5])
    }
}
