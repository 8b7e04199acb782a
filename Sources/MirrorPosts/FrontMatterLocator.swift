import Yams

/// Finds the exact bytes of a YAML scalar's value in a post, verified against its decoded text,
/// so it can be replaced without touching anything else.
struct FrontMatterLocator {
    let bytes: [UInt8]
    let frontMatter: FrontMatter
    /// The post's line of the YAML's first line.
    let firstLine: Int
    let lines: LineIndex

    /// YAML's spellings of null, for plain scalars.
    static let nulls: Set<String> = ["~", "null", "Null", "NULL"]

    /// Adds the value of `scalar` at `key`, or a problem when its style cannot be edited in
    /// place. Null (a plain empty or `null` scalar) is no value.
    func add(
        _ scalar: Node.Scalar, key: String, index: Int?, to values: inout [FrontMatterValue], problems: inout [String]
    ) {
        if scalar.style == .plain && (scalar.string.isEmpty || Self.nulls.contains(scalar.string)) { return }
        if let (range, encoding) = locate(scalar) {
            values.append(
                FrontMatterValue(key: key, index: index, value: scalar.string, range: range, encoding: encoding))
        } else {
            let line = (scalar.mark?.line ?? 1) + firstLine - 1
            problems.append("front matter \(key) (line \(line)): value style not editable in place, left alone")
        }
    }

    /// The byte range of a scalar's raw value, verified against its decoded text.
    func locate(_ scalar: Node.Scalar) -> (Range<Int>, ValueEncoding)? {
        guard let mark = scalar.mark, let lineStart = lines.start(ofLine: firstLine + mark.line - 1) else { return nil }
        // libyaml counts columns in Unicode scalars; walk them as UTF-8 lead bytes.
        var offset = lineStart
        var remaining = mark.column - 1
        while remaining > 0, offset < frontMatter.yamlRange.upperBound {
            offset += 1
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            remaining -= 1
        }
        let raw: String
        let encoding: ValueEncoding
        var start = offset
        switch scalar.style {
        case .plain:
            raw = scalar.string
            encoding = .yamlPlain
        case .singleQuoted:
            guard start < bytes.count, bytes[start] == UInt8(ascii: "'") else { return nil }
            start += 1
            // `replacing` is slow for what it does; most values have no quote.
            raw =
                scalar.string.utf8.contains(UInt8(ascii: "'"))
                ? scalar.string.replacing("'", with: "''") : scalar.string
            encoding = .yamlSingleQuoted
        case .doubleQuoted:
            guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") else { return nil }
            start += 1
            let plainText =
                !scalar.string.contains("\\") && !scalar.string.contains("\"")
                && scalar.string.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
            guard plainText else { return nil }
            raw = scalar.string
            encoding = .yamlDoubleQuoted
        default:
            return nil
        }
        let rawBytes = Array(raw.utf8)
        let end = start + rawBytes.count
        guard end <= frontMatter.yamlRange.upperBound, bytes[start..<end].elementsEqual(rawBytes) else { return nil }
        return (start..<end, encoding)
    }
}
