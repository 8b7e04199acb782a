/// Markdown links `[text](destination "title")` whose destination is an image path: the
/// full-size image a thumbnail links to (`[![thumb](t.jpg)](full.jpg)`). Link text may hold one
/// level of brackets, as an image inside a link does.
enum MarkdownLinks {
    static func find(in bytes: [UInt8], range: Range<Int>, excluding quiet: SortedRanges) -> [MarkdownImages.Image] {
        var links: [MarkdownImages.Image] = []
        var position = range.lowerBound
        let end = range.upperBound
        while let open = ByteSearch.firstIndex(of: UInt8(ascii: "["), in: bytes, from: position, to: end) {
            position = open + 1
            guard open == 0 || bytes[open - 1] != UInt8(ascii: "!"), !quiet.contains(open),
                let textEnd = textEnd(bytes, from: open + 1, end: end),
                textEnd + 1 < end, bytes[textEnd + 1] == UInt8(ascii: "("),
                let (link, linkEnd) = destination(bytes, from: textEnd + 2, end: end)
            else { continue }
            position = linkEnd
            if ImagePath.isImage(bytes, link.destination), !quiet.contains(link.destination.lowerBound) {
                links.append(link)
            }
        }
        return links
    }

    /// The `]` ending link text that starts at `start`; nil when the text cannot be link text.
    private static func textEnd(_ bytes: [UInt8], from start: Int, end: Int) -> Int? {
        var index = start
        var nested = false
        while index < end {
            switch bytes[index] {
            case UInt8(ascii: "\\"):
                guard index + 1 < end, bytes[index + 1] != 0x0A else { return nil }
                index += 2
                continue
            case UInt8(ascii: "["):
                guard !nested else { return nil }
                nested = true
            case UInt8(ascii: "]"):
                if !nested { return index }
                nested = false
            default: break
            }
            index += 1
        }
        return nil
    }

    /// After `](`: whitespace, a destination (in `<>` or bare), an optional title, `)`.
    private static func destination(_ bytes: [UInt8], from start: Int, end: Int) -> (MarkdownImages.Image, Int)? {
        var index = start
        TemplateText.skipWhitespace(bytes, &index, end)
        var angle = false
        if index < end, bytes[index] == UInt8(ascii: "<") {
            angle = true
            index += 1
        }
        let destinationStart = index
        while index < end, bytes[index] != UInt8(ascii: ")"), bytes[index] != UInt8(ascii: ">"),
            TemplateText.whitespaceLength(bytes, index, end) == 0
        {
            index += 1
        }
        guard index > destinationStart else { return nil }
        let destination = destinationStart..<index
        if index < end, bytes[index] == UInt8(ascii: ">") { index += 1 } else { angle = false }
        var afterTitle = index
        TemplateText.skipWhitespace(bytes, &afterTitle, end)
        if afterTitle > index, afterTitle < end, let close = titleEnd(bytes, at: afterTitle, end: end) {
            index = close
        }
        TemplateText.skipWhitespace(bytes, &index, end)
        guard index < end, bytes[index] == UInt8(ascii: ")") else { return nil }
        return (MarkdownImages.Image(destination: destination, angleBrackets: angle), index + 1)
    }

    /// After a title in `"…"`, `'…'` or `(…)`; nil when there is none at `start`.
    private static func titleEnd(_ bytes: [UInt8], at start: Int, end: Int) -> Int? {
        let open = bytes[start]
        let close: UInt8
        switch open {
        case UInt8(ascii: "\""), UInt8(ascii: "'"): close = open
        case UInt8(ascii: "("): close = UInt8(ascii: ")")
        default: return nil
        }
        return ByteSearch.firstIndex(of: close, in: bytes, from: start + 1, to: end).map { $0 + 1 }
    }
}
