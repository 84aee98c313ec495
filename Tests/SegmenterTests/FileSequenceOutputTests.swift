import CFFmpeg
import Foundation
import ReelCrypto
import ReelTestSupport
import Testing
@testable import Segmenter

/// The output the muxers write through: bytes reach the file by the writer thread, encrypted
/// when asked, and a failed write is reported at the next flush.
@Suite struct FileSequenceOutputTests {
    /// `count` bytes through the context in pieces of `piece`, as a muxer writes them.
    static func write(_ bytes: [UInt8], to output: FileSequenceOutput, piece: Int) {
        var offset = 0
        while offset < bytes.count {
            let count = min(piece, bytes.count - offset)
            bytes[offset..<(offset + count)].withUnsafeBufferPointer { avio_write(output.context, $0.baseAddress, Int32(count)) }
            offset += count
        }
    }

    static func pattern(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ seed) }
    }

    /// Clear bytes, then an encrypted stretch, then clear again, across many buffers: the file
    /// holds them in order, the stretch decrypting to what was written, and the position
    /// counts the file's bytes once the encryption ends.
    @Test func clearEncryptedClear() throws {
        let scratch = try TemporaryDirectory(prefix: "output")
        let path = scratch.url.appendingPathComponent("out").path
        let (head, body, tail) = (Self.pattern(1000, seed: 1), Self.pattern(3 << 20 | 5, seed: 2), Self.pattern(777, seed: 3))
        let key = Array(repeating: UInt8(7), count: 16), iv = Array(0..<16).map(UInt8.init)
        let output = FileSequenceOutput(bufferSize: 1 << 16)
        try output.switchTo(path: path)
        Self.write(head, to: output, piece: 333)
        try output.flush()
        try output.beginEncryption(key: key, iv: iv)
        Self.write(body, to: output, piece: 40_000)
        try output.endEncryption()
        let encryptedLength = (body.count / 16 + 1) * 16
        #expect(output.position == Int64(head.count + encryptedLength))
        Self.write(tail, to: output, piece: 100)
        try output.closeCurrent()
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(file.count == head.count + encryptedLength + tail.count)
        #expect(Array(file.prefix(head.count)) == head)
        #expect(Array(file.suffix(tail.count)) == tail)
        let ciphertext = Array(file[head.count..<(head.count + encryptedLength)])
        #expect(ciphertext != Array(body.prefix(encryptedLength)))
        #expect(try AES128CBCDecryptor.decrypt(ciphertext, key: key, iv: iv) == body)
    }

    /// A full disk: the write fails on the writer thread, and the next flush says so.
    @Test func aFailedWriteIsReportedAtTheNextFlush() throws {
        try #require(FileManager.default.isWritableFile(atPath: "/dev/full"))
        let output = FileSequenceOutput(bufferSize: 1 << 16)
        try output.switchTo(path: "/dev/full")
        Self.write(Self.pattern(1 << 20, seed: 4), to: output, piece: 1 << 16)
        #expect(throws: FileSequenceError(code: ENOSPC)) { try output.flush() }
    }
}
