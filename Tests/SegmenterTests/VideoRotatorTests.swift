import CFFmpeg
import Foundation
import ReelTestSupport
import Testing
@testable import Segmenter

@Suite("Video rotation: pictures turned upright")
struct VideoRotatorTests {
    static let allOrientations = VideoOrientation.Rotation.allCases.flatMap { rotation in
        [false, true].map { VideoOrientation(rotation: rotation, isMirrored: $0) }
    }

    /// The size of plane `plane` of a 4:2:0 `width` x `height` picture (chroma rounds up).
    private func planeSize(_ plane: Int, width: Int, height: Int) -> (width: Int, height: Int) {
        plane == 0 ? (width, height) : ((width + 1) / 2, (height + 1) / 2)
    }

    /// Sample (x, y) of `plane`, read at the frame's 8- or 16-bit sample size.
    private func sample(_ frame: Frame, plane: Int, x: Int, y: Int) -> Int {
        let picture = frame.pointer.pointee
        let data = withUnsafeBytes(of: picture.data) { $0.load(fromByteOffset: plane * 8, as: UnsafeMutablePointer<UInt8>.self) }
        let stride = Int(withUnsafeBytes(of: picture.linesize) { $0.load(fromByteOffset: plane * 4, as: Int32.self) })
        if frame.pixelFormat == .yuv420p10le {
            return Int(UnsafeRawPointer(data + y * stride).load(fromByteOffset: 2 * x, as: UInt16.self))
        }
        return Int(data[y * stride + x])
    }

    /// Writes `value(plane, x, y)` into every sample of `frame`.
    private func fill(_ frame: Frame, _ value: (Int, Int, Int) -> Int) {
        let picture = frame.pointer.pointee
        for plane in 0..<3 {
            let data = withUnsafeBytes(of: picture.data) { $0.load(fromByteOffset: plane * 8, as: UnsafeMutablePointer<UInt8>.self) }
            let stride = Int(withUnsafeBytes(of: picture.linesize) { $0.load(fromByteOffset: plane * 4, as: Int32.self) })
            let size = planeSize(plane, width: frame.width, height: frame.height)
            for y in 0..<size.height {
                for x in 0..<size.width {
                    if frame.pixelFormat == .yuv420p10le {
                        UnsafeMutableRawPointer(data + y * stride).storeBytes(of: UInt16(value(plane, x, y)), toByteOffset: 2 * x, as: UInt16.self)
                    } else {
                        data[y * stride + x] = UInt8(value(plane, x, y))
                    }
                }
            }
        }
    }

    /// The rows of one plane, as numbers.
    private func rows(_ frame: Frame, plane: Int) -> [[Int]] {
        let size = planeSize(plane, width: frame.width, height: frame.height)
        return (0..<size.height).map { y in (0..<size.width).map { x in sample(frame, plane: plane, x: x, y: y) } }
    }

    // The luma of a 6x4 picture whose top-left 2x2 blocks read 1 2 3 / 4 5 6 (each value fills
    // a 2x2 block, so the chroma planes, 3x2, read the same): the eight results spelt out.
    static let turnedByHand: [(VideoOrientation, [[Int]])] = [
        (VideoOrientation(rotation: .none), [[1, 2, 3], [4, 5, 6]]),
        (VideoOrientation(rotation: .clockwise90), [[4, 1], [5, 2], [6, 3]]),
        (VideoOrientation(rotation: .clockwise180), [[6, 5, 4], [3, 2, 1]]),
        (VideoOrientation(rotation: .clockwise270), [[3, 6], [2, 5], [1, 4]]),
        (VideoOrientation(rotation: .none, isMirrored: true), [[3, 2, 1], [6, 5, 4]]),
        (VideoOrientation(rotation: .clockwise90, isMirrored: true), [[6, 3], [5, 2], [4, 1]]),
        (VideoOrientation(rotation: .clockwise180, isMirrored: true), [[4, 5, 6], [1, 2, 3]]),
        (VideoOrientation(rotation: .clockwise270, isMirrored: true), [[1, 4], [2, 5], [3, 6]]),
    ]

    @Test("Turned as spelt out, in every plane", arguments: turnedByHand, [PixelFormat.yuv420p, .yuv420p10le])
    func byHand(_ turned: (VideoOrientation, [[Int]]), format: PixelFormat) throws {
        let (orientation, expected) = turned
        let frame = try Frame(width: 6, height: 4, format: format)
        // Luma blocks are 2x2; the chroma planes are 3x2, one sample per block; planes differ by 10 and 20.
        fill(frame) { plane, x, y in
            let block = plane == 0 ? (x / 2, y / 2) : (x, y)
            return plane * 10 + block.1 * 3 + block.0 + 1
        }
        let output = try VideoRotator(orientation: orientation).rotate(frame)
        let blocks = rows(output, plane: 0).enumerated().filter { $0.offset % 2 == 0 }.map { $0.element.enumerated().filter { $0.offset % 2 == 0 }.map(\.element) }
        #expect(blocks == expected)
        #expect(rows(output, plane: 1) == expected.map { $0.map { $0 + 10 } })
        #expect(rows(output, plane: 2) == expected.map { $0.map { $0 + 20 } })
    }

