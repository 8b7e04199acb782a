/// A unified diff (no context lines) of a post before and after a rewrite. Rewrites change
/// values within lines, so each changed run of lines becomes one hunk.
enum UnifiedDiff {
    static func make(path: String, old: [UInt8], new: [UInt8]) -> String {
        let oldLines = split(old)
        let newLines = split(new)
        var output = "--- a/\(path)\n+++ b/\(path)\n"
        // Common prefix and suffix of lines, then hunks of differing lines between them.
        var start = 0
        while start < oldLines.count, start < newLines.count, oldLines[start] == newLines[start] { start += 1 }
        var oldEnd = oldLines.count
        var newEnd = newLines.count
        while oldEnd > start, newEnd > start, oldLines[oldEnd - 1] == newLines[newEnd - 1] {
            oldEnd -= 1
            newEnd -= 1
        }
        // Within the differing block, pair lines one to one and emit a hunk per run of changes.
        var index = 0
        let paired = min(oldEnd - start, newEnd - start)
        while index < paired {
            guard oldLines[start + index] != newLines[start + index] else {
                index += 1
                continue
            }
            let runStart = index
            while index < paired, oldLines[start + index] != newLines[start + index] { index += 1 }
            let count = index - runStart
            let tail = index == paired ? (oldEnd - start - paired, newEnd - start - paired) : (0, 0)
            output += "@@ -\(start + runStart + 1),\(count + tail.0) +\(start + runStart + 1),\(count + tail.1) @@\n"
            for line in oldLines[(start + runStart)..<(start + index + tail.0)] { output += "-" + text(line) }
            for line in newLines[(start + runStart)..<(start + index + tail.1)] { output += "+" + text(line) }
        }
        if paired == 0, oldEnd > start || newEnd > start {
            output += "@@ -\(start + 1),\(oldEnd - start) +\(start + 1),\(newEnd - start) @@\n"
            for line in oldLines[start..<oldEnd] { output += "-" + text(line) }
            for line in newLines[start..<newEnd] { output += "+" + text(line) }
        }
        return output
    }

    private static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lines.append(bytes[start...index])
            start = index + 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return lines
    }

    private static func text(_ line: ArraySlice<UInt8>) -> String {
        let string = String(decoding: line, as: UTF8.self)
        return string.hasSuffix("\n") ? string : string + "\n\\ No newline at end of file\n"
    }
}
