import ReelCrypto
import Testing

@Suite struct ReelCryptoTests {
    static func hex(_ string: String) -> [UInt8] {
        var bytes = [UInt8]()
        var index = string.startIndex
        while index < string.endIndex {
            let next = string.index(index, offsetBy: 2)
            bytes.append(UInt8(string[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    /// NIST SP 800-38A F.2.1 (CBC-AES128.Encrypt), four blocks, then PKCS#7's full padding block.
    @Test func aesCBCMatchesNISTVectors() throws {
        let key = Self.hex("2b7e151628aed2a6abf7158809cf4f3c")
        let iv = Self.hex("000102030405060708090a0b0c0d0e0f")
        let plaintext = Self.hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710")
        let expected = Self.hex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7")
        let ciphertext = try AES128CBCEncryptor.encrypt(plaintext, key: key, iv: iv)
        #expect(ciphertext.count == 80)
        #expect(Array(ciphertext.prefix(64)) == expected)
        #expect(try AES128CBCDecryptor.decrypt(ciphertext, key: key, iv: iv) == plaintext)
    }

    /// Fed in uneven pieces, the stream encrypts to the same bytes as in one piece.
    @Test(arguments: [0, 1, 15, 16, 17, 1000, 65_537])
    func piecewiseEqualsWhole(length: Int) throws {
        let key = SecureRandom.bytes(16)
        let iv = SecureRandom.bytes(16)
        let plaintext = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let whole = try AES128CBCEncryptor.encrypt(plaintext, key: key, iv: iv)
        #expect(whole.count == (length / 16 + 1) * 16)
        let encryptor = try AES128CBCEncryptor(key: key, iv: iv)
        var output = [UInt8](repeating: 0, count: length + 64)
        var written = 0
        var offset = 0
        var piece = 1
        var out = [UInt8](repeating: 0, count: 64)
        while offset < length {
            let count = min(piece, length - offset)
            let chunk = Array(plaintext[offset..<(offset + count)])
            var scratch = [UInt8](repeating: 0, count: AES128CBCEncryptor.outputCapacity(forInput: count))
            let produced = try encryptor.update(chunk, count, into: &scratch)
            output.replaceSubrange(written..<(written + produced), with: scratch.prefix(produced))
            written += produced
            offset += count
            piece = piece * 3 + 1
        }
        let last = try encryptor.finish(into: &out)
        output.replaceSubrange(written..<(written + last), with: out.prefix(last))
        written += last
        #expect(Array(output.prefix(written)) == whole)
        #expect(try AES128CBCDecryptor.decrypt(whole, key: key, iv: iv) == plaintext)
    }

    @Test func wrongKeyLengthIsRefused() {
        #expect(throws: CryptoError.self) { try AES128CBCEncryptor(key: [1, 2, 3], iv: SecureRandom.bytes(16)) }
    }

    /// RFC 4231 test cases 1 and 2.
    @Test func hmacMatchesRFC4231() {
        let one = HMACSHA256.code(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(one == Self.hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"))
        let two = HMACSHA256.code(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(two == Self.hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
        #expect(HMACSHA256.constantTimeEqual(one, one))
        #expect(!HMACSHA256.constantTimeEqual(one, two))
        #expect(!HMACSHA256.constantTimeEqual(one, Array(one.prefix(31))))
    }

    @Test func randomBytesDiffer() {
        let a = SecureRandom.bytes(16)
        let b = SecureRandom.bytes(16)
        #expect(a.count == 16 && b.count == 16)
        #expect(a != b)
    }
}
