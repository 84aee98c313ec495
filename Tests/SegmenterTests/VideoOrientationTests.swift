import CFFmpeg
import Foundation
import ReelTestSupport
import Testing
@testable import Segmenter

@Suite("Video orientation: display matrices in and out")
struct VideoOrientationTests {
    /// rotated.mp4's matrix as ffprobe prints it (`rotation=90`): 90° counter-clockwise.
    static let rotatedFixtureMatrix: [Int32] = [0, -65536, 0, 65536, 0, 0, 0, 0, 1 << 30]

    /// A display matrix from FFmpeg's own `av_display_rotation_set` (a clockwise turn by
    /// `degrees`), then `av_display_matrix_flip` when `flipped` (a left-right flip after the turn).
    private func ffmpegMatrix(clockwise degrees: Double, flipped: Bool = false) -> [Int32] {
        var matrix = [Int32](repeating: 0, count: 9)
        av_display_rotation_set(&matrix, degrees)
        if flipped { av_display_matrix_flip(&matrix, 1, 0) }
        return matrix
    }

    @Test func theFixturesMatrixIsAQuarterTurnCounterClockwise() {
        let orientation = VideoOrientation(displayMatrix: Self.rotatedFixtureMatrix)
        #expect(orientation == VideoOrientation(rotation: .clockwise270))
        #expect(av_display_rotation_get(Self.rotatedFixtureMatrix).rounded() == 90, "ffprobe's rotation is counter-clockwise")
        #expect(orientation.upright(VideoDimensions(width: 320, height: 180)) == VideoDimensions(width: 180, height: 320))
        #expect(orientation.upright(sampleAspectRatio: Rational(4, 3)) == Rational(3, 4))
    }

    @Test("FFmpeg's clockwise turns", arguments: [(0.0, 0), (90, 90), (180, 180), (270, 270), (-90, 270), (-180, 180), (450, 90)])
    func ffmpegTurns(degrees: Double, expected: Int) {
        let orientation = VideoOrientation(displayMatrix: ffmpegMatrix(clockwise: degrees))
        #expect(orientation.rotation.rawValue == expected)
        #expect(!orientation.isMirrored)
    }

    /// Flipping after a clockwise turn by θ is mirroring first, then turning by -θ.
    @Test("FFmpeg's turns then flips", arguments: [(0.0, 0), (90, 270), (180, 180), (270, 90)])
    func ffmpegFlips(degrees: Double, expected: Int) {
        let orientation = VideoOrientation(displayMatrix: ffmpegMatrix(clockwise: degrees, flipped: true))
        #expect(orientation.rotation.rawValue == expected)
        #expect(orientation.isMirrored)
    }

    @Test("Turns between quarters go to the nearest", arguments: [
        (30.0, 0), (44, 0), (45, 90), (46, 90), (100, 90), (134, 90), (135, 180), (-135, 180), (-45, 270), (-44, 0), (300, 270), (330, 0),
    ])
    func nearestQuarterTurn(degrees: Double, expected: Int) {
        #expect(VideoOrientation(displayMatrix: ffmpegMatrix(clockwise: degrees)).rotation.rawValue == expected)
    }

    @Test func scaledAndTranslatedMatricesKeepTheirTurn() {
        // An MP4 tkhd for a 90° clockwise turn of a 320x180 picture translates by its height, and
        // a matrix may scale: neither changes the turn.
        let matrix: [Int32] = [0, 2 << 16, 0, -(3 << 16), 0, 0, 180 << 16, 0, 1 << 30]
        #expect(VideoOrientation(displayMatrix: matrix) == VideoOrientation(rotation: .clockwise90))
    }

    @Test func singularOrMalformedMatricesAreUpright() {
        #expect(VideoOrientation(displayMatrix: [Int32](repeating: 0, count: 9)) == .upright)
        #expect(VideoOrientation(displayMatrix: [65536, 0, 0, 65536, 0, 0, 0, 0, 1 << 30]) == .upright, "rank 1: both axes to one line")
        #expect(VideoOrientation(displayMatrix: [0, 65536, 0]) == .upright)
        #expect(VideoOrientation(displayMatrix: []) == .upright)
    }

    static let allOrientations = VideoOrientation.Rotation.allCases.flatMap { rotation in
        [false, true].map { VideoOrientation(rotation: rotation, isMirrored: $0) }
    }

    @Test("Matrices made from an orientation read back as it", arguments: allOrientations)
    func roundTrip(orientation: VideoOrientation) {
        let matrix = orientation.displayMatrix
        #expect(VideoOrientation(displayMatrix: matrix) == orientation)
        #expect(matrix[8] == 1 << 30)
        if !orientation.isMirrored {
            #expect(matrix == ffmpegMatrix(clockwise: Double(orientation.rotation.rawValue)), "the same matrix FFmpeg makes")
            // av_display_rotation_get is counter-clockwise, in [-180, 180].
            let counterClockwise = Int(av_display_rotation_get(matrix).rounded())
            #expect((360 - counterClockwise) % 360 == orientation.rotation.rawValue)
        }
        let swapped = orientation.upright(VideoDimensions(width: 4, height: 2)) == VideoDimensions(width: 2, height: 4)
        #expect(swapped == orientation.swapsDimensions)
    }

    @Test func descriptions() {
        #expect(VideoOrientation.upright.description == "upright")
        #expect(VideoOrientation(rotation: .clockwise270).description == "turned 270° clockwise")
        #expect(VideoOrientation(rotation: .none, isMirrored: true).description == "mirrored left to right")
        #expect(VideoOrientation(rotation: .clockwise90, isMirrored: true).description == "mirrored left to right, then turned 90° clockwise")
    }

