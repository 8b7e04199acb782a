/// CommonMark indented code blocks: lines indented four or more columns after a blank line (or
/// at the start), outside list items and outside `<pre>`/`<script>`/`<style>`/`<textarea>` and
/// `<!-- -->` blocks. A line whose text is all inside `excluding` (fenced code) counts as blank.
enum IndentedCode {
    static func ranges(in bytes: [UInt8], range: Range<Int>, excluding: SortedRanges) -> [Range<Int>] {
        guard mayHold(bytes, range) else { return [] }
        var result: [Range<Int>] = []
        var previousBlank = true
        var inList = false
        var inCode = false
        var inHTMLBlock = false
        var inComment = false
        var lineStart = range.lowerBound
        while lineStart < range.upperBound {
            let lineEnd =
                ByteSearch.firstIndex(of: UInt8(ascii: "\n"), in: bytes, from: lineStart, to: range.upperBound)
                ?? range.upperBound
            defer { lineStart = lineEnd + 1 }
            let line = lineStart..<lineEnd
            if inHTMLBlock || inComment {
                if inHTMLBlock, closesHTMLBlock(bytes, line) { inHTMLBlock = false }
                if inComment, ByteSearch.firstIndex(of: "-->", in: bytes, range: line) != nil { inComment = false }
                previousBlank = false
                continue
            }
            guard let first = firstText(bytes, line, excluding: excluding) else {
                previousBlank = true
                continue
            }
            let indent = columns(bytes, from: lineStart, to: first)
            if inCode, indent >= 4 {
                result.append(line)
                continue
            }
            inCode = false
            if indent >= 4, previousBlank, !inList {
                inCode = true
                result.append(line)
                continue
            }
            if indent <= 3, startsListItem(bytes, first, lineEnd) {
                inList = true
            } else if indent == 0, previousBlank {
                inList = false
            }
            if indent <= 3, opensHTMLBlock(bytes, first, lineEnd), !closesHTMLBlock(bytes, line) {
                inHTMLBlock = true
            } else if TemplateText.matches(bytes, first, lineEnd, Array("<!--".utf8)),
                ByteSearch.firstIndex(of: "-->", in: bytes, range: line) == nil
            {
                inComment = true
            }
            previousBlank = false
        }
        return result
    }

    /// Whether any line starts with four columns of indentation (most posts have none).
    private static func mayHold(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let indents = ["    ", "\t", " \t", "  \t", "   \t"]
        for indent in indents {
            let pattern = Array(indent.utf8)
            if TemplateText.matches(bytes, range.lowerBound, range.upperBound, pattern)
                || ByteSearch.firstIndex(of: "\n" + indent, in: bytes, range: range) != nil
            {
                return true
            }
        }
        return false
    }

    /// The first byte of the line that is neither whitespace nor excluded; nil for a blank line.
    private static func firstText(_ bytes: [UInt8], _ line: Range<Int>, excluding: SortedRanges) -> Int? {
        var index = line.lowerBound
        while index < line.upperBound {
            let length = TemplateText.whitespaceLength(bytes, index, line.upperBound)
            if length > 0 {
                index += length
            } else if let end = excluding.end(ofRangeContaining: index) {
                index = end
            } else {
                return index
            }
        }
        return nil
    }

    /// Columns up to `end`, tabs to the next multiple of four.
    private static func columns(_ bytes: [UInt8], from start: Int, to end: Int) -> Int {
        var column = 0
        for index in start..<end {
            column = bytes[index] == 0x09 ? (column / 4 + 1) * 4 : column + 1
        }
        return column
    }

    /// `-`, `+`, `*` or 1–9 digits and `.`/`)`, then whitespace or the line's end.
    private static func startsListItem(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        var index = start
        let byte = bytes[index]
        if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "*") {
            index += 1
        } else {
            while index < end, index - start < 9, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            guard index > start, index < end, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ")")
            else { return false }
            index += 1
        }
        return index == end || bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D
    }

    private static let blockNames: [[UInt8]] = ["pre", "script", "style", "textarea"].map { Array($0.utf8) }

    private static func opensHTMLBlock(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        guard start < end, bytes[start] == UInt8(ascii: "<") else { return false }
        for name in blockNames {
            let after = start + 1 + name.count
            guard after <= end, zip(name, bytes[(start + 1)..<after]).allSatisfy({ $0 == $1 | 0x20 }) else { continue }
            if after == end || bytes[after] == UInt8(ascii: ">") || TemplateText.whitespaceLength(bytes, after, end) > 0
            {
                return true
            }
        }
        return false
    }

    private static func closesHTMLBlock(_ bytes: [UInt8], _ line: Range<Int>) -> Bool {
        var position = line.lowerBound
        while let open = ByteSearch.firstIndex(
            of: UInt8(ascii: "<"), UInt8(ascii: "/"), in: bytes, range: position..<line.upperBound)
        {
            position = open + 2
            for name in blockNames {
                let after = open + 2 + name.count
                if after < line.upperBound, bytes[after] == UInt8(ascii: ">"),
                    zip(name, bytes[(open + 2)..<after]).allSatisfy({ $0 == $1 | 0x20 })
                {
                    return true
                }
            }
        }
        return false
    }
}
