/// One argument of a template call as written: `key=value`, `key: value`, `"quoted"`,
/// `'quoted'`, `` `raw` ``, `[bracketed]` or a bare word.
struct TemplateArgument {
    /// The name of a named argument, as written.
    var key: String?
    /// The value's bytes, without its quotes.
    var valueRange: Range<Int>
    /// `"`, `'` or `` ` `` when quoted.
    var quote: UInt8?
    /// The value as the generator reads it (`\"` and `\\` unescaped in `"`/`'` quotes).
    var value: String

    /// The arguments in `range`, separated by whitespace (and commas when `commas`): the
    /// reference oracle's reading, byte for byte.
    static func parse(_ bytes: [UInt8], _ range: Range<Int>, commas: Bool) -> [TemplateArgument] {
        var result: [TemplateArgument] = []
        var index = range.lowerBound
        while index < range.upperBound {
            if let (argument, end) = named(bytes, at: index, range.upperBound, commas: commas)
                ?? value(bytes, at: index, range.upperBound, commas: commas, key: nil)
            {
                result.append(argument)
                index = end
            } else {
                index += 1
            }
        }
        return result
    }

    /// `key`, whitespace, `=` or a `:` not starting `://`, whitespace, then a value.
    private static func named(
        _ bytes: [UInt8], at start: Int, _ end: Int, commas: Bool
    ) -> (TemplateArgument, Int)? {
        guard start < end, TemplateText.isASCIILetter(bytes[start]) || bytes[start] == UInt8(ascii: "_") else {
            return nil
        }
        var index = start + 1
        while index < end, TemplateText.isWordByte(bytes[index]) || bytes[index] == UInt8(ascii: "-") { index += 1 }
        let key = String(decoding: bytes[start..<index], as: UTF8.self)
        TemplateText.skipWhitespace(bytes, &index, end)
        guard index < end else { return nil }
        if bytes[index] == UInt8(ascii: "=") {
            index += 1
        } else if bytes[index] == UInt8(ascii: ":"), !TemplateText.matches(bytes, index + 1, end, [0x2F, 0x2F]) {
            index += 1
        } else {
            return nil
        }
        TemplateText.skipWhitespace(bytes, &index, end)
        return value(bytes, at: index, end, commas: commas, key: key)
    }

    private static func value(
        _ bytes: [UInt8], at start: Int, _ end: Int, commas: Bool, key: String?
    ) -> (TemplateArgument, Int)? {
        guard start < end else { return nil }
        let first = bytes[start]
        switch first {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            var index = start + 1
            var escaped = false
            while index < end, bytes[index] != first {
                if bytes[index] == UInt8(ascii: "\\") {
                    guard index + 1 < end, bytes[index + 1] != 0x0A else { return nil }
                    escaped = true
                    index += 1
                }
                index += 1
            }
            guard index < end else { return nil }
            let inner = (start + 1)..<index
            let text = escaped ? unescaped(bytes[inner]) : String(decoding: bytes[inner], as: UTF8.self)
            return (TemplateArgument(key: key, valueRange: inner, quote: first, value: text), index + 1)
        case UInt8(ascii: "`"):
            guard let close = ByteSearch.firstIndex(of: first, in: bytes, from: start + 1, to: end) else { return nil }
            let inner = (start + 1)..<close
            return (
                TemplateArgument(
                    key: key, valueRange: inner, quote: first, value: String(decoding: bytes[inner], as: UTF8.self)),
                close + 1
            )
        case UInt8(ascii: "["):
            guard let close = ByteSearch.firstIndex(of: UInt8(ascii: "]"), in: bytes, from: start + 1, to: end) else {
                return nil
            }
            let whole = start..<(close + 1)
            return (
                TemplateArgument(
                    key: key, valueRange: whole, quote: nil, value: String(decoding: bytes[whole], as: UTF8.self)),
                close + 1
            )
        default:
            var index = start
            while index < end, TemplateText.whitespaceLength(bytes, index, end) == 0 {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`")
                    || byte == UInt8(ascii: "[") || (commas && byte == UInt8(ascii: ","))
                {
                    break
                }
                index += 1
            }
            guard index > start else { return nil }
            let word = start..<index
            return (
                TemplateArgument(
                    key: key, valueRange: word, quote: nil, value: String(decoding: bytes[word], as: UTF8.self)),
                index
            )
        }
    }

    private static func unescaped(_ raw: ArraySlice<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            if raw[index] == UInt8(ascii: "\\"), index + 1 < raw.endIndex { index += 1 }
            output.append(raw[index])
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
