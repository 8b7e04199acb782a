/// The CSS `url()` values of a `style` attribute, each with the property it belongs to.
/// Declarations split at `;` outside quotes and parentheses, so a `data:` URL with `;` stays
/// whole. Works on the attribute's raw bytes; a quote written as `&quot;` or `&#39;` around a
/// URL counts as the quote it decodes to.
enum StyleURLs {
    struct Found {
        var property: String
        /// The URL's bytes without quotes or surrounding whitespace.
        var range: Range<Int>
        var quote: UInt8?
    }

    private static let entityQuotes: [[UInt8]] = ["&quot;", "&#34;", "&#x22;", "&#39;", "&apos;", "&#x27;"].map {
        Array($0.utf8)
    }

    static func find(in bytes: [UInt8], range: Range<Int>) -> [Found] {
        var found: [Found] = []
        for declaration in declarations(bytes, range) {
            guard
                let colon = ByteSearch.firstIndex(
                    of: UInt8(ascii: ":"), in: bytes, from: declaration.lowerBound, to: declaration.upperBound)
            else { continue }
            var position = colon + 1
            var property: String?
            while let url = nextURL(bytes, from: position, end: declaration.upperBound) {
                position = url.after
                // Spelled out only for a declaration that holds a URL.
                let name =
                    property
                    ?? String(decoding: bytes[trimmed(bytes, declaration.lowerBound..<colon)], as: UTF8.self)
                    .lowercased()
                property = name
                found.append(Found(property: name, range: url.range, quote: url.quote))
            }
        }
        return found
    }

    private static func declarations(_ bytes: [UInt8], _ range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        var depth = 0
        var quote: UInt8?
        for index in range {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "(") {
                depth += 1
            } else if byte == UInt8(ascii: ")") {
                depth = max(0, depth - 1)
            } else if byte == UInt8(ascii: ";"), depth == 0 {
                result.append(start..<index)
                start = index + 1
            }
        }
        result.append(start..<range.upperBound)
        return result
    }

    /// The next `url(…)` (any case) in `start..<end`.
    private static func nextURL(
        _ bytes: [UInt8], from start: Int, end: Int
    ) -> (range: Range<Int>, quote: UInt8?, after: Int)? {
        var position = start
        while position + 4 <= end {
            guard let open = ByteSearch.firstIndex(of: UInt8(ascii: "("), in: bytes, from: position + 3, to: end) else {
                return nil
            }
            position = open + 1
            let name = bytes[(open - 3)..<open].map { $0 | 0x20 }
            guard name == Array("url".utf8) else { continue }
            var index = open + 1
            TemplateText.skipWhitespace(bytes, &index, end)
            if index < end, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                let quote = bytes[index]
                guard let close = ByteSearch.firstIndex(of: quote, in: bytes, from: index + 1, to: end) else {
                    continue
                }
                var after = close + 1
                TemplateText.skipWhitespace(bytes, &after, end)
                guard after < end, bytes[after] == UInt8(ascii: ")") else { continue }
                return (trimmed(bytes, (index + 1)..<close), quote, after + 1)
            }
            guard let close = ByteSearch.firstIndex(of: UInt8(ascii: ")"), in: bytes, from: index, to: end) else {
                return nil
            }
            var inner = trimmed(bytes, index..<close)
            var quote: UInt8?
            for entity in entityQuotes where bytes[inner].starts(with: entity) && bytes[inner].count >= 2 * entity.count
            {
                let tail = (inner.upperBound - entity.count)..<inner.upperBound
                if bytes[tail].elementsEqual(entity) {
                    inner = (inner.lowerBound + entity.count)..<tail.lowerBound
                    // Which quote it was does not matter: a replacement never holds one.
                    quote = UInt8(ascii: "\"")
                    break
                }
            }
            return (inner, quote, close + 1)
        }
        return nil
    }

    private static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, HTMLCursor.isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, HTMLCursor.isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }
}
