import ISOBMFF
import Testing

/// Bytes for the tests: boxes built from their parts, read as a file would be.
enum Bytes {
    static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    /// A box with a 32-bit size.
    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        bigEndian(UInt64(8 + payload.count), bytes: 4) + Array(type.utf8) + payload
    }

    /// A box with a 64-bit largesize.
    static func wideBox(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        bigEndian(1, bytes: 4) + Array(type.utf8) + bigEndian(UInt64(16 + payload.count), bytes: 8) + payload
    }

    /// A reader over `bytes`: up to `count` at `offset`, none past the end.
    static func reader(_ bytes: [UInt8]) -> (Int64, Int) -> [UInt8] {
        { offset, count in
            guard offset >= 0, offset < Int64(bytes.count) else { return [] }
            return Array(bytes[Int(offset)..<min(bytes.count, Int(offset) + count)])
        }
    }
}

@Suite("ISO BMFF box headers")
struct BoxHeaderTests {
    @Test func compactSize() throws {
        let header = try #require(BoxHeader(Bytes.box("moov", [1, 2, 3]), at: 100, end: 200))
        #expect(header.type == "moov")
        #expect(header.range == 100..<111 && header.size == 11)
        #expect(header.headerLength == 8 && header.payload == 108..<111)
    }

    @Test func largeSize() throws {
        let header = try #require(BoxHeader(Bytes.wideBox("mdat", [UInt8](repeating: 0, count: 4)), at: 0, end: 1000))
        #expect(header.type == "mdat" && header.headerLength == 16)
        #expect(header.range == 0..<20 && header.payload == 16..<20)
    }

    @Test func sizeZeroRunsToTheEndOfTheContainer() throws {
        let header = try #require(BoxHeader(Bytes.bigEndian(0, bytes: 4) + Array("mdat".utf8), at: 40, end: 5000))
        #expect(header.range == 40..<5000 && header.payload == 48..<5000)
    }

    /// Headers that locate no box, and why.
    static let malformed: [([UInt8], String)] = {
        let size = { (value: UInt64) in Bytes.bigEndian(value, bytes: 4) }
        let free = Array("free".utf8)
        return [
            ([], "no bytes"),
            (size(16) + Array("moo".utf8), "a header cut short"),
            (size(1) + free + size(64), "a largesize cut short"),
            (size(7) + free, "smaller than its header"),
            (size(1) + free + Bytes.bigEndian(15, bytes: 8), "a largesize smaller than its header"),
            (size(101) + free, "past the end of its container"),
            (size(1) + free + Bytes.bigEndian(UInt64.max, bytes: 8), "a largesize past any end"),
        ]
    }()

    @Test("refused", arguments: malformed)
    func refused(bytes: [UInt8], why: String) {
        #expect(BoxHeader(bytes, at: 0, end: 100) == nil, "\(why)")
    }

    @Test func noBoxAtTheEnd() {
        #expect(BoxHeader(Bytes.box("free", []), at: 100, end: 100) == nil)
    }

    @Test func typeDescription() {
        #expect(BoxType("moov").description == "moov")
        #expect(BoxType(rawValue: 0x6D64_6174) == "mdat")
        #expect(BoxType([0xA9, 0x6E, 0x61, 0x6D]).description == ".nam")
    }
}

@Suite("ISO BMFF box walker")
struct BoxWalkerTests {
    static let movie = Bytes.box("mvhd", [UInt8](repeating: 0, count: 12)) + Bytes.box("trak", Bytes.box("tkhd", [0, 0, 0, 0]))
    static let file = Bytes.box("ftyp", Array("isom".utf8)) + Bytes.wideBox("free", [0, 0]) + Bytes.box("moov", movie) + Bytes.box("mdat", [9, 9, 9])

    @Test func topLevel() {
        let boxes = BoxWalker.boxes(in: 0..<Int64(Self.file.count), read: Bytes.reader(Self.file))
        #expect(boxes.map(\.type.description) == ["ftyp", "free", "moov", "mdat"])
        #expect(boxes.map(\.range.lowerBound) == [0, 12, 30, 30 + 8 + Int64(Self.movie.count)])
    }

    @Test func childrenOfAPayload() throws {
        let read = Bytes.reader(Self.file)
        let movie = try #require(BoxWalker.first("moov", in: 0..<Int64(Self.file.count), read: read))
        #expect(BoxWalker.boxes(in: movie.payload, read: read).map(\.type) == ["mvhd", "trak"])
        let track = try #require(BoxWalker.first("trak", in: movie.payload, read: read))
        #expect(BoxWalker.first("tkhd", in: track.payload, read: read)?.payload.count == 4)
        #expect(BoxWalker.first("mdat", in: movie.payload, read: read) == nil, "a walk stays on its level")
    }

    @Test func anUnboundedRangeEndsWhereTheBytesDo() {
        // A reader that does not know the length: past the end it returns nothing.
        #expect(BoxWalker.boxes(in: 0..<Int64.max, read: Bytes.reader(Self.file)).count == 4)
        #expect(BoxWalker.first("uuid", in: 0..<Int64.max, read: Bytes.reader(Self.file)) == nil)
    }

    @Test func aMalformedHeaderEndsTheWalk() {
        let broken = Bytes.box("ftyp", []) + Bytes.bigEndian(3, bytes: 4) + Array("free".utf8) + Bytes.box("moov", [])
        #expect(BoxWalker.boxes(in: 0..<Int64(broken.count), read: Bytes.reader(broken)).map(\.type) == ["ftyp"])
        let overrun = Bytes.box("ftyp", []) + Bytes.bigEndian(1000, bytes: 4) + Array("mdat".utf8)
        #expect(BoxWalker.first("mdat", in: 0..<Int64(overrun.count), read: Bytes.reader(overrun)) == nil)
    }

    @Test func boxesPerLevelAreBounded() {
        let many = (0..<50).flatMap { _ in Bytes.box("free", []) } + Bytes.box("moov", [])
        let read = Bytes.reader(many)
        #expect(BoxWalker.first("moov", in: 0..<Int64(many.count), limit: 50, read: read) == nil)
        #expect(BoxWalker.first("moov", in: 0..<Int64(many.count), limit: 51, read: read)?.range.lowerBound == 400)
        #expect(BoxWalker.boxes(in: 0..<Int64(many.count), limit: 10, read: read).count == 10)
    }

    @Test func readsOnlyHeaders() {
        var reads: [(Int64, Int)] = []
        let read = Bytes.reader(Self.file)
        _ = BoxWalker.boxes(in: 0..<Int64(Self.file.count)) { offset, count in
            reads.append((offset, count))
            return read(offset, count)
        }
        #expect(reads.allSatisfy { $0.1 <= BoxHeader.maximumLength })
        #expect(reads.count == 4)
    }

    @Test func readErrorsPropagate() {
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try BoxWalker.boxes(in: 0..<100) { _, _ in throw Failure() }
        }
    }
}
