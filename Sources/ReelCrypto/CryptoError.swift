import COpenSSL

/// A cryptographic operation failed: the message names the call and OpenSSL's reason.
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }

    /// The failed OpenSSL call `function`, with the reason from OpenSSL's error queue.
    static func openSSL(_ function: String) -> CryptoError {
        let code = ERR_get_error()
        guard code != 0 else { return CryptoError("\(function) failed") }
        var buffer = [UInt8](repeating: 0, count: 256)
        buffer.withUnsafeMutableBufferPointer { ERR_error_string_n(code, UnsafeMutableRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), $0.count) }
        let reason = String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        return CryptoError("\(function) failed: \(reason)")
    }
}
