import Foundation

/// The Wayback Machine's availability API (`/wayback/available?url=U&timestamp=T`): its answer
/// names the capture closest to T, whose page URL (`…/web/20130919044612/U`) becomes the raw
/// capture by `id_` after the timestamp (`…/web/20130919044612id_/U`): the bytes as captured,
/// without the archive's banner or rewritten links.
enum WaybackAvailability {
    private struct Answer: Decodable {
        struct Snapshots: Decodable {
            var closest: Closest?
        }
        struct Closest: Decodable {
            var available: Bool?
            var url: String
            var timestamp: String
            var status: String?
        }
        var archivedSnapshots: Snapshots?

        enum CodingKeys: String, CodingKey {
            case archivedSnapshots = "archived_snapshots"
        }
    }

    /// The query for `url` near `date` (seconds since the epoch).
    static func query(endpoint: String, url: String, date: Double) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = url.addingPercentEncoding(withAllowedCharacters: allowed) ?? url
        let separator = endpoint.contains("?") ? "&" : "?"
        return "\(endpoint)\(separator)url=\(encoded)&timestamp=\(timestamp(date))"
    }

    /// `YYYYMMDDhhmmss` in UTC, the archive's way of writing a time.
    static func timestamp(_ date: Double) -> String {
        var time = tm()
        var epoch = time_t(max(0, date))
        gmtime_r(&epoch, &time)
        let two = { (value: Int32) in value < 10 ? "0\(value)" : "\(value)" }
        return "\(Int(time.tm_year) + 1900)\(two(time.tm_mon + 1))\(two(time.tm_mday))"
            + "\(two(time.tm_hour))\(two(time.tm_min))\(two(time.tm_sec))"
    }

    static func date(fromTimestamp text: String) -> Double? {
        let digits = Array(text.utf8)
        guard digits.count >= 8, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let number = { (range: Range<Int>) -> Int32 in
            range.upperBound <= digits.count
                ? Int32(digits[range].reduce(0) { $0 * 10 + Int($1 - 0x30) }) : 0
        }
        var time = tm()
        time.tm_year = number(0..<4) - 1900
        time.tm_mon = number(4..<6) - 1
        time.tm_mday = number(6..<8)
        time.tm_hour = number(8..<10)
        time.tm_min = number(10..<12)
        time.tm_sec = number(12..<14)
        return Double(timegm(&time))
    }

    enum Outcome: Equatable {
        case capture(ArchiveCapture)
        case none
        case unreadable(String)
    }

    /// Reads the API's JSON answer.
    static func capture(fromAnswer bytes: [UInt8]) -> Outcome {
        let answer: Answer
        do {
            answer = try JSONDecoder().decode(Answer.self, from: Data(bytes))
        } catch {
            return .unreadable("the availability answer is not the expected JSON")
        }
        guard let closest = answer.archivedSnapshots?.closest, closest.available != false,
            closest.status == nil || closest.status == "200"
        else { return .none }
        guard let raw = rawCapture(closest.url, timestamp: closest.timestamp) else {
            return .unreadable("the capture URL \(closest.url) has no /<timestamp>/ to ask for raw bytes")
        }
        return .capture(ArchiveCapture(url: raw, capturedAt: date(fromTimestamp: closest.timestamp)))
    }

    /// `…/<timestamp>/U` → `…/<timestamp>id_/U`.
    static func rawCapture(_ url: String, timestamp: String) -> String? {
        guard !timestamp.isEmpty, let range = url.range(of: "/\(timestamp)/") else { return nil }
        return url.replacingCharacters(in: range, with: "/\(timestamp)id_/")
    }
}
