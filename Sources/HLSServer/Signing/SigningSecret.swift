import Foundation

/// The secret of signed URLs, read from the file `reel serve --secret-file` and `reel sign
/// --secret-file` name: its bytes, as they are, are the HMAC key. Refused when other users may
/// read it (mode & 0o004) or when it is shorter than ``minimumLength`` bytes.
public struct SigningSecret: Sendable {
    public let bytes: [UInt8]

    /// 32 bytes: HMAC-SHA256's own output size, the least that keeps the key as strong as the code.
    public static let minimumLength = 32
    /// A secret file is small; anything larger is a mistake (a video named by accident).
    static let maximumLength = 64 << 10

    /// Why a secret file was refused: each message names the file and the fix, on one line.
    public struct Refusal: Error, Sendable, CustomStringConvertible, Equatable {
        public let description: String
    }

    public init(bytes: [UInt8]) throws(Refusal) {
        guard bytes.count >= Self.minimumLength else {
            throw Refusal(description: "the secret has \(bytes.count) bytes; it needs at least \(Self.minimumLength)")
        }
        self.bytes = bytes
    }

    /// Reads and checks the secret file at `path`.
    public static func load(path: String) throws(Refusal) -> SigningSecret {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw Refusal(description: "secret file \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw Refusal(description: "secret file \(path) is not a regular file") }
        let mode = status.st_mode & 0o777
        guard mode & 0o004 == 0 else {
            throw Refusal(description: "secret file \(path) is readable by every user (mode 0\(String(mode, radix: 8))); run chmod 600 \(path)")
        }
        guard status.st_size <= maximumLength, let data = FileManager.default.contents(atPath: path) else {
            throw Refusal(description: "secret file \(path) cannot be read (or is over 64 KiB)")
        }
        guard data.count >= minimumLength else {
            throw Refusal(description: "secret file \(path) has \(data.count) bytes; a secret needs at least \(minimumLength): "
                + "make one with (umask 077; head -c 32 /dev/urandom > \(path))")
        }
        return try SigningSecret(bytes: Array(data))
    }
}
