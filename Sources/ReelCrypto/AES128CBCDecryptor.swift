import COpenSSL

/// AES-128-CBC decryption with PKCS#7 padding removed: what a player does with a segment.
/// Reel never decrypts; its tests use this to check what the segment writer encrypted.
public enum AES128CBCDecryptor {
    /// `ciphertext` decrypted; throws when the key, IV or padding is wrong.
    public static func decrypt(_ ciphertext: [UInt8], key: [UInt8], iv: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard key.count == 16, iv.count == 16 else { throw CryptoError("an AES-128 key and IV are 16 bytes each") }
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSL("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_DecryptInit_ex(context, EVP_aes_128_cbc(), nil, key, iv) == 1 else { throw CryptoError.openSSL("EVP_DecryptInit_ex") }
        guard ciphertext.count <= Int(Int32.max) - 32 else { throw CryptoError("ciphertext too long for one call") }
        var output = [UInt8](repeating: 0, count: ciphertext.count + 32)
        var body: Int32 = 0
        var tail: Int32 = 0
        let ok = output.withUnsafeMutableBufferPointer { out in
            EVP_DecryptUpdate(context, out.baseAddress, &body, ciphertext, Int32(ciphertext.count)) == 1
                && EVP_DecryptFinal_ex(context, out.baseAddress! + Int(body), &tail) == 1
        }
        guard ok else { throw CryptoError.openSSL("EVP_DecryptFinal_ex (wrong key or IV, or not AES-128-CBC)") }
        return Array(output.prefix(Int(body + tail)))
    }
}
