/// Liquid/Nunjucks blocks `{% name … %} … {% endname %}` (whitespace-control dashes allowed),
/// from the opening tag to the end of the closing one.
enum LiquidBlocks {
    static func ranges(
        in bytes: [UInt8], range: Range<Int>, named names: [[UInt8]], excluding: SortedRanges
    ) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var position = range.lowerBound
        let end = range.upperBound
        while let open = ByteSearch.firstIndex(
            of: UInt8(ascii: "{"), UInt8(ascii: "%"), in: bytes, range: position..<end)
        {
            position = open + 2
            guard !excluding.contains(open), let name = tagName(bytes, after: open, end: end),
                names.contains(where: { $0.elementsEqual(bytes[name]) }),
                let openClose = ByteSearch.firstIndex(
                    of: UInt8(ascii: "%"), UInt8(ascii: "}"), in: bytes, range: name.upperBound..<end),
                let closeEnd = endTag(Array(bytes[name]), in: bytes, from: openClose + 2, end: end)
            else { continue }
            result.append(open..<closeEnd)
            position = closeEnd
        }
        return result
    }

    /// The name of the tag opened at `open` (`{%`, a dash, whitespace, then a word).
    static func tagName(_ bytes: [UInt8], after open: Int, end: Int) -> Range<Int>? {
        var index = open + 2
        if index < end, bytes[index] == UInt8(ascii: "-") { index += 1 }
        TemplateText.skipWhitespace(bytes, &index, end)
        let start = index
        while index < end, TemplateText.isWordByte(bytes[index]) { index += 1 }
        return index > start ? start..<index : nil
    }

    /// The end of the first `{% endNAME %}` at or after `start`.
    private static func endTag(_ name: [UInt8], in bytes: [UInt8], from start: Int, end: Int) -> Int? {
        let wanted = Array("end".utf8) + name
        var position = start
        while let open = ByteSearch.firstIndex(
            of: UInt8(ascii: "{"), UInt8(ascii: "%"), in: bytes, range: position..<end)
        {
            position = open + 2
            guard let found = tagName(bytes, after: open, end: end), bytes[found].elementsEqual(wanted) else {
                continue
            }
            var index = found.upperBound
            TemplateText.skipWhitespace(bytes, &index, end)
            if index < end, bytes[index] == UInt8(ascii: "-") { index += 1 }
            if TemplateText.matches(bytes, index, end, Array("%}".utf8)) { return index + 2 }
        }
        return nil
    }
}
