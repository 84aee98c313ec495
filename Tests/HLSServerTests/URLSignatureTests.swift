import Foundation
@testable import HLSServer
import Testing

let testSecret = Array("0123456789abcdef0123456789abcdef".utf8)

@Suite("URL signatures")
struct URLSignatureTests {
    static let now: Int64 = 1_700_000_000

    static func query(scope: String = "/hls/clip/", expires: Int64 = now + 60, secret: [UInt8] = testSecret) -> String {
        URLSignature(scope: scope, expires: expires, secret: secret).query
    }

    static func rejection(_ path: String, query: String?, now: Int64 = now) -> URLSignature.Rejection? {
        switch SignedAccess.decide(path: path, query: query.map { $0[...] }, secret: testSecret, now: now) {
        case .signed: nil
        case .refused(let reason): reason
        }
    }

    @Test func queryHasTheThreeParametersInOrder() throws {
        let query = Self.query()
        let parts = query.split(separator: "&")
        #expect(parts.count == 3)
        #expect(parts[0] == "exp=\(Self.now + 60)")
        #expect(parts[1] == "scope=/hls/clip/")
        #expect(parts[2].hasPrefix("sig="))
        // 32 bytes of base64url without padding: 43 characters of the URL-safe alphabet.
        let sig = parts[2].dropFirst(4)
        #expect(sig.count == 43)
        #expect(sig.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    @Test func codeIsHMACOfTheVersionedMessage() throws {
        let signature = URLSignature(scope: "/", expires: 42, secret: testSecret)
        #expect(URLSignature.message(scope: "/", expires: 42) == Array("reel-v1\n/\n42".utf8))
        #expect(signature.code.count == 32)
        #expect(signature.code != URLSignature(scope: "/", expires: 43, secret: testSecret).code)
        #expect(signature.code != URLSignature(scope: "/", expires: 42, secret: testSecret.reversed()).code)
    }

    @Test func roundTrip() throws {
        let signature = URLSignature(scope: "/media/a b/c&d=e+f%.mp4", expires: 99, secret: testSecret)
        #expect(signature.query.contains("scope=/media/a%20b/c%26d%3De%2Bf%25.mp4&"))
        #expect(try URLSignature.parse(query: signature.query[...]).get() == signature)
    }

    @Test(arguments: [
        ("/hls/clip/master.m3u8", "/hls/clip/", true),
        ("/hls/clip/copy/seg-00000.m4s", "/hls/clip/", true),
        ("/hls/clip/copy/key-00000.key", "/hls/clip/", true),
        ("/hls/clip2/master.m3u8", "/hls/clip/", false),
        ("/hls/clip", "/hls/clip/", false),
        ("/media/a.mp4", "/media/a.mp4", true),
        ("/media/a.mp4x", "/media/a.mp4", false),
        ("/media/a.mp4/b", "/media/a.mp4", false),
        ("/media/b.mp4", "/media/a.mp4", false),
        ("/media/a.mp4", "/", true),
        ("/hls/x/y.m3u8", "/", true),
        ("/", "/", true),
        ("/", "/hls/clip/", false),
    ])
    func scopes(path: String, scope: String, opens: Bool) {
        #expect(URLSignature(scope: scope, expires: 0, code: []).opens(path) == opens)
        let query = Self.query(scope: scope)
        #expect(Self.rejection(path, query: query) == (opens ? nil : .scope))
    }

    @Test func otherParametersKeepWorking() {
        let query = Self.query()
        #expect(Self.rejection("/hls/clip/copy/index.m3u8", query: "_HLS_msn=3&_HLS_part=1&" + query + "&_HLS_skip=YES") == nil)
        #expect(DeliveryDirectives(query: ("_HLS_msn=3&" + query + "&_HLS_skip=YES")[...]) == DeliveryDirectives(query: "_HLS_msn=3&_HLS_skip=YES"))
    }

    @Test func missing() {
        #expect(Self.rejection("/hls/clip/master.m3u8", query: nil) == .missing)
        #expect(Self.rejection("/hls/clip/master.m3u8", query: "") == .missing)
        #expect(Self.rejection("/hls/clip/master.m3u8", query: "_HLS_msn=3&expires=5&signature=x") == .missing)
    }