    @Test func streamInfoReadsTheDisplayMatrix() throws {
        let rotated = try #require(Demuxer(url: Fixture.path("rotated.mp4")).streams.first { $0.type == .video })
        #expect(rotated.displayMatrix == Self.rotatedFixtureMatrix)
        #expect(rotated.orientation == VideoOrientation(rotation: .clockwise270))
        #expect((rotated.width, rotated.height) == (320, 180))
        #expect(rotated.uprightDimensions == VideoDimensions(width: 180, height: 320))
        for name in ["h264-aac.mp4", "hdr-pq.mp4", "hdr-hlg.mp4", "h264-aac.ts"] {
            let video = try #require(Demuxer(url: Fixture.path(name)).streams.first { $0.type == .video })
            #expect(video.displayMatrix == nil, "\(name)")
            #expect(video.orientation == .upright)
            #expect(video.uprightDimensions == VideoDimensions(width: video.width, height: video.height))
        }
    }

    // MARK: Muxing

    /// Remuxes rotated.mp4's video by stream copy into `format` at `path`, giving the output
    /// stream `matrix` when it is not nil; fragmented MP4 goes through memory as the ingest does.
    private func remuxRotated(format: String, fragmented: Bool = false, matrix: [Int32]?, to path: String) throws {
        let demuxer = try Demuxer(url: Fixture.path("rotated.mp4"))
        let stream = try #require(demuxer.streams.first { $0.type == .video })
        demuxer.keepOnly(streams: [stream.index])
        let memory = MemoryOutput()
        let muxer = fragmented ? try Muxer(format: format, output: memory) : try Muxer(format: format, path: path)
        let output = try muxer.addStream(copying: demuxer.codecParameters(ofStream: stream.index), timeBase: stream.timeBase)
        if let matrix { try muxer.setDisplayMatrix(matrix, ofStream: output) }
        try muxer.writeHeader(options: fragmented ? ["movflags": "+frag_custom+empty_moov+default_base_moof"] : [:])
        var bytes = memory.take()
        let packet = Packet()
        var written = 0
        while try demuxer.read(into: packet) {
            // Packets read while probing come out whatever keepOnly says.
            guard packet.streamIndex == stream.index else { continue }
            if fragmented, packet.isKeyframe, written > 0 { try muxer.flush() }
            written += 1
            packet.setStreamIndex(output)
            packet.rescaleTimestamps(from: stream.timeBase, to: muxer.timeBase(ofStream: output))
            try muxer.write(packet)
        }
        try muxer.writeTrailer()
        bytes += memory.take()
        if fragmented { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
    }

    /// ffprobe's side data of the first video stream of `path`.
    private func probedSideData(_ path: String) async throws -> [[String: Any]] {
        let result = try await ProcessRunner.run("ffprobe", ["-v", "error", "-of", "json", "-select_streams", "v:0", "-show_streams", path])
        let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        let stream = try #require((object?["streams"] as? [[String: Any]])?.first, "\(result.stderrText)")
        return stream["side_data_list"] as? [[String: Any]] ?? []
    }

    @Test("The MP4 muxer writes the matrix into tkhd", arguments: [false, true])
    func mp4CarriesTheMatrix(fragmented: Bool) async throws {
        let scratch = try TemporaryDirectory()
        let path = scratch.appending("rotated.mp4").path
        let source = try #require(Demuxer(url: Fixture.path("rotated.mp4")).streams.first { $0.type == .video })
        let matrix = try #require(source.displayMatrix)
        try remuxRotated(format: "mp4", fragmented: fragmented, matrix: matrix, to: path)

        let reference = try await probedSideData(Fixture.path("rotated.mp4"))
        let written = try await probedSideData(path)
        let matrices = written.filter { $0["side_data_type"] as? String == "Display Matrix" }
        #expect(matrices.count == 1)
        #expect(matrices.first?["rotation"] as? Int == 90)
        #expect(matrices.first?["displaymatrix"] as? String == reference.first?["displaymatrix"] as? String)
        let remuxed = try #require(Demuxer(url: path).streams.first)
        #expect(remuxed.displayMatrix == source.displayMatrix)
    }

    @Test func withoutTheCallStreamCopyDropsTheMatrix() async throws {
        let scratch = try TemporaryDirectory()
        let path = scratch.appending("upright.mp4").path
        try remuxRotated(format: "mp4", matrix: nil, to: path)
        #expect(try await probedSideData(path).isEmpty)
        #expect(try Demuxer(url: path).streams.first?.displayMatrix == nil)
    }

    @Test func mpegTSHasNowhereToPutIt() async throws {
        let scratch = try TemporaryDirectory()
        let path = scratch.appending("rotated.ts").path
        try remuxRotated(format: "mpegts", matrix: Self.rotatedFixtureMatrix, to: path)
        #expect(try await probedSideData(path).isEmpty)
        #expect(try Demuxer(url: path).streams.first?.displayMatrix == nil)
    }

    @Test func aMatrixOfTheWrongLengthIsAnError() throws {
        let muxer = try Muxer(format: "mp4", output: MemoryOutput())
        let demuxer = try Demuxer(url: Fixture.path("rotated.mp4"))
        let output = try muxer.addStream(copying: demuxer.codecParameters(ofStream: 0), timeBase: demuxer.streams[0].timeBase)
        #expect(throws: FFmpegError.self) { try muxer.setDisplayMatrix([0, 1, 2], ofStream: output) }
        #expect(throws: FFmpegError.self) { try muxer.setDisplayMatrix(Self.rotatedFixtureMatrix, ofStream: output + 1) }
    }
}
