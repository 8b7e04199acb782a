/// Finds the start tags of an HTML (or Markdown-with-HTML) byte range, following the WHATWG
/// tokenizer for tags, attributes, comments, CDATA, bogus comments and raw-text elements.
/// Text is skipped; only start tags matter for image references.
public struct HTMLTokenizer {
    /// Elements whose content is text, not markup, up to the matching end tag.
    static let rawTextElementNames = ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"]

    private let bytes: [UInt8]
    private let end: Int

    public init(bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        self.end = range?.upperBound ?? bytes.count
        self.position = range?.lowerBound ?? 0
    }

    private var position: Int

    /// All start tags, in order.
    public static func startTags(in bytes: [UInt8], range: Range<Int>? = nil) -> [HTMLStartTag] {
        var tokenizer = HTMLTokenizer(bytes: bytes, range: range)
        var tags: [HTMLStartTag] = []
        while let tag = tokenizer.nextStartTag() { tags.append(tag) }
        return tags
    }

    public mutating func nextStartTag() -> HTMLStartTag? {
        nextStartTag(named: nil)
    }

    /// The next start tag whose name is in `names` (lower case); other tags are tokenized just
    /// enough to find where they end, without building their attributes.
    public mutating func nextStartTag(named names: [String]?) -> HTMLStartTag? {
        while position < end {
            guard let open = firstIndex(of: UInt8(ascii: "<"), from: position) else {
                position = end
                return nil
            }
            position = open + 1
            guard position < end else { return nil }
            let next = bytes[position]
            if next == UInt8(ascii: "!") {
                skipMarkupDeclaration()
            } else if next == UInt8(ascii: "/") {
                skipEndTag()
            } else if next == UInt8(ascii: "?") {
                skipBogusComment()
            } else if Self.isASCIIAlpha(next) {
                var nameEnd = position
                while nameEnd < end, !Self.isTagNameTerminator(bytes[nameEnd]) { nameEnd += 1 }
                let nameRange = position..<nameEnd
                let rawText = Self.rawTextElementNames.first { matchesName($0, nameRange) }
                if let names, !names.contains(where: { matchesName($0, nameRange) }) {
                    position = nameEnd
                    guard readTagBody(build: false) != nil else { return nil }
                    if let rawText { skipRawText(of: rawText) }
                    continue
                }
                if let tag = readStartTag(openedAt: open) {
                    if let rawText { skipRawText(of: rawText) }
                    return tag
                }
            }
        }
        return nil
    }

    // MARK: - Markup that is not a start tag

    private mutating func skipMarkupDeclaration() {
        // position is at "!"
        if matches("!--", at: position) {
            let contentStart = position + 3
            // "<!-->" and "<!--->" close at once.
            if matches(">", at: contentStart) {
                position = contentStart + 1
            } else if matches("->", at: contentStart) {
                position = contentStart + 2
            } else if let close = find("-->", from: contentStart) {
                position = close + 3
            } else if let close = find("--!>", from: contentStart) {
                position = close + 4
            } else {
                position = end
            }
        } else if matchesCaseInsensitive("![cdata[", at: position) {
            position = find("]]>", from: position).map { $0 + 3 } ?? end
        } else {
            skipBogusComment()
        }
    }

    private mutating func skipBogusComment() {
        position = firstIndex(of: UInt8(ascii: ">"), from: position).map { $0 + 1 } ?? end
    }

    private mutating func skipEndTag() {
        // position is at "/"
        let nameStart = position + 1
        guard nameStart < end else {
            position = end
            return
        }
        if bytes[nameStart] == UInt8(ascii: ">") {
            position = nameStart + 1
        } else if Self.isASCIIAlpha(bytes[nameStart]) {
            // End tags go through the attribute states too, so a quoted ">" does not end them.
            position = nameStart
            _ = readTagBody(build: false)
        } else {
            skipBogusComment()
        }
    }

    private mutating func skipRawText(of name: String) {
        while let open = find("</", from: position) {
            let nameStart = open + 2
            let nameEnd = nameStart + name.utf8.count
            if matchesCaseInsensitive(name, at: nameStart),
                nameEnd >= end || [0x09, 0x0A, 0x0C, 0x0D, 0x20, 0x2F, 0x3E].contains(bytes[nameEnd])
            {
                position = open
                return
            }
            position = open + 2
        }
        position = end
    }

    // MARK: - Start tags

