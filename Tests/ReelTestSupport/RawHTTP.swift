import Foundation

/// A raw HTTP/1.1 exchange over a TCP socket, for requests no HTTP client will send.
public enum RawHTTP {
    /// Sends `request` bytes and returns everything the server sends until it closes
    /// or `timeout` passes.
    public static func exchange(port: Int, request: [UInt8], timeout: Duration = .seconds(10)) throws -> (response: String, closed: Bool) {
        try exchange(port: port, chunks: [(request, .zero)], timeout: timeout)
    }

    /// Sends each chunk after its delay, then reads until the server closes or `timeout` passes.
    public static func exchange(port: Int, chunks: [(bytes: [UInt8], delay: Duration)], timeout: Duration = .seconds(10)) throws -> (response: String, closed: Bool) {
        let (bytes, closed) = try exchangeBytes(port: port, chunks: chunks, timeout: timeout)
        return (String(decoding: bytes, as: UTF8.self), closed)
    }

    /// `exchange`, returning the bytes received as they are (bodies may be binary).
    public static func exchangeBytes(port: Int, chunks: [(bytes: [UInt8], delay: Duration)], timeout: Duration = .seconds(10)) throws -> (response: [UInt8], closed: Bool) {
        let descriptor = try connected(port: port)
        defer { close(descriptor) }
        var timeval = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeval, socklen_t(MemoryLayout<timeval>.size))
        sending: for chunk in chunks {
            if chunk.delay > .zero { usleep(UInt32(chunk.delay.components.seconds * 1_000_000 + chunk.delay.components.attoseconds / 1_000_000_000_000)) }
            var sent = 0
            while sent < chunk.bytes.count {
                let result = chunk.bytes[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                // The server may close early (after a 414, or a stalled head): stop sending, read what it said.
                if result <= 0 { break sending }
                sent += result
            }
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 { received += buffer[0..<count]; continue }
            return (received, count == 0)
        }
    }
}

extension RawHTTP {
    /// A TCP socket connected to `port` on the loopback address; the caller closes it.
    public static func connected(port: Int) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            close(descriptor)
            throw RawHTTPError.connectFailed
        }
        return descriptor
    }
}

public enum RawHTTPError: Error {
    case connectFailed
}

extension RawHTTP {
    /// `exchange` on a thread of its own: the blocking socket calls must not occupy the
    /// cooperative pool, which an in-process server under test needs to answer.
    public static func exchange(port: Int, chunks: [(bytes: [UInt8], delay: Duration)], timeout: Duration = .seconds(10)) async throws -> (response: String, closed: Bool) {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try exchange(port: port, chunks: chunks, timeout: timeout) })
            }
            thread.start()
        }
    }

    public static func exchange(port: Int, request: [UInt8], timeout: Duration = .seconds(10)) async throws -> (response: String, closed: Bool) {
        try await exchange(port: port, chunks: [(request, .zero)], timeout: timeout)
    }

    /// `exchangeBytes` on a thread of its own.
    public static func exchangeBytes(port: Int, chunks: [(bytes: [UInt8], delay: Duration)], timeout: Duration = .seconds(10)) async throws -> (response: [UInt8], closed: Bool) {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try exchangeBytes(port: port, chunks: chunks, timeout: timeout) })
            }
            thread.start()
        }
    }
}
