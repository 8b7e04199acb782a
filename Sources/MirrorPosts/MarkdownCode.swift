/// Byte ranges of Markdown code (fenced blocks and inline code spans), where nothing is an
/// image reference.
enum MarkdownCode {
    static func ranges(in bytes: [UInt8], range: Range<Int>) -> [Range<Int>] {
        bytes.withUnsafeBufferPointer { buffer in
            let upper = min(range.upperBound, buffer.count)
            return ranges(in: buffer, range: min(range.lowerBound, upper)..<upper)
        }
    }

    /// Line by line: a line is looked at byte by byte only where it may open or close a fence
    /// (its first four bytes) or holds a backtick (found with memchr); the rest is skipped.
    private static func ranges(in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var lineStart = range.lowerBound
        var fence: (byte: UInt8, length: Int, start: Int)?
        while lineStart < range.upperBound {
            let lineEnd =
                ByteSearch.firstIndex(of: UInt8(ascii: "\n"), in: bytes, from: lineStart, to: range.upperBound)
                ?? range.upperBound
            let next = min(lineEnd + 1, range.upperBound)
            if let open = fence {
                if let close = fenceRun(bytes, lineStart..<lineEnd), close.byte == open.byte,
                    close.length >= open.length,
                    close.infoIsEmpty
                {
                    result.append(open.start..<next)
                    fence = nil
                }
            } else if let run = fenceRun(bytes, lineStart..<lineEnd) {
                fence = (run.byte, run.length, lineStart)
            } else if let backtick = ByteSearch.firstIndex(
                of: UInt8(ascii: "`"), in: bytes, from: lineStart, to: lineEnd)
            {
                inlineCode(bytes, backtick..<lineEnd, into: &result)
            }
            lineStart = next
        }
        if let open = fence { result.append(open.start..<range.upperBound) }
        return result
    }

    /// A fence line: up to 3 spaces, then 3 or more backticks or tildes.
    private static func fenceRun(
        _ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>
    ) -> (
        byte: UInt8, length: Int, infoIsEmpty: Bool
    )? {
        var index = line.lowerBound
        var indent = 0
        while index < line.upperBound, bytes[index] == UInt8(ascii: " "), indent < 4 {
            index += 1
            indent += 1
        }
        guard indent < 4, index < line.upperBound else { return nil }
        let byte = bytes[index]
        guard byte == UInt8(ascii: "`") || byte == UInt8(ascii: "~") else { return nil }
        var length = 0
        while index < line.upperBound, bytes[index] == byte {
            index += 1
            length += 1
        }
        guard length >= 3 else { return nil }
        let info = bytes[index..<line.upperBound]
        if byte == UInt8(ascii: "`"), info.contains(UInt8(ascii: "`")) { return nil }
        let infoIsEmpty = info.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        return (byte, length, infoIsEmpty)
    }

    /// Inline code spans on one line (from its first backtick): a run of N backticks up to the
    /// next run of exactly N.
    private static func inlineCode(
        _ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, into result: inout [Range<Int>]
    ) {
        var index = line.lowerBound
        while let open = ByteSearch.firstIndex(of: UInt8(ascii: "`"), in: bytes, from: index, to: line.upperBound) {
            index = open
            while index < line.upperBound, bytes[index] == UInt8(ascii: "`") { index += 1 }
            let length = index - open
            var search = index
            var closed = false
            while let runStart = ByteSearch.firstIndex(
                of: UInt8(ascii: "`"), in: bytes, from: search, to: line.upperBound)
            {
                search = runStart
                while search < line.upperBound, bytes[search] == UInt8(ascii: "`") { search += 1 }
                if search - runStart == length {
                    result.append(open..<search)
                    index = search
                    closed = true
                    break
                }
            }
            if !closed { index = open + length }
        }
    }
}
