import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// HTTP's date format (IMF-fixdate, RFC 9110: `Sun, 06 Nov 1994 08:49:37 GMT`), as
/// `Retry-After`, `Memento-Datetime` and `Accept-Datetime` write it.
public enum HTTPDate {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// Seconds since the epoch, or nil when `text` is not an IMF-fixdate.
    public static func parse(_ text: String) -> Double? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ")
        guard parts.count == 6, let day = Int(parts[1]), let month = months.firstIndex(of: parts[2].lowercased()),
            let year = Int(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        var time = tm()
        time.tm_year = Int32(year - 1900)
        time.tm_mon = Int32(month)
        time.tm_mday = Int32(day)
        time.tm_hour = Int32(clock[0])
        time.tm_min = Int32(clock[1])
        time.tm_sec = Int32(clock[2])
        let epoch = timegm(&time)
        return epoch >= 0 ? Double(epoch) : nil
    }

    /// `seconds` since the epoch as an IMF-fixdate.
    public static func format(_ seconds: Double) -> String {
        var time = tm()
        var epoch = time_t(max(0, seconds))
        gmtime_r(&epoch, &time)
        let two = { (value: Int32) in value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdays[Int(time.tm_wday)]), \(two(time.tm_mday)) \(months[Int(time.tm_mon)].capitalized) "
            + "\(Int(time.tm_year) + 1900) \(two(time.tm_hour)):\(two(time.tm_min)):\(two(time.tm_sec)) GMT"
    }
}
