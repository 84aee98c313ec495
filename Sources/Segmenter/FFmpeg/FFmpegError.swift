import CFFmpeg

/// An FFmpeg call that failed: which call, the code it returned and FFmpeg's own message.
public struct FFmpegError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The C function that failed, e.g. `avformat_open_input`.
    public let call: String
    /// The negative return code (an `AVERROR` value).
    public let code: Int32

    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    /// FFmpeg's text for the code, from `av_strerror` (e.g. "Invalid data found when processing input").
    public var message: String { Self.message(for: code) }

    /// True when the code means end of file (`AVERROR_EOF`).
    public var isEndOfFile: Bool { code == REEL_AVERROR_EOF }

    /// True when the code means "not available now, try again" (`AVERROR(EAGAIN)`).
    public var isTryAgain: Bool { code == REEL_AVERROR_EAGAIN }

    /// True when FFmpeg found the bytes malformed (`AVERROR_INVALIDDATA`).
    public var isInvalidData: Bool { code == REEL_AVERROR_INVALIDDATA }

    /// The POSIX errno behind the code, if the code wraps one (`AVERROR(e)`).
    public var posixErrorCode: Int32? {
        // AVERROR(e) is -e; FFmpeg's own tags are large negative FOURCC values.
        (code < 0 && code > -4096) ? -code : nil
    }

    public var description: String { "\(call): \(message)" }

    static func message(for code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard av_strerror(code, &buffer, buffer.count) == 0 else {
            return "FFmpeg error \(code)"
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The one place where FFmpeg's integer return codes become thrown errors.
///
/// Every wrapper funnels its C calls through here so that an error always names the call
/// that failed and carries FFmpeg's message.
@discardableResult
@inline(__always)
func ffmpegCheck(_ call: @autoclosure () -> String, _ result: Int32) throws(FFmpegError) -> Int32 {
    guard result >= 0 else { throw FFmpegError(call: call(), code: result) }
    return result
}
