import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Parses a `Retry-After` header: delay seconds or an HTTP-date (RFC 9110).
enum RetryAfter {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func seconds(from value: String, now: Date) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return Double(seconds) }
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        let parts = trimmed.split(separator: " ")
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
        guard epoch >= 0 else { return nil }
        return max(0, Double(epoch) - now.timeIntervalSince1970)
    }
}
