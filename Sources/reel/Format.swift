/// Locale-independent number formatting for terminal output.
enum Format {
    static func decimal(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard places > 0 else { return sign + String(whole) }
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: places - digits.count) + digits
    }

    static func seconds(_ value: Double) -> String { decimal(value, places: 3) + " s" }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : decimal(value, places: 1) + " " + units[unit]
    }

    static func bitRate(_ bitsPerSecond: Int64) -> String {
        bitsPerSecond >= 1_000_000
            ? decimal(Double(bitsPerSecond) / 1_000_000, places: 2) + " Mb/s"
            : decimal(Double(bitsPerSecond) / 1000, places: 0) + " kb/s"
    }
}
