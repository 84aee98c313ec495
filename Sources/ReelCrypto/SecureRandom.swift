/// Random bytes from the system's CSPRNG: `SystemRandomNumberGenerator` reads `getrandom(2)`
/// on Linux, the kernel's generator, which blocks only until it is first seeded at boot.
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(count)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0.prefix(count - bytes.count)) }
        }
        return bytes
    }
}
