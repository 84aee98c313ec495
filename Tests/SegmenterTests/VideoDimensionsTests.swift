import Testing
@testable import Segmenter

@Suite("Ladder rung dimensions")
struct VideoDimensionsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let source: (Int, Int)
        let sar: (Int32, Int32)
        let height: Int
        let expected: (Int, Int)?
        var testDescription: String { "\(source.0)x\(source.1) SAR \(sar.0):\(sar.1) → \(height)p" }
    }

    static let cases: [Case] = [
        // 16:9, square pixels (ffmpeg's scale=-2:H gives the same widths).
        Case(source: (1920, 1080), sar: (1, 1), height: 1080, expected: (1920, 1080)),
        Case(source: (1920, 1080), sar: (1, 1), height: 720, expected: (1280, 720)),
        Case(source: (1920, 1080), sar: (1, 1), height: 480, expected: (854, 480)),
        Case(source: (1920, 1080), sar: (1, 1), height: 360, expected: (640, 360)),
        Case(source: (1920, 1080), sar: (1, 1), height: 240, expected: (426, 240)),
        Case(source: (640, 360), sar: (1, 1), height: 360, expected: (640, 360)),
        Case(source: (640, 360), sar: (1, 1), height: 144, expected: (256, 144)),
        // 4:3.
        Case(source: (640, 480), sar: (1, 1), height: 480, expected: (640, 480)),
        Case(source: (640, 480), sar: (1, 1), height: 360, expected: (480, 360)),
        Case(source: (320, 240), sar: (1, 1), height: 240, expected: (320, 240)),
        // Anamorphic: HDV 1440x1080 at 4:3 pixels is 16:9; PAL and NTSC DVD 4:3 and 16:9.
        Case(source: (1440, 1080), sar: (4, 3), height: 1080, expected: (1920, 1080)),
        Case(source: (1440, 1080), sar: (4, 3), height: 720, expected: (1280, 720)),
        Case(source: (720, 576), sar: (16, 15), height: 576, expected: (768, 576)),
        Case(source: (720, 576), sar: (64, 45), height: 360, expected: (640, 360)),
        Case(source: (720, 480), sar: (8, 9), height: 480, expected: (640, 480)),
        Case(source: (720, 480), sar: (32, 27), height: 360, expected: (640, 360)),
        // Unknown aspect ratio (0/1, 0/0) is square.
        Case(source: (640, 360), sar: (0, 1), height: 240, expected: (426, 240)),
        Case(source: (640, 360), sar: (0, 0), height: 240, expected: (426, 240)),
        // Odd sizes: source, requested height, and the rounding of the width.
        Case(source: (641, 361), sar: (1, 1), height: 361, expected: (640, 360)),
        Case(source: (641, 361), sar: (1, 1), height: 360, expected: (640, 360)),
        Case(source: (640, 360), sar: (1, 1), height: 241, expected: (426, 240)),
        Case(source: (1080, 1920), sar: (1, 1), height: 720, expected: (406, 720)),
        Case(source: (100, 2), sar: (1, 1), height: 2, expected: (100, 2)),
        // Never upscale; nothing degenerate.
        Case(source: (640, 360), sar: (1, 1), height: 480, expected: nil),
        Case(source: (640, 360), sar: (1, 1), height: 362, expected: nil),
        Case(source: (1920, 1080), sar: (1, 1), height: 1440, expected: nil),
        Case(source: (1440, 1080), sar: (4, 3), height: 1081, expected: nil),
        Case(source: (640, 360), sar: (1, 1), height: 1, expected: nil),
        Case(source: (640, 360), sar: (1, 1), height: 0, expected: nil),
        Case(source: (640, 360), sar: (1, 1), height: -240, expected: nil),
        Case(source: (0, 0), sar: (1, 1), height: 240, expected: nil),
        Case(source: (2, 1000), sar: (1, 1), height: 200, expected: nil),  // a width that rounds to 0
    ]

    @Test(arguments: cases)
    func rung(_ example: Case) {
        let result = VideoDimensions.rung(
            height: example.height,
            source: VideoDimensions(width: example.source.0, height: example.source.1),
            sampleAspectRatio: Rational(example.sar.0, example.sar.1)
        )
        #expect(result.map { [$0.width, $0.height] } == example.expected.map { [$0.0, $0.1] })
    }

    /// Every source size from 2x2 to 129x97 at four pixel shapes, every requested height:
    /// even sides, never taller than the source, skipped exactly when taller, and the width the
    /// nearest even number to height × display aspect ratio.
    @Test(arguments: [Rational(1, 1), Rational(4, 3), Rational(8, 9), Rational(0, 1)])
    func invariants(sampleAspectRatio: Rational) {
        let pixel = sampleAspectRatio.isUnknown ? 1 : sampleAspectRatio.doubleValue
        var checked = 0
        var violations: [String] = []
        for sourceWidth in 2...129 {
            for sourceHeight in 2...97 {
                let source = VideoDimensions(width: sourceWidth, height: sourceHeight)
                let displayAspect = Double(sourceWidth) * pixel / Double(sourceHeight)
                for height in 2...(sourceHeight + 3) {
                    checked += 1
                    let rung = VideoDimensions.rung(height: height, source: source, sampleAspectRatio: sampleAspectRatio)
                    let ideal = Double(height / 2 * 2) * displayAspect
                    let fits = height <= sourceHeight && ideal >= 1
                    guard let rung else {
                        if fits { violations.append("\(source) → \(height): skipped") }
                        continue
                    }
                    if !fits
                        || rung.width % 2 != 0 || rung.height % 2 != 0
                        || rung.height != height / 2 * 2 || rung.height > sourceHeight
                        || abs(Double(rung.width) - ideal) > 1 + 1e-9 {
                        violations.append("\(source) → \(height): \(rung), ideal width \(ideal)")
                    }
                }
            }
        }
        #expect(checked > 500_000)
        #expect(violations.isEmpty, "\(violations.count) violations, first: \(violations.prefix(5))")
    }
}
