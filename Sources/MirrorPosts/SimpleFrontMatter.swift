/// Reads the front matter most posts have — top-level `key: value` lines whose values are
/// one-line plain, single- or double-quoted scalars, and block sequences of such scalars — in
/// one pass over the bytes, giving exactly what composing it with Yams gives. Anything else
/// (nested mappings, flow collections, block scalars, anchors, tags, multi-line scalars,
/// escapes, tabs, control characters, duplicate keys, a value a YAML parser would reject) is
/// left to Yams: `read` then returns nil. Composing is most of the time a post takes to scan.
struct SimpleFrontMatter {
    struct Scalar {
        /// The value's bytes as written, without quotes.
        var range: Range<Int>
        var value: String
        var encoding: ValueEncoding
        var line: Int
        /// A plain empty or `~`/`null` value: YAML's null.
        var isNull: Bool
    }

    enum Value {
        case scalar(Scalar)
        case sequence([Scalar])
        /// A one-line flow sequence of plain words under a key that holds no image
        /// (`tags: [a, b]`): valid, and of no interest.
        case words
        /// A plain scalar over several lines under a key that holds no image (a title or an
        /// excerpt wrapped by its editor): of interest only where it starts and whether it holds
        /// an `<img>` tag, which is reported.
        case text(line: Int, holdsImageTag: Bool)
    }

    /// Keys in order with their values.
    var entries: [(key: String, value: Value)] = []

    /// `imageKeys`: keys whose values are read (a flow sequence there is left to Yams).
    static func read(
        _ bytes: [UInt8], _ range: Range<Int>, firstLine: Int, imageKeys: [String]
    ) -> SimpleFrontMatter? {
        guard isPlainUTF8Text(bytes, range) else { return nil }
        var reader = SimpleFrontMatter()
        var keys: Set<String> = []
        var position = range.lowerBound
        var line = firstLine
        // The key whose value is a block sequence being read, and its items' indentation.
        var sequence: (key: String, indent: Int?, items: [Scalar])?
        // The entry holding a plain scalar that more indented lines may continue.
        var folding: Int?
        while position < range.upperBound {
            let end =
                ByteSearch.firstIndex(of: 0x0A, in: bytes, from: position, to: range.upperBound) ?? range.upperBound
            defer {
                position = end + 1
                line += 1
            }
            let text = position..<end
            var indent = position
            while indent < end, bytes[indent] == 0x20 { indent += 1 }
            // Blank lines and comment lines, anywhere; a comment ends a plain scalar.
            if indent == end { continue }
            if bytes[indent] == UInt8(ascii: "#") {
                folding = nil
                continue
            }
            if var open = sequence, bytes[indent] == UInt8(ascii: "-"),
                indent + 1 == end || bytes[indent + 1] == 0x20, open.indent == nil || open.indent == indent - position
            {
                open.indent = indent - position
                guard let item = scalar(bytes, (indent + 1)..<end, line: line) else { return nil }
                open.items.append(item)
                sequence = open
                continue
            }
            if indent > position {
                guard
                    reader.continueText(
                        bytes, indent..<end, line: line, folding: &folding, sequence: &sequence, imageKeys: imageKeys)
                else { return nil }
                continue
            }
            folding = nil
            if let open = sequence {
                reader.close(open, line: line)
                sequence = nil
            }
            guard let (key, rest) = keyAndRest(bytes, text), keys.insert(key).inserted else { return nil }
            if rest.isEmpty || bytes[rest.lowerBound..<rest.upperBound].allSatisfy({ $0 == 0x20 }) {
                sequence = (key, nil, [])
                continue
            }
            if let words = words(bytes, rest), !imageKeys.contains(key) {
                reader.entries.append((key, words))
                continue
            }
            guard let value = scalar(bytes, rest, line: line) else { return nil }
            reader.entries.append((key, .scalar(value)))
            if value.encoding == .yamlPlain, !imageKeys.contains(key) { folding = reader.entries.count - 1 }
        }
        if let open = sequence {
            reader.close(open, line: line)
        }
        return reader
    }

