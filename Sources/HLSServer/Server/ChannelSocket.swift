#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// The descriptor of a SwiftNIO TCP channel's socket, so the fast path can send a file response
/// itself: its head with `MSG_MORE` and its body by `sendfile`, in two system calls, where
/// NIO's writes would take a head write, a `sendfile` and two `setsockopt`s for the cork, and
/// the kernel spends a third more time under a cork than under `MSG_MORE` (measured in
/// `bench/serve.sh`'s random ranges, README).
///
/// SwiftNIO keeps the descriptor private (`BaseSocketChannel.socket`, then `BaseSocket`'s
/// `descriptor`), and Hummingbird's server owns the accepting socket, so it is read by
/// reflection and then checked: it is used only when `getsockname` and `getpeername` of that
/// descriptor give the channel's own local and remote addresses. A SwiftNIO that stores it
/// elsewhere gives nil, and the fast path writes through NIO as before (a test fails then, so
/// it does not go unnoticed).
enum ChannelSocket {
    /// The channel's socket descriptor; nil when not found or not the channel's. Once per
    /// connection, on its event loop.
    static func descriptor(of channel: any Channel) -> Int32? {
        guard let socket = storedProperty("socket", of: channel),
              let descriptor = storedProperty("descriptor", of: socket) as? Int32,
              let local = channel.localAddress, let remote = channel.remoteAddress,
              address(of: descriptor, getsockname) == local, address(of: descriptor, getpeername) == remote else { return nil }
        return descriptor
    }

    /// A stored property of `subject` or of one of its superclasses, by name.
    private static func storedProperty(_ name: String, of subject: Any) -> Any? {
        var mirror: Mirror? = Mirror(reflecting: subject)
        while let current = mirror {
            if let child = current.children.first(where: { $0.label == name }) { return child.value }
            mirror = current.superclassMirror
        }
        return nil
    }

    /// The IP address `query` (`getsockname` or `getpeername`) gives for `descriptor`, compared
    /// as SwiftNIO compares addresses (family, port, address).
    private static func address(of descriptor: Int32, _ query: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { query(descriptor, $0, &length) } }
        guard result == 0 else { return nil }
        return withUnsafeBytes(of: storage) { raw in
            switch Int32(storage.ss_family) {
            case AF_INET: SocketAddress(raw.loadUnaligned(as: sockaddr_in.self))
            case AF_INET6: SocketAddress(raw.loadUnaligned(as: sockaddr_in6.self))
            default: nil
            }
        }
    }
}
