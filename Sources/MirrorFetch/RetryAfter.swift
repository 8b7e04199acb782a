import Foundation

/// Parses a `Retry-After` header: delay seconds or an HTTP-date (RFC 9110).
enum RetryAfter {
    static func seconds(from value: String, now: Date) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return Double(seconds) }
        guard let date = HTTPDate.parse(trimmed) else { return nil }
        return max(0, date - now.timeIntervalSince1970)
    }
}
