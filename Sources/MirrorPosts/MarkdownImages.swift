/// Markdown inline images `![alt](destination "title")`, with the destination's byte range.
enum MarkdownImages {
    struct Image {
        var destination: Range<Int>
        var angleBrackets: Bool
    }

    static func find(in bytes: [UInt8], range: Range<Int>, excluding code: SortedRanges) -> [Image] {
        var images: [Image] = []
        var index = range.lowerBound
        let end = range.upperBound
        // memchr finds each "![" candidate; the bytes between cannot start an image.
        while let candidate = ByteSearch.firstIndex(
            of: UInt8(ascii: "!"), UInt8(ascii: "["), in: bytes, range: index..<end)
        {
            index = candidate
            if code.contains(index) {
                index += 1
                continue
            }
            // The alt text: brackets balance, backslash escapes.
            var cursor = index + 2
            var depth = 1
            while cursor < end, depth > 0 {
                switch bytes[cursor] {
                case UInt8(ascii: "\\"): cursor += 1
                case UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "]"): depth -= 1
                case UInt8(ascii: "\n") where cursor + 1 < end && bytes[cursor + 1] == UInt8(ascii: "\n"): depth = -1
                default: break
                }
                cursor += 1
            }
            guard depth == 0, cursor < end, bytes[cursor] == UInt8(ascii: "(") else {
                index += 2
                continue
            }
            cursor += 1
            while cursor < end, bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "\t") {
                cursor += 1
            }
            if let image = destination(in: bytes, from: cursor, end: end) {
                images.append(image)
                index = image.destination.upperBound
            } else {
                index = cursor
            }
        }
        return images
    }

    /// A reference-style image use: `![alt][label]`, or `![label][]`.
    struct ReferenceUse {
        var label: String
        var position: Int
    }

    static func referenceUses(in bytes: [UInt8], range: Range<Int>, excluding code: SortedRanges) -> [ReferenceUse] {
        var uses: [ReferenceUse] = []
        var index = range.lowerBound
        let end = range.upperBound
        while let candidate = ByteSearch.firstIndex(
            of: UInt8(ascii: "!"), UInt8(ascii: "["), in: bytes, range: index..<end)
        {
            index = candidate
            guard !code.contains(index) else {
                index += 1
                continue
            }
            guard let altEnd = closingBracket(in: bytes, from: index + 2, end: end), altEnd + 1 < end,
                bytes[altEnd + 1] == UInt8(ascii: "["),
                let labelEnd = closingBracket(in: bytes, from: altEnd + 2, end: end)
            else {
                index += 2
                continue
            }
            let label = labelEnd == altEnd + 2 ? bytes[(index + 2)..<altEnd] : bytes[(altEnd + 2)..<labelEnd]
            uses.append(ReferenceUse(label: normalizedLabel(label), position: index))
            index = labelEnd + 1
        }
        return uses
    }

    /// Link reference definitions `[label]: destination "title"` (up to three spaces of indent),
    /// outside code; the first definition of a label wins.
    static func definitions(in bytes: [UInt8], range: Range<Int>, excluding code: SortedRanges) -> [String: Image] {
        var result: [String: Image] = [:]
        var lineStart = range.lowerBound
        while lineStart < range.upperBound {
            var lineEnd = lineStart
            while lineEnd < range.upperBound, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            var cursor = lineStart
            while cursor < lineEnd, cursor - lineStart < 3, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
            guard cursor < lineEnd, bytes[cursor] == UInt8(ascii: "["), !code.contains(cursor),
                let close = closingBracket(in: bytes, from: cursor + 1, end: lineEnd), close > cursor + 1,
                close + 1 < lineEnd, bytes[close + 1] == UInt8(ascii: ":")
            else { continue }
            var destinationStart = close + 2
            while destinationStart < lineEnd, bytes[destinationStart] == 0x20 || bytes[destinationStart] == 0x09 {
                destinationStart += 1
            }
            guard destinationStart < lineEnd else { continue }
            let label = normalizedLabel(bytes[(cursor + 1)..<close])
            if result[label] != nil { continue }
            if bytes[destinationStart] == UInt8(ascii: "<") {
                var destinationEnd = destinationStart + 1
                while destinationEnd < lineEnd, bytes[destinationEnd] != UInt8(ascii: ">") { destinationEnd += 1 }
                guard destinationEnd < lineEnd, destinationEnd > destinationStart + 1 else { continue }
                result[label] = Image(destination: (destinationStart + 1)..<destinationEnd, angleBrackets: true)
            } else {
                var destinationEnd = destinationStart
                while destinationEnd < lineEnd, bytes[destinationEnd] > 0x20 { destinationEnd += 1 }
                result[label] = Image(destination: destinationStart..<destinationEnd, angleBrackets: false)
            }
        }
        return result
    }

    /// Labels match case-insensitively with inner whitespace collapsed.
    static func normalizedLabel(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self).lowercased().split(whereSeparator: { $0.isWhitespace }).joined(
            separator: " ")
    }

    /// The index of the `]` closing a bracket opened just before `start`, on the same paragraph.
    private static func closingBracket(in bytes: [UInt8], from start: Int, end: Int) -> Int? {
        var cursor = start
        var depth = 1
        while cursor < end {
            switch bytes[cursor] {
            case UInt8(ascii: "\\"): cursor += 1
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return cursor }
            case UInt8(ascii: "\n") where cursor + 1 < end && bytes[cursor + 1] == UInt8(ascii: "\n"): return nil
            default: break
            }
            cursor += 1
        }
        return nil
    }

    private static func destination(in bytes: [UInt8], from start: Int, end: Int) -> Image? {
        guard start < end else { return nil }
        if bytes[start] == UInt8(ascii: "<") {
            var cursor = start + 1
            while cursor < end, bytes[cursor] != UInt8(ascii: ">"), bytes[cursor] != UInt8(ascii: "\n") { cursor += 1 }
            guard cursor < end, bytes[cursor] == UInt8(ascii: ">"), cursor > start + 1 else { return nil }
            return Image(destination: (start + 1)..<cursor, angleBrackets: true)
        }
        var cursor = start
        var depth = 0
        while cursor < end {
            let byte = bytes[cursor]
            if byte <= 0x20 { break }
            if byte == UInt8(ascii: "(") { depth += 1 }
            if byte == UInt8(ascii: ")") {
                if depth == 0 { break }
                depth -= 1
            }
            cursor += 1
        }
        guard cursor > start, cursor < end else { return nil }
        return Image(destination: start..<cursor, angleBrackets: false)
    }
}
