import Foundation

/// HTTP dates (RFC 9110 §5.6.7): IMF-fixdate out; IMF-fixdate, RFC 850 and asctime in.
/// Written by hand because Foundation's date formatters load ICU.
public enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let longDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT` for a Unix time in seconds.
    public static func format(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return "\(days[Int(parts.tm_wday)]), \(pad(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)) GMT"
    }

    /// The Unix time an HTTP date names, nil when the text is none of the three formats.
    public static func parse(_ text: some StringProtocol) -> Int64? {
        let fields = String(text).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        if fields.count == 6, fields[0].hasSuffix(","), days.contains(String(fields[0].dropLast())), fields[5] == "GMT",
           fields[1].count == 2, let day = Int(fields[1]), let month = months.firstIndex(of: fields[2]),
           fields[3].count == 4, let year = Int(fields[3]) {
            return compose(year: year, month: month, day: day, clock: fields[4])
        }
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        if fields.count == 4, fields[0].hasSuffix(","), longDays.contains(String(fields[0].dropLast())), fields[3] == "GMT" {
            let date = fields[1].split(separator: "-").map(String.init)
            guard date.count == 3, date[0].count == 2, let day = Int(date[0]), let month = months.firstIndex(of: date[1]),
                  date[2].count == 2, let shortYear = Int(date[2]) else { return nil }
            // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
            let year = shortYear + (shortYear > 50 + currentYear() % 100 ? 1900 : 2000)
            return compose(year: year, month: month, day: day, clock: fields[2])
        }
        // asctime: Sun Nov  6 08:49:37 1994
        if fields.count == 5, days.contains(fields[0]), let month = months.firstIndex(of: fields[1]),
           (1...2).contains(fields[2].count), let day = Int(fields[2]), fields[4].count == 4, let year = Int(fields[4]) {
            return compose(year: year, month: month, day: day, clock: fields[3])
        }
        return nil
    }

    private static func compose(year: Int, month: Int, day: Int, clock: String) -> Int64? {
        let time = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 3, time.allSatisfy({ $0.count == 2 }),
              let hour = Int(time[0]), let minute = Int(time[1]), let second = Int(time[2]),
              (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
              year >= 1900 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let result = timegm(&parts)
        // timegm normalises impossible dates (31 Feb); refuse them instead.
        guard parts.tm_mday == Int32(day), parts.tm_mon == Int32(month) else { return nil }
        return Int64(result)
    }

    private static func currentYear() -> Int {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        return Int(parts.tm_year) + 1900
    }

    private static func pad(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }
}
