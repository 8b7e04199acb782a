/// The tag-level states of the WHATWG tokenizer over raw bytes: start tags (name, then one
/// attribute at a time), end tags, comments, CDATA, bogus comments and raw-text elements.
/// It allocates nothing and builds no text, so the scanner can walk every tag of a post and
/// pay for names and values only on the few tags it keeps. Valid only inside the
/// `withUnsafeBufferPointer` scope of the bytes it reads.
struct HTMLCursor {
    /// What a start tag's name makes of it, for the scanner.
    enum TagKind {
        case other
        case img
        case source
        /// `<a>`, whose `href` may link to an image.
        case anchor
        /// `<video>`, whose `poster` is an image.
        case video
        /// An element whose content is text up to its end tag: the name, lower-cased.
        case rawText(StaticString)
    }

    /// A start tag whose name has just been read; its attributes follow.
    struct StartTag {
        /// Where the `<` is.
        var open: Int
        var name: Range<Int>
        var kind: TagKind
    }

    /// One attribute as written: a repeated name is reported again (the caller keeps the first).
    struct Attribute {
        var name: Range<Int>
        /// nil for an attribute written without a value.
        var value: Range<Int>?
        /// `"` or `'`; nil when unquoted or absent.
        var quote: UInt8?
    }

    /// What reading on inside a start tag gives.
    enum TagBodyStep {
        case attribute(Attribute)
        /// The tag's `>`; the cursor is after it.
        case closed
        /// The input ended inside the tag, which the WHATWG tokenizer then drops.
        case endOfInput
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let end: Int
    var position: Int

    init(bytes: UnsafeBufferPointer<UInt8>, position: Int, end: Int) {
        self.bytes = bytes
        self.end = min(end, bytes.count)
        self.position = position
    }

    /// Moves past everything up to the next start tag and past its name; nil at the end.
    mutating func nextStartTag() -> StartTag? {
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
            } else if Self.isASCIIAlpha(next) {
                var nameEnd = position + 1
                while nameEnd < end, !Self.isTagNameTerminator(bytes[nameEnd]) { nameEnd += 1 }
                let name = position..<nameEnd
                position = nameEnd
                return StartTag(open: open, name: name, kind: kind(of: name))
            } else if next == UInt8(ascii: "?") {
                skipBogusComment()
            }
        }
        return nil
    }

    /// Reads on inside a start tag (or an end tag, which goes through the same states).
    mutating func nextTagBodyStep() -> TagBodyStep {
        while true {
            skipWhitespace()
            guard position < end else { return .endOfInput }
            let byte = bytes[position]
            if byte == UInt8(ascii: ">") {
                position += 1
                return .closed
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
            var value: Range<Int>?
            var quote: UInt8?
            if position < end, bytes[position] == UInt8(ascii: "=") {
                position += 1
                skipWhitespace()
                guard position < end else { return .endOfInput }
                let first = bytes[position]
                if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
                    let valueStart = position + 1
                    guard let close = firstIndex(of: first, from: valueStart) else {
                        position = end
                        return .endOfInput
                    }
                    value = valueStart..<close
                    quote = first
                    position = close + 1
                } else if first != UInt8(ascii: ">") {
                    let valueStart = position
                    while position < end, !Self.isWhitespace(bytes[position]), bytes[position] != UInt8(ascii: ">") {
                        position += 1
                    }
                    value = valueStart..<position
                }
            }
            return .attribute(Attribute(name: nameStart..<nameEnd, value: value, quote: quote))
        }
    }

    /// Skips the rest of a start tag; false when the input ends inside it.
    mutating func skipTagBody() -> Bool {
        while true {
            switch nextTagBodyStep() {
            case .attribute: continue
            case .closed: return true
            case .endOfInput: return false
            }
        }
    }

    /// After a raw-text element's start tag: moves to its end tag (or the end of input).
    mutating func skipRawText(of name: StaticString) {
        let length = name.utf8CodeUnitCount
        while let open = find("</", from: position) {
            let nameStart = open + 2
            let nameEnd = nameStart + length
            if matchesIgnoringCase(name, at: nameStart), nameEnd >= end || Self.endsRawTextName(bytes[nameEnd]) {
                position = open
                return
            }
            position = open + 2
        }
        position = end
    }

    /// True when the bytes in `range` spell `name` (lower-case ASCII), ignoring ASCII case.
    func spells(_ name: StaticString, _ range: Range<Int>) -> Bool {
        name.withUTF8Buffer { Self.spells($0, bytes, range) }
    }

    /// Whether `bytes[range]` is `name` (lower case) with ASCII case ignored, as tag and
    /// attribute names compare.
    @inline(__always)
    static func spells(
        _ name: some Collection<UInt8>, _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>
    ) -> Bool {
        guard name.count == range.count else { return false }
        var index = range.lowerBound
        for expected in name {
            if lowercase(bytes[index]) != expected { return false }
            index += 1
        }
        return true
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
        } else if matchesIgnoringCase("![cdata[", at: position) {
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
            _ = skipTagBody()
        } else {
            skipBogusComment()
        }
    }

    // MARK: - Names

    /// The scanner's interest in a tag, from its name: compared by length first, so most
    /// names are settled by one switch.
    private func kind(of name: Range<Int>) -> TagKind {
        switch name.count {
        case 1:
            if spells("a", name) { return .anchor }
        case 3:
            if spells("img", name) { return .img }
            if spells("xmp", name) { return .rawText("xmp") }
        case 5:
            if spells("style", name) { return .rawText("style") }
            if spells("title", name) { return .rawText("title") }
            if spells("video", name) { return .video }
        case 6:
            if spells("source", name) { return .source }
            if spells("script", name) { return .rawText("script") }
            if spells("iframe", name) { return .rawText("iframe") }
        case 7:
            if spells("noembed", name) { return .rawText("noembed") }
        case 8:
            if spells("textarea", name) { return .rawText("textarea") }
            if spells("noframes", name) { return .rawText("noframes") }
        default:
            break
        }
        return .other
    }

    // MARK: - Byte helpers

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < end, Self.isWhitespace(bytes[position]) { position += 1 }
    }

    @inline(__always)
    func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        ByteSearch.firstIndex(of: byte, in: bytes, from: start, to: end)
    }

    /// The first occurrence of `needle` that fits before the end.
    private func find(_ needle: StaticString, from start: Int) -> Int? {
        needle.withUTF8Buffer { pattern in
            pattern.isEmpty ? nil : ByteSearch.firstIndex(of: pattern, in: bytes, from: start, to: end)
        }
    }

    private func matches(_ text: StaticString, at start: Int) -> Bool {
        text.withUTF8Buffer { pattern in
            guard start + pattern.count <= end else { return false }
            for offset in 0..<pattern.count where bytes[start + offset] != pattern[offset] { return false }
            return true
        }
    }

    /// `text` is lower-case ASCII.
    private func matchesIgnoringCase(_ text: StaticString, at start: Int) -> Bool {
        text.withUTF8Buffer { pattern in
            guard start + pattern.count <= end else { return false }
            for offset in 0..<pattern.count where Self.lowercase(bytes[start + offset]) != pattern[offset] {
                return false
            }
            return true
        }
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    @inline(__always)
    static func isASCIIAlpha(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
    }

    @inline(__always)
    private static func isTagNameTerminator(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
    }

    /// What may follow a raw-text element's name in its end tag.
    private static func endsRawTextName(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
    }

    @inline(__always)
    static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }
}