    @Test func malformed() {
        let good = Self.query()
        let sig = String(good.split(separator: "&")[2].dropFirst(4))
        let exp = "exp=\(Self.now + 60)"
        let cases = [
            "exp=1", "\(exp)&scope=/hls/clip/", "scope=/hls/clip/&sig=\(sig)",
            good + "&exp=1", good + "&sig=\(sig)", good + "&scope=/",
            "exp=soon&scope=/hls/clip/&sig=\(sig)", "exp=-5&scope=/hls/clip/&sig=\(sig)", "exp=&scope=/hls/clip/&sig=\(sig)",
            "exp=1234567890123456789&scope=/hls/clip/&sig=\(sig)",
            "\(exp)&scope=hls/clip/&sig=\(sig)", "\(exp)&scope=/hls/%zz/&sig=\(sig)", "\(exp)&scope&sig=\(sig)",
            "\(exp)&scope=/hls/clip/&sig=\(sig)=", "\(exp)&scope=/hls/clip/&sig=\(sig.dropLast())",
            "\(exp)&scope=/hls/clip/&sig=\(sig)AA", "\(exp)&scope=/hls/clip/&sig=+\(sig.dropFirst())", "\(exp)&scope=/hls/clip/&sig=/\(sig.dropFirst())",
            "\(exp)&scope=/hls/clip/&sig=",
        ]
        for query in cases {
            #expect(Self.rejection("/hls/clip/master.m3u8", query: query) == .malformed, "\(query)")
        }
    }

    @Test func tamperedIsInvalid() {
        let good = Self.query()
        #expect(Self.rejection("/hls/clip/master.m3u8", query: good) == nil)
        var parts = good.split(separator: "&").map(String.init)
        // Another expiry, another scope, another code, another secret: each invalid.
        let longer = ["exp=\(Self.now + 6000)", parts[1], parts[2]].joined(separator: "&")
        #expect(Self.rejection("/hls/clip/master.m3u8", query: longer) == .invalid)
        let wider = [parts[0], "scope=/", parts[2]].joined(separator: "&")
        #expect(Self.rejection("/hls/clip/master.m3u8", query: wider) == .invalid)
        var code = Array(parts[2].utf8)
        code[10] = code[10] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        parts[2] = String(decoding: code, as: UTF8.self)
        #expect(Self.rejection("/hls/clip/master.m3u8", query: parts.joined(separator: "&")) == .invalid)
        #expect(Self.rejection("/hls/clip/master.m3u8", query: Self.query(secret: testSecret.reversed())) == .invalid)
        // An expired, tampered signature is invalid: the code is checked first.
        #expect(Self.rejection("/hls/clip/master.m3u8", query: longer, now: Self.now + 10_000) == .invalid)
    }

    @Test func expiry() {
        let query = Self.query(expires: Self.now + 60)
        #expect(Self.rejection("/hls/clip/master.m3u8", query: query, now: Self.now + 59) == nil)
        #expect(Self.rejection("/hls/clip/master.m3u8", query: query, now: Self.now + 60) == .expired)
        #expect(Self.rejection("/hls/clip/master.m3u8", query: query, now: Self.now + 100_000) == .expired)
        // Expired and out of scope: expired (the scope is only looked at for a live signature).
        #expect(Self.rejection("/hls/other/master.m3u8", query: query, now: Self.now + 60) == .expired)
    }

    @Test func percentEncodedScopeMatchesTheDecodedPath() {
        let query = Self.query(scope: "/media/sub dir/clip.webm")
        #expect(query.contains("scope=/media/sub%20dir/clip.webm&"))
        #expect(Self.rejection("/media/sub dir/clip.webm", query: query) == nil)
        // The same scope with lowercase escapes, or fewer: the decoded text is what is signed.
        let other = query.replacingOccurrences(of: "sub%20dir", with: "sub%20%64ir")
        #expect(Self.rejection("/media/sub dir/clip.webm", query: other) == nil)
    }
}

@Suite("Base64url")
struct Base64URLTests {
    @Test(arguments: [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")])
    func rfc4648Vectors(plain: String, encoded: String) throws {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded[...]) == Array(plain.utf8))
    }

    @Test func urlSafeAlphabetRoundTrips() throws {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF, 0x00, 0x3E, 0x3F]
        #expect(Base64URL.encode(bytes) == "-_-_AD4_")
        for count in 0..<70 {
            let data = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64URL.decode(Base64URL.encode(data)[...]) == data)
        }
    }

    @Test(arguments: ["Zg==", "Zm9v+", "Zm9v/", "Z", "Zh", "Zm9", "Zm 9v", "Zm9v\n"])
    func refused(text: String) {
        #expect(Base64URL.decode(text[...]) == nil)
    }
}

