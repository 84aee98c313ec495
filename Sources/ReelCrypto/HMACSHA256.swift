import COpenSSL

/// HMAC-SHA256 (RFC 2104) by OpenSSL, and the constant-time comparison a verifier needs.
public enum HMACSHA256 {
    /// The length of a code: 32 bytes.
    public static let byteCount = 32

    /// The authentication code of `message` under `key`.
    public static func code(key: [UInt8], message: some Collection<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let bytes = Array(message)
        let done = output.withUnsafeMutableBufferPointer { out in
            key.withUnsafeBufferPointer { keyBytes in
                bytes.withUnsafeBufferPointer { messageBytes in
                    HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count), messageBytes.baseAddress, messageBytes.count, out.baseAddress, &length)
                }
            }
        }
        // HMAC fails only when out of memory; an empty code then matches nothing.
        return done == nil ? [] : Array(output.prefix(Int(length)))
    }

    /// True when `a` and `b` are the same bytes, in time that depends only on their length.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 } }
    }
}
