import Foundation
import ReelCrypto

/// A signed URL's signature (`reel sign`, `reel serve --secret-file`): a scope, an expiry and
/// the HMAC-SHA256 of both under the server's secret, carried in the query as
/// `exp=<unix seconds>&scope=<percent-encoded path prefix>&sig=<base64url code, no padding>`.
///
/// The code covers the versioned message `reel-v1\n<scope>\n<exp>` (the scope decoded), so
/// neither the scope nor the expiry can change without the secret. A scope ending in `/` opens
/// every path it prefixes (`/hls/NAME/`, or `/` for everything); any other scope opens that one
/// path (`/media/a.mp4` does not open `/media/a.mp4x`). Pure: no I/O, no clock.
public struct URLSignature: Sendable, Equatable {
    /// The path prefix (or exact path) the signature opens, decoded: `/hls/NAME/`, `/media/a b.mp4`, `/`.
    public var scope: String
    /// Unix seconds after which the signature opens nothing.
    public var expires: Int64
    /// HMAC-SHA256 of ``message(scope:expires:)``.
    public var code: [UInt8]

    /// Why a request's signature does not open what it asks for (the metric's `reason` label).
    public enum Rejection: String, Error, Sendable, CaseIterable {
        /// No `exp`, `scope` or `sig` at all.
        case missing
        /// Some of them, but not three well-formed ones exactly once each.
        case malformed
        /// Past its expiry.
        case expired
        /// The code is not the secret's for this scope and expiry: tampered, or another secret's.
        case invalid
        /// A valid signature for other paths.
        case scope
    }

    /// Signs `scope` until `expires` with `secret`.
    public init(scope: String, expires: Int64, secret: [UInt8]) {
        self.init(scope: scope, expires: expires, code: HMACSHA256.code(key: secret, message: Self.message(scope: scope, expires: expires)))
    }

    public init(scope: String, expires: Int64, code: [UInt8]) {
        self.scope = scope
        self.expires = expires
        self.code = code
    }

    /// What the code authenticates: a fixed, versioned text, so a later scheme cannot be
    /// confused with this one.
    public static func message(scope: String, expires: Int64) -> [UInt8] {
        Array("reel-v1\n\(scope)\n\(expires)".utf8)
    }

    /// The query parameters, in a fixed order: what `reel sign` prints after `?` and what a
    /// signed playlist appends to the URIs it names.
    public var query: String {
        "exp=\(expires)&scope=\(Self.percentEncodedScope(scope))&sig=\(Base64URL.encode(code))"
    }

    /// The signature in a request's query (still percent-encoded, without `?`), other
    /// parameters (`_HLS_msn`, …) ignored: `.missing` when it has none of `exp`, `scope`, `sig`;
    /// `.malformed` unless it has each exactly once, well-formed.
    public static func parse(query: Substring?) -> Result<URLSignature, Rejection> {
        var values: [Substring?] = [nil, nil, nil]
        var seen = false
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: "=")
            let index: Int
            switch equals.map({ pair[..<$0] }) ?? pair {
            case "exp": index = 0
            case "scope": index = 1
            case "sig": index = 2
            default: continue
            }
            seen = true
            // A repeated parameter is ambiguous (which one would a cache or proxy read?).
            guard values[index] == nil, let equals else { return .failure(.malformed) }
            values[index] = pair[pair.index(after: equals)...]
        }
        guard seen else { return .failure(.missing) }
        guard let exp = values[0], let expires = decimal(exp),
              let encodedScope = values[1], let scope = RequestPath.decode(encodedScope), scope.hasPrefix("/"),
              let sig = values[2], let code = Base64URL.decode(sig), code.count == HMACSHA256.byteCount else {
            return .failure(.malformed)
        }
        return .success(URLSignature(scope: scope, expires: expires, code: code))
    }

    /// Whether this signature, made with `secret`, opens `path` (decoded and normalized, as
    /// ``RequestPath`` makes it, with its route's prefix) at `now`; nil when it does. The code
    /// is checked first, in constant time: an altered expiry or scope is `.invalid`, not expired
    /// or out of scope.
    public func rejection(opening path: String, secret: [UInt8], now: Int64) -> Rejection? {
        let expected = HMACSHA256.code(key: secret, message: Self.message(scope: scope, expires: expires))
        guard HMACSHA256.constantTimeEqual(expected, code) else { return .invalid }
        guard now < expires else { return .expired }
        return opens(path) ? nil : .scope
    }

    /// A scope ending in `/` opens what it prefixes; any other only itself.
    public func opens(_ path: String) -> Bool {
        scope.hasSuffix("/") ? path.hasPrefix(scope) : path == scope
    }

    private static func decimal(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int64(text)
    }

    /// The scope as a query value: everything but RFC 3986's unreserved characters and `/`
    /// percent-encoded (`&`, `=`, `+`, `%`, `?`, `#` and spaces included).
    static func percentEncodedScope(_ scope: String) -> String {
        scope.addingPercentEncoding(withAllowedCharacters: .urlUnreservedCharactersAndSlash) ?? scope
    }
}

/// Base64 with the URL-safe alphabet (RFC 4648 §5) and no padding: Foundation's Base64 with
/// `-` and `_` for `+` and `/`, mapped byte by byte (a code is checked on every signed request).
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        String(decoding: encodedBytes(bytes), as: UTF8.self)
    }

    private static func encodedBytes(_ bytes: [UInt8]) -> [UInt8] {
        Data(bytes).base64EncodedData().compactMap { byte in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }
    }

    /// Nil for padding, any character outside the alphabet, a length no encoding has, or
    /// leftover bits that are not zero (so each code has exactly one text).
    static func decode(_ text: Substring) -> [UInt8]? {
        var standard = [UInt8]()
        standard.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="): return nil
            case UInt8(ascii: "-"): standard.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): standard.append(UInt8(ascii: "/"))
            default: standard.append(byte)
            }
        }
        standard += Array(repeating: UInt8(ascii: "="), count: (4 - standard.count % 4) % 4)
        guard let data = Data(base64Encoded: Data(standard)) else { return nil }
        let bytes = [UInt8](data)
        // One text per code: Foundation ignores leftover bits, so re-encode and compare.
        return encodedBytes(bytes).elementsEqual(text.utf8) ? bytes : nil
    }
}
