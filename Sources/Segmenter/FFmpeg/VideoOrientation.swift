import Foundation

/// How a stored picture must be turned to be shown upright: first mirrored left to right (when
/// `isMirrored`), then rotated clockwise by `rotation`. This is what a container's display
/// matrix asks of players, and what `VideoRotator` does to the pixels.
///
/// Read from a display matrix (`init(displayMatrix:)`), whose FFmpeg conventions are easy to
/// get backwards: `av_display_rotation_get` returns the angle by which the matrix turns the
/// picture *counter-clockwise*, and ffprobe prints that angle as the side data's `rotation`.
/// So ffprobe's `rotation=90` (a phone video shot in portrait) is a `.clockwise270` here: the
/// stored picture is turned 90° counter-clockwise to come out upright, which is what ffmpeg's
/// autorotation (`transpose=cclock`) does with it; ffprobe's `rotation=-90` is `.clockwise90`.
public struct VideoOrientation: Sendable, Hashable, CustomStringConvertible {
    /// A clockwise quarter-turn count, as degrees.
    public enum Rotation: Int, Sendable, Hashable, CaseIterable {
        case none = 0
        case clockwise90 = 90
        case clockwise180 = 180
        case clockwise270 = 270
    }

    /// The clockwise turn applied after the mirror.
    public var rotation: Rotation
    /// Whether the picture is mirrored left to right before it is turned.
    public var isMirrored: Bool

    public init(rotation: Rotation = .none, isMirrored: Bool = false) {
        self.rotation = rotation
        self.isMirrored = isMirrored
    }

    /// Stored as it is shown: nothing to do.
    public static let upright = VideoOrientation()

    /// The orientation a display matrix (the 9 values of `AV_PKT_DATA_DISPLAYMATRIX`, 16.16
    /// fixed point, row by row) describes; scaling and translation do not matter.
    ///
    /// A matrix whose determinant is negative mirrors the picture. A turn that is not a multiple
    /// of 90° goes to the nearest quarter turn; one exactly halfway goes to the quarter turn
    /// further from 0° (45° clockwise gives `.clockwise90`, 45° counter-clockwise
    /// `.clockwise270`, 135° either way `.clockwise180`). A matrix that is not 9 values long or
    /// is singular (it would show nothing) counts as upright.
    public init(displayMatrix matrix: [Int32]) {
        self.init()
        guard matrix.count == 9 else { return }
        // FFmpeg maps a point (p, q) to (a p + c q, b p + d q): the first row is where the
        // picture's x axis goes, the second where its y axis goes (y pointing down, so a
        // positive angle from the x axis is a clockwise turn).
        let (a, b, c, d) = (Double(matrix[0]), Double(matrix[1]), Double(matrix[3]), Double(matrix[4]))
        let determinant = a * d - b * c
        guard determinant != 0 else { return }
        isMirrored = determinant < 0
        // Mirroring first sends the x axis the other way: the turn takes it to (-a, -b).
        let (x, y) = isMirrored ? (-a, -b) : (a, b)
        let quarterTurns = Int((atan2(y, x) / (Double.pi / 2)).rounded(.toNearestOrAwayFromZero))
        rotation = Rotation(rawValue: ((quarterTurns % 4 + 4) % 4) * 90) ?? .none
    }

    /// A display matrix for this orientation, in the layout `init(displayMatrix:)` reads and a
    /// muxer writes (no translation: MP4 muxers add what they need).
    public var displayMatrix: [Int32] {
        let one: Int32 = 1 << 16
        // Where the turn sends the x axis; the y axis goes 90° further clockwise.
        let (cosine, sine): (Int32, Int32) = switch rotation {
        case .none: (1, 0)
        case .clockwise90: (0, 1)
        case .clockwise180: (-1, 0)
        case .clockwise270: (0, -1)
        }
        let mirror: Int32 = isMirrored ? -1 : 1
        return [mirror * cosine * one, mirror * sine * one, 0, -sine * one, cosine * one, 0, 0, 0, 1 << 30]
    }

    /// True when the picture turns by 90° or 270°, so its width and height swap.
    public var swapsDimensions: Bool { rotation == .clockwise90 || rotation == .clockwise270 }

    /// The size a `stored` picture has once turned upright.
    public func upright(_ stored: VideoDimensions) -> VideoDimensions {
        swapsDimensions ? VideoDimensions(width: stored.height, height: stored.width) : stored
    }

    /// The pixel shape (width:height) once turned upright: a quarter turn inverts it.
    public func upright(sampleAspectRatio: Rational) -> Rational {
        swapsDimensions ? Rational(sampleAspectRatio.denominator, sampleAspectRatio.numerator) : sampleAspectRatio
    }

    public var description: String {
        let turn = "turned \(rotation.rawValue)° clockwise"
        return switch (isMirrored, rotation) {
        case (false, .none): "upright"
        case (true, .none): "mirrored left to right"
        case (false, _): turn
        case (true, _): "mirrored left to right, then " + turn
        }
    }
}
