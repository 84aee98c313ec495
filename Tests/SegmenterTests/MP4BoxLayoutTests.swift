import ReelTestSupport
import Testing
@testable import Segmenter

@Suite("MP4 top-level box order")
struct MP4BoxLayoutTests {
    private func box(_ type: String, size: Int) -> [UInt8] {
        let length = UInt32(size)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            + Array(type.utf8) + [UInt8](repeating: 0, count: size - 8)
    }

    private func layout(_ bytes: [UInt8]) -> Bool? {
        MP4BoxLayout.moovBeforeMdat { offset, count in
            let start = Int(offset)
            guard start < bytes.count else { return [] }
            return Array(bytes[start..<min(bytes.count, start + count)])
        }
    }

    @Test func moovFirst() {
        #expect(layout(box("ftyp", size: 16) + box("moov", size: 40) + box("mdat", size: 100)) == true)
    }

    @Test func mdatFirst() {
        #expect(layout(box("ftyp", size: 16) + box("free", size: 8) + box("mdat", size: 100) + box("moov", size: 40)) == false)
    }

    @Test func largeSizeBoxIsSkipped() {
        var wide: [UInt8] = [0, 0, 0, 1] + Array("free".utf8) + [0, 0, 0, 0, 0, 0, 0, 24] + [UInt8](repeating: 0, count: 8)
        wide += box("moov", size: 8)
        #expect(layout(wide) == true)
    }

    @Test("not ISO BMFF", arguments: [[UInt8](), Array("hello world, not a box".utf8), [0, 0, 0, 3, 0x6D, 0x6F, 0x6F, 0x76]])
    func garbage(bytes: [UInt8]) {
        #expect(layout(bytes) == nil)
    }

    @Test func fixtures() {
        #expect(MP4BoxLayout.moovBeforeMdat(path: Fixture.path("h264-aac.mp4")) == true)
        #expect(MP4BoxLayout.moovBeforeMdat(path: Fixture.path("moov-at-end.mp4")) == false)
    }
}