    /// Where sample (x, y) of a `width` x `height` plane goes: mirrored, then turned clockwise.
    private func destination(of x: Int, _ y: Int, width: Int, height: Int, _ orientation: VideoOrientation) -> (x: Int, y: Int) {
        let mirroredX = orientation.isMirrored ? width - 1 - x : x
        return switch orientation.rotation {
        case .none: (mirroredX, y)
        case .clockwise90: (height - 1 - y, mirroredX)  // the top row becomes the right column
        case .clockwise180: (width - 1 - mirroredX, height - 1 - y)
        case .clockwise270: (y, width - 1 - mirroredX)  // the top row becomes the left column
        }
    }

    @Test("Every sample lands where it should, odd sizes included", arguments: allOrientations, [(5, 3), (4, 2), (7, 6), (2, 9), (16, 16)])
    func everySample(orientation: VideoOrientation, size: (width: Int, height: Int)) throws {
        for format in [PixelFormat.yuv420p, .yuv420p10le] {
            let frame = try Frame(width: size.width, height: size.height, format: format)
            // Unique within a plane (planes are at most 16 wide and 16 tall); 16-bit values above
            // 255 check that both bytes move.
            let value: (Int, Int, Int) -> Int = format == .yuv420p
                ? { plane, x, y in (plane * 71 + y * 16 + x) % 256 }
                : { plane, x, y in 300 + plane * 260 + y * 16 + x }
            fill(frame, value)
            let output = try VideoRotator(orientation: orientation).rotate(frame)
            let turned = orientation.upright(VideoDimensions(width: size.width, height: size.height))
            #expect((output.width, output.height, output.pixelFormat) == (turned.width, turned.height, format))
            for plane in 0..<3 {
                let source = planeSize(plane, width: size.width, height: size.height)
                for y in 0..<source.height {
                    for x in 0..<source.width {
                        let target = destination(of: x, y, width: source.width, height: source.height, orientation)
                        let found = sample(output, plane: plane, x: target.x, y: target.y)
                        #expect(found == value(plane, x, y), "\(format) \(orientation) plane \(plane): (\(x), \(y)) -> \(target)")
                    }
                }
            }
        }
    }

    @Test func carriesTimestampAndShapeAndReusesItsFrame() throws {
        let rotator = VideoRotator(orientation: VideoOrientation(rotation: .clockwise90))
        let source = try Frame(width: 64, height: 36, format: .yuv420p10le)
        source.pts = 1234
        source.requestsKeyframe = true
        source.pointer.pointee.sample_aspect_ratio = AVRational(num: 4, den: 3)
        source.pointer.pointee.color_trc = AVCOL_TRC_SMPTE2084
        let first = try rotator.rotate(source)
        #expect((first.width, first.height) == (36, 64))
        #expect(first.pts == 1234)
        #expect(!first.requestsKeyframe)
        #expect(first.sampleAspectRatio == Rational(3, 4))
        #expect(first.pointer.pointee.color_trc == AVCOL_TRC_SMPTE2084)
        source.pts = 1235
        let second = try rotator.rotate(source)
        #expect(second === first)
        #expect(second.pts == 1235)
        // A source that changes size mid-stream gets a new frame of its upright size.
        let third = try rotator.rotate(try Frame(width: 32, height: 18, format: .yuv420p10le))
        #expect(third !== first)
        #expect((third.width, third.height, third.pixelFormat) == (18, 32, .yuv420p10le))
    }

    @Test func otherLayoutsAreRefused() throws {
        #expect(VideoRotator.supports(.yuv420p))
        #expect(VideoRotator.supports(.yuv420p10le))
        #expect(VideoRotator.supports(try #require(PixelFormat(name: "yuv444p"))))
        for name in ["nv12", "yuv422p", "rgb24", "yuva420p", "p010le"] {
            let format = try #require(PixelFormat(name: name))
            #expect(!VideoRotator.supports(format), "\(name)")
        }
        let frame = try Frame(width: 8, height: 8, format: try #require(PixelFormat(name: "nv12")))
        let error = #expect(throws: FFmpegError.self) { try VideoRotator(orientation: .upright).rotate(frame) }
        #expect(error?.call.hasPrefix("VideoRotator.rotate(nv12") == true)
    }

    /// The display matrix, read into an orientation, and the rotator together turn rotated.mp4's
    /// first picture exactly as ffmpeg's autorotation does.
    @Test func rotatedFixtureComesOutAsFFmpegShowsIt() async throws {
        let demuxer = try Demuxer(url: Fixture.path("rotated.mp4"))
        let stream = try #require(demuxer.streams.first { $0.type == .video })
        demuxer.keepOnly(streams: [stream.index])
        let decoder = try Decoder(parameters: demuxer.codecParameters(ofStream: stream.index), timeBase: stream.timeBase)
        let frame = Frame()
        let later = Frame()
        var decoded = false
        try decoder.feed(from: demuxer, stream: stream.index) { _ in
            while try decoder.receive(into: decoded ? later : frame) == .received { decoded = true }
        }
        #expect(decoded)
        let upright = try VideoRotator(orientation: stream.orientation).rotate(frame)
        #expect((upright.width, upright.height) == (180, 320))

        let reference = try await ProcessRunner.run("ffmpeg", [
            "-v", "error", "-i", Fixture.path("rotated.mp4"), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-",
        ])
        let planes = (0..<3).flatMap { rows(upright, plane: $0).flatMap { $0 } }
        #expect(reference.stdout.count == 180 * 320 * 3 / 2)
        let differing = zip(planes, reference.stdout).filter { $0 != Int($1) }.count
        #expect(differing == 0, "\(differing) of \(planes.count) samples differ")
    }
}