    /// `[a, b c, "d", 'e']`: plain words and quoted strings without escapes, separated by commas
    /// (one trailing comma allowed, as YAML allows it); no brackets, braces, colons or comments in
    /// plain items, no plain item starting with an indicator, nothing but a comma or the end after
    /// a quoted item.
    private static func words(_ bytes: [UInt8], _ range: Range<Int>) -> Value? {
        var start = range.lowerBound
        while start < range.upperBound, bytes[start] == 0x20 { start += 1 }
        var end = range.upperBound
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        guard end - start >= 2, bytes[start] == UInt8(ascii: "["), bytes[end - 1] == UInt8(ascii: "]") else {
            return nil
        }
        let close = end - 1
        var index = start + 1
        // At the start and after a comma an item may come; after an item, only a comma or the end.
        var expectingItem = true
        while true {
            while index < close, bytes[index] == 0x20 { index += 1 }
            if index == close { return .words }
            let byte = bytes[index]
            if byte == UInt8(ascii: ",") {
                guard !expectingItem else { return nil }
                expectingItem = true
                index += 1
                continue
            }
            guard expectingItem else { return nil }
            expectingItem = false
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                guard let after = quotedEnd(bytes, from: index, before: close) else { return nil }
                index = after
                continue
            }
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?") { return nil }
            while index < close, bytes[index] != UInt8(ascii: ",") {
                if "[]{}'\":#&*!|>%@`".utf8.contains(bytes[index]) { return nil }
                index += 1
            }
        }
    }

    /// The index after the quoted string opening at `open`, which must close before `limit`:
    /// `''` inside single quotes is a quote; a double-quoted string holds no backslash.
    private static func quotedEnd(_ bytes: [UInt8], from open: Int, before limit: Int) -> Int? {
        let quote = bytes[open]
        var index = open + 1
        while index < limit {
            let byte = bytes[index]
            if byte == quote {
                guard quote == UInt8(ascii: "'"), index + 1 < limit, bytes[index + 1] == quote else { return index + 1 }
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") { return nil }
            index += 1
        }
        return nil
    }

    /// An indented line that is not a sequence item: the next line of a plain scalar under a key
    /// that holds no image, or the first line of a scalar under such a key left empty on its own
    /// line. Anything else indented belongs to a structure read by Yams only (false).
    private mutating func continueText(
        _ bytes: [UInt8], _ text: Range<Int>, line: Int, folding: inout Int?,
        sequence: inout (key: String, indent: Int?, items: [Scalar])?, imageKeys: [String]
    ) -> Bool {
        let holdsImageTag = ByteSearch.contains("<img", in: bytes, range: text)
        if let open = sequence {
            guard open.items.isEmpty, !imageKeys.contains(open.key), let first = Self.scalar(bytes, text, line: line)
            else { return false }
            sequence = nil
            entries.append((open.key, .text(line: line, holdsImageTag: holdsImageTag)))
            folding = first.encoding == .yamlPlain ? entries.count - 1 : nil
            return true
        }
        guard let entry = folding, Self.isPlainContinuation(bytes, text) else { return false }
        switch entries[entry].value {
        case .scalar(let first):
            entries[entry].value = .text(
                line: first.line, holdsImageTag: holdsImageTag || first.value.containsBytes("<img"))
        case .text(let start, let held):
            entries[entry].value = .text(line: start, holdsImageTag: holdsImageTag || held)
        case .sequence, .words:
            return false
        }
        return true
    }

    /// The next line of a plain scalar: no indicator first, no comment, no mapping inside.
    private static func isPlainContinuation(_ bytes: [UInt8], _ text: Range<Int>) -> Bool {
        guard !text.isEmpty, !"-?:,[]{}#&*!|>'\"%@`".utf8.contains(bytes[text.lowerBound]) else { return false }
        for index in text {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":"), index + 1 == text.upperBound || bytes[index + 1] == 0x20 { return false }
            if byte == UInt8(ascii: "#"), bytes[index - 1] == 0x20 { return false }
        }
        return true
    }

    /// Ends a key whose value was to be a block sequence: one without items is null.
    private mutating func close(_ open: (key: String, indent: Int?, items: [Scalar]), line: Int) {
        entries.append((open.key, open.items.isEmpty ? .scalar(Self.nullScalar(line)) : .sequence(open.items)))
    }

    private static func nullScalar(_ line: Int) -> Scalar {
        Scalar(range: 0..<0, value: "", encoding: .yamlPlain, line: line, isNull: true)
    }

    /// `key:` then a space or the end of the line; the key a plain word.
    private static func keyAndRest(_ bytes: [UInt8], _ line: Range<Int>) -> (String, Range<Int>)? {
        var index = line.lowerBound
        while index < line.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") { break }
            guard
                byte >= 0x80 || TemplateText.isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39)
                    || byte == UInt8(ascii: "_") || (byte == UInt8(ascii: "-") && index > line.lowerBound)
            else { return nil }
            index += 1
        }
        guard index > line.lowerBound, index < line.upperBound else { return nil }
        let after = index + 1
        guard after == line.upperBound || bytes[after] == 0x20 else { return nil }
        return (String(decoding: bytes[line.lowerBound..<index], as: UTF8.self), after..<line.upperBound)
    }

    /// One scalar after its key or dash (leading spaces skipped), alone on its line.
    private static func scalar(_ bytes: [UInt8], _ range: Range<Int>, line: Int) -> Scalar? {
        var start = range.lowerBound
        while start < range.upperBound, bytes[start] == 0x20 { start += 1 }
        var end = range.upperBound
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        guard start < end else {
            return Scalar(range: start..<start, value: "", encoding: .yamlPlain, line: line, isNull: true)
        }
        let first = bytes[start]
        if first == UInt8(ascii: "'") || first == UInt8(ascii: "\"") {
            // The closing quote ends the line (a `''` inside single quotes is one quote).
            guard end - start >= 2, bytes[end - 1] == first else { return nil }
            let inner = (start + 1)..<(end - 1)
            var index = inner.lowerBound
            while index < inner.upperBound {
                if bytes[index] == first {
                    guard first == UInt8(ascii: "'"), index + 1 < inner.upperBound, bytes[index + 1] == first else {
                        return nil
                    }
                    index += 2
                    continue
                }
                if first == UInt8(ascii: "\""), bytes[index] == UInt8(ascii: "\\") { return nil }
                index += 1
            }
            let raw = String(decoding: bytes[inner], as: UTF8.self)
            let single = first == UInt8(ascii: "'")
            return Scalar(
                range: inner, value: single ? raw.replacing("''", with: "'") : raw,
                encoding: single ? .yamlSingleQuoted : .yamlDoubleQuoted, line: line, isNull: false)
        }
        // A plain scalar: no indicator first, no comment, no mapping inside, on one line.
        guard !"-?:,[]{}#&*!|>'\"%@`".utf8.contains(first) else { return nil }
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":"), index + 1 == end || bytes[index + 1] == 0x20 { return nil }
            if byte == UInt8(ascii: "#"), bytes[index - 1] == 0x20 { return nil }
            index += 1
        }
        let value = String(decoding: bytes[start..<end], as: UTF8.self)
        return Scalar(
            range: start..<end, value: value, encoding: .yamlPlain, line: line,
            isNull: FrontMatterLocator.nulls.contains(value))
    }

    /// Valid UTF-8 without the characters YAML reads differently from a plain line of text:
    /// tabs, carriage returns and other controls, DEL, C1 controls (NEL is a line break to
    /// YAML), the line and paragraph separators, and byte-order marks. One pass, no copy.
    private static func isPlainUTF8Text(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte < 0x20 && byte != 0x0A || byte == 0x7F { return false }
                index += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                upper = 0x9F
            case 0xF0:
                length = 4
                lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upper = 0x8F
            default: return false
            }
            guard index + length <= end, bytes[index + 1] >= lower, bytes[index + 1] <= upper else { return false }
            for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 { return false }
            let second = bytes[index + 1]
            if byte == 0xC2, second < 0xA0 { return false }
            if byte == 0xE2, second == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 { return false }
            if byte == 0xEF, second == 0xBB, bytes[index + 2] == 0xBF { return false }
            index += length
        }
        return true
    }
}