    private mutating func readStartTag(openedAt open: Int) -> HTMLStartTag? {
        var nameEnd = position
        while nameEnd < end, !Self.isTagNameTerminator(bytes[nameEnd]) { nameEnd += 1 }
        let name = Self.lowercasedASCII(bytes[position..<nameEnd])
        position = nameEnd
        guard let attributes = readTagBody(build: true) else { return nil }
        return HTMLStartTag(name: name, range: open..<position, attributes: attributes)
    }

    /// Reads attributes up to and including the closing `>`. Returns nil at end of input, where
    /// the WHATWG tokenizer drops the unfinished tag. Without `build` it only finds the end.
    private mutating func readTagBody(build: Bool) -> [HTMLAttribute]? {
        var attributes: [HTMLAttribute] = []
        while true {
            skipWhitespace()
            guard position < end else { return nil }
            let byte = bytes[position]
            if byte == UInt8(ascii: ">") {
                position += 1
                return attributes
            }
            if byte == UInt8(ascii: "/") {
                position += 1
                continue
            }
            // Attribute name; a leading "=" belongs to the name.
            let nameStart = position
            position += 1
            while position < end {
                let current = bytes[position]
                if Self.isWhitespace(current) || current == UInt8(ascii: "/") || current == UInt8(ascii: ">")
                    || current == UInt8(ascii: "=")
                {
                    break
                }
                position += 1
            }
            let nameEnd = position
            skipWhitespace()
            var valueRange: Range<Int>?
            var quote: UInt8?
            if position < end, bytes[position] == UInt8(ascii: "=") {
                position += 1
                skipWhitespace()
                guard position < end else { return nil }
                let first = bytes[position]
                if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
                    let valueStart = position + 1
                    guard let close = firstIndex(of: first, from: valueStart) else {
                        position = end
                        return nil
                    }
                    valueRange = valueStart..<close
                    quote = first
                    position = close + 1
                } else if first != UInt8(ascii: ">") {
                    let valueStart = position
                    while position < end, !Self.isWhitespace(bytes[position]), bytes[position] != UInt8(ascii: ">") {
                        position += 1
                    }
                    valueRange = valueStart..<position
                }
            }
            guard build else { continue }
            let attributeName = Self.lowercasedASCII(bytes[nameStart..<nameEnd])
            if !attributes.contains(where: { $0.name == attributeName }) {
                let value = valueRange.map { CharacterReferences.decode(bytes[$0], inAttribute: true) } ?? ""
                attributes.append(
                    HTMLAttribute(
                        name: attributeName, nameRange: nameStart..<nameEnd, valueRange: valueRange, quote: quote,
                        value: value))
            }
        }
    }

    /// True when the bytes in `range` spell `name` (lower-case ASCII), ignoring ASCII case.
    private func matchesName(_ name: String, _ range: Range<Int>) -> Bool {
        guard name.utf8.count == range.count else { return false }
        var index = range.lowerBound
        for expected in name.utf8 {
            if Self.lowercase(bytes[index]) != expected { return false }
            index += 1
        }
        return true
    }

    // MARK: - Byte helpers

    private mutating func skipWhitespace() {
        while position < end, Self.isWhitespace(bytes[position]) { position += 1 }
    }

    private func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        ByteSearch.firstIndex(of: byte, in: bytes, from: start, to: end)
    }

    private func find(_ needle: StaticString, from start: Int) -> Int? {
        let pattern = needle.withUTF8Buffer { Array($0) }
        guard let first = pattern.first else { return nil }
        var index = start
        while let candidate = firstIndex(of: first, from: index) {
            if candidate + pattern.count > end { return nil }
            if bytes[candidate..<(candidate + pattern.count)].elementsEqual(pattern) { return candidate }
            index = candidate + 1
        }
        return nil
    }

    private func matches(_ text: StaticString, at start: Int) -> Bool {
        text.withUTF8Buffer { pattern in
            start + pattern.count <= end && bytes[start..<(start + pattern.count)].elementsEqual(pattern)
        }
    }

    private func matchesCaseInsensitive(_ text: String, at start: Int) -> Bool {
        let pattern = Array(text.utf8)
        guard start + pattern.count <= end else { return false }
        for (offset, expected) in pattern.enumerated() where Self.lowercase(bytes[start + offset]) != expected {
            return false
        }
        return true
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    static func isASCIIAlpha(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func isTagNameTerminator(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
    }

    static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    static func lowercasedASCII(_ slice: ArraySlice<UInt8>) -> String {
        String(decoding: slice.map(lowercase), as: UTF8.self)
    }
}
