/// Finds the start tags of an HTML (or Markdown-with-HTML) byte range, following the WHATWG
/// tokenizer for tags, attributes, comments, CDATA, bogus comments and raw-text elements.
/// Text is skipped; only start tags matter for image references. The states themselves are
/// ``HTMLCursor``'s; this type builds the tags it is asked for.
public struct HTMLTokenizer {
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
        let bytes = self.bytes
        var position = self.position
        defer { self.position = position }
        return bytes.withUnsafeBufferPointer { buffer -> HTMLStartTag? in
            var cursor = HTMLCursor(bytes: buffer, position: position, end: end)
            defer { position = cursor.position }
            while let start = cursor.nextStartTag() {
                if let names, !names.contains(where: { HTMLCursor.spells($0.utf8, buffer, start.name) }) {
                    guard cursor.skipTagBody() else { return nil }
                    if case .rawText(let name) = start.kind { cursor.skipRawText(of: name) }
                    continue
                }
                var attributes: [HTMLAttribute] = []
                readingAttributes: while true {
                    switch cursor.nextTagBodyStep() {
                    case .attribute(let attribute):
                        let name = Self.lowercasedASCII(bytes[attribute.name])
                        // A repeated name is kept only the first time, as browsers do.
                        guard !attributes.contains(where: { $0.name == name }) else { continue }
                        let value = attribute.value.map { CharacterReferences.decode(bytes[$0], inAttribute: true) }
                        attributes.append(
                            HTMLAttribute(
                                name: name, nameRange: attribute.name, valueRange: attribute.value,
                                quote: attribute.quote, value: value ?? ""))
                    case .closed:
                        break readingAttributes
                    case .endOfInput:
                        return nil
                    }
                }
                let tag = HTMLStartTag(
                    name: Self.lowercasedASCII(bytes[start.name]), range: start.open..<cursor.position,
                    attributes: attributes)
                if case .rawText(let name) = start.kind { cursor.skipRawText(of: name) }
                return tag
            }
            return nil
        }
    }

    // MARK: - Byte helpers

    static func isWhitespace(_ byte: UInt8) -> Bool {
        HTMLCursor.isWhitespace(byte)
    }

    static func isASCIIAlpha(_ byte: UInt8) -> Bool {
        HTMLCursor.isASCIIAlpha(byte)
    }

    static func lowercase(_ byte: UInt8) -> UInt8 {
        HTMLCursor.lowercase(byte)
    }

    static func lowercasedASCII(_ slice: ArraySlice<UInt8>) -> String {
        String(decoding: slice.map(lowercase), as: UTF8.self)
    }
}
