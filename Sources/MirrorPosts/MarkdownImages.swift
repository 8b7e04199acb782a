/// Markdown inline images `![alt](destination "title")`, with the destination's byte range.
enum MarkdownImages {
    struct Image {
        var destination: Range<Int>
        var angleBrackets: Bool
    }

    static func find(in bytes: [UInt8], range: Range<Int>, excluding code: [Range<Int>]) -> [Image] {
        var images: [Image] = []
        var index = range.lowerBound
        let end = range.upperBound
        while index + 1 < end {
            guard bytes[index] == UInt8(ascii: "!"), bytes[index + 1] == UInt8(ascii: "[") else {
                index += 1
                continue
            }
            if code.contains(where: { $0.contains(index) }) {
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