@Suite("What reel sign signs")
struct SignablePathTests {
    @Test(arguments: [
        ("/hls/clip/master.m3u8", "/hls/clip/master.m3u8", "/hls/clip/"),
        ("/hls/clip", "/hls/clip", "/hls/clip/"),
        ("/hls/clip/", "/hls/clip/", "/hls/clip/"),
        ("/hls/clip/720p/index.m3u8", "/hls/clip/720p/index.m3u8", "/hls/clip/"),
        ("/media/a/b.mp4", "/media/a/b.mp4", "/media/a/b.mp4"),
        ("/media/sub dir/clip.webm", "/media/sub%20dir/clip.webm", "/media/sub dir/clip.webm"),
        ("/media/sub%20dir/clip.webm", "/media/sub%20dir/clip.webm", "/media/sub dir/clip.webm"),
        ("/", "/", "/"),
    ])
    func signable(input: String, path: String, scope: String) throws {
        let signable = try #require(SignablePath(input))
        #expect(signable.path == path)
        #expect(signable.scope == scope)
        let signed = signable.signed(expires: 100, secret: testSecret)
        #expect(signed.hasPrefix(path + "?exp=100&scope="))
    }

    @Test(arguments: [
        "", "hls/clip/", "/hls/", "/hls", "/hls//", "/hls/-bad/master.m3u8", "/hls/clip/../other/", "/hls/.hidden/",
        "/media/", "/media", "/media/dir/", "/media/a//b.mp4", "/media/.hidden.mp4", "/media/%zz.mp4", "/api/assets", "/static/reel.js",
        "/healthz", "//", "/hls/clip/%2e%2e/x",
    ])
    func notSignable(input: String) {
        #expect(SignablePath(input) == nil)
    }

    /// What reel sign prints opens what it names, and the asset's other files.
    @Test func signedPathOpensItsScope() throws {
        let signed = try #require(SignablePath("/hls/clip/master.m3u8")).signed(expires: 200, secret: testSecret)
        let query = String(signed.split(separator: "?")[1])
        #expect(SignedAccess.decide(path: "/hls/clip/copy/seg-00000.m4s", query: query[...], secret: testSecret, now: 100).isSigned)
        #expect(!SignedAccess.decide(path: "/hls/clap/master.m3u8", query: query[...], secret: testSecret, now: 100).isSigned)
    }
}

extension SignedAccess.Decision {
    var isSigned: Bool {
        if case .signed = self { return true }
        return false
    }
}

@Suite("Secret files")
struct SigningSecretTests {
    static func file(_ bytes: Int, mode: mode_t) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: bytes)))
        #expect(chmod(path, mode) == 0)
        return path
    }

    @Test(arguments: [0o600, 0o400, 0o640, 0o660])
    func accepted(mode: Int) throws {
        let path = try Self.file(32, mode: mode_t(mode))
        defer { unlink(path) }
        #expect(try SigningSecret.load(path: path).bytes == [UInt8](repeating: 7, count: 32))
    }

    @Test(arguments: [0o644, 0o604, 0o666, 0o777])
    func worldReadableIsRefused(mode: Int) throws {
        let path = try Self.file(64, mode: mode_t(mode))
        defer { unlink(path) }
        #expect(throws: SigningSecret.Refusal.self) { try SigningSecret.load(path: path) }
        do {
            _ = try SigningSecret.load(path: path)
        } catch {
            #expect(error.description.contains(path) && error.description.contains("chmod 600 \(path)"), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test(arguments: [0, 1, 16, 31])
    func shortIsRefused(bytes: Int) throws {
        let path = try Self.file(bytes, mode: 0o600)
        defer { unlink(path) }
        do {
            _ = try SigningSecret.load(path: path)
            Issue.record("a \(bytes)-byte secret was accepted")
        } catch {
            #expect(error.description.contains(path) && error.description.contains("\(bytes) bytes") && error.description.contains("32"), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func missingAndDirectoryAreRefused() throws {
        #expect(throws: SigningSecret.Refusal.self) { try SigningSecret.load(path: "/nonexistent/secret") }
        #expect(throws: SigningSecret.Refusal.self) { try SigningSecret.load(path: FileManager.default.temporaryDirectory.path) }
        #expect(throws: SigningSecret.Refusal.self) { try SigningSecret(bytes: [1, 2, 3]) }
    }
}
