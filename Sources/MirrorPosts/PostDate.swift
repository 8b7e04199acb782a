#if canImport(Glibc)
import Glibc
#endif

/// A post's `date` from its front matter (YAML `date: …` or TOML `date = …` at the top level),
/// as seconds since the epoch: what an archive is asked for the capture closest to. Reads the
/// spellings generators write (`2021-12-03`, `2021-12-03 10:20:30`, RFC 3339 with `T`, a
/// fraction and a zone); a date without a zone is taken as UTC.
public enum PostDate {
    public static func parse(_ bytes: [UInt8]) -> Double? {
        guard bytes.count >= 4 else { return nil }
        let fence = Array(bytes[0..<3])
        guard fence == Array("---".utf8) || fence == Array("+++".utf8) else { return nil }
        var lineStart = 0
        var first = true
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var line = Array(bytes[lineStart..<lineEnd])
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            defer { lineStart = lineEnd + 1 }
            if first {
                first = false
                continue
            }
            if line == fence { return nil }
            if let value = value(ofDateKey: line) { return time(value) }
        }
        return nil
    }

    /// The text after `date:` or `date =` on a line with no indentation, unquoted.
    static func value(ofDateKey line: [UInt8]) -> String? {
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("date") else { return nil }
        var rest = text.dropFirst(4).drop { $0 == " " || $0 == "\t" }
        guard let separator = rest.first, separator == ":" || separator == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        var value = String(rest)
        while let last = value.last, last == " " || last == "\t" { value.removeLast() }
        if let quote = value.first, quote == "\"" || quote == "'", value.count >= 2, value.last == quote {
            value = String(value.dropFirst().dropLast())
        }
        return value
    }

    /// `YYYY-MM-DD`, then optionally `[T ]hh:mm[:ss[.fff]]` and `Z` or `±hh[:]mm`.
    static func time(_ text: String) -> Double? {
        let scalars = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[index..<(index + digits)] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += digits
            return value
        }
        func skip(_ byte: UInt8) -> Bool {
            guard index < scalars.count, scalars[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), skip(UInt8(ascii: "-")), let month = number(2), skip(UInt8(ascii: "-")),
            let day = number(2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var offset = 0
        if skip(UInt8(ascii: "T")) || skip(UInt8(ascii: "t")) || skip(UInt8(ascii: " ")) {
            guard let h = number(2), skip(UInt8(ascii: ":")), let m = number(2) else { return nil }
            (hour, minute) = (h, m)
            if skip(UInt8(ascii: ":")), let s = number(2) { second = s }
            if skip(UInt8(ascii: ".")) {
                while index < scalars.count, scalars[index] >= 0x30 && scalars[index] <= 0x39 { index += 1 }
            }
            _ = skip(UInt8(ascii: " "))
            if skip(UInt8(ascii: "Z")) || skip(UInt8(ascii: "z")) {
                offset = 0
            } else if index < scalars.count, scalars[index] == UInt8(ascii: "+") || scalars[index] == UInt8(ascii: "-")
            {
                let sign = scalars[index] == UInt8(ascii: "+") ? 1 : -1
                index += 1
                guard let zoneHours = number(2) else { return nil }
                _ = skip(UInt8(ascii: ":"))
                let zoneMinutes = number(2) ?? 0
                offset = sign * (zoneHours * 3600 + zoneMinutes * 60)
            }
        }
        var time = tm()
        time.tm_year = Int32(year - 1900)
        time.tm_mon = Int32(month - 1)
        time.tm_mday = Int32(day)
        time.tm_hour = Int32(hour)
        time.tm_min = Int32(minute)
        time.tm_sec = Int32(second)
        return Double(timegm(&time) - offset)
    }
}
