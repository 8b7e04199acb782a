/// Where the YAML front matter of a post sits, as byte ranges into the post.
public struct FrontMatter: Sendable, Equatable {
    /// The YAML text between the fences, without the fence lines.
    public var yamlRange: Range<Int>
    /// From the opening `---` to the end of the closing fence line.
    public var blockRange: Range<Int>

    public init(yamlRange: Range<Int>, blockRange: Range<Int>) {
        self.yamlRange = yamlRange
        self.blockRange = blockRange
    }

    /// Finds front matter at the start of a post. Real posts may start with a UTF-8 BOM and blank
    /// lines before the first `---`; the closing fence is `---` or `...` on a line of its own.
    public static func locate(in bytes: [UInt8]) -> FrontMatter? {
        locate(in: bytes, fence: Array("---".utf8))
    }

    /// Finds TOML front matter (Hugo's `+++` fences) at the start of a post; `yamlRange` is then
    /// the TOML text.
    public static func locateTOML(in bytes: [UInt8]) -> FrontMatter? {
        locate(in: bytes, fence: Array("+++".utf8))
    }

    private static func locate(in bytes: [UInt8], fence: [UInt8]) -> FrontMatter? {
        var position = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        // Skip blank lines (spaces, tabs, CR) before the opening fence.
        while position < bytes.count {
            let lineEnd = Self.lineEnd(in: bytes, from: position)
            if Self.isBlank(bytes[position..<lineEnd]) {
                position = Self.nextLine(in: bytes, after: lineEnd)
                if lineEnd == bytes.count { return nil }
            } else {
                break
            }
        }
        let openStart = position
        let openEnd = Self.lineEnd(in: bytes, from: openStart)
        guard Self.isFence(bytes[openStart..<openEnd], fence, allowDots: false) else { return nil }
        let yamlStart = Self.nextLine(in: bytes, after: openEnd)
        var lineStart = yamlStart
        while lineStart < bytes.count {
            let end = Self.lineEnd(in: bytes, from: lineStart)
            if Self.isFence(bytes[lineStart..<end], fence, allowDots: fence == Array("---".utf8)) {
                return FrontMatter(
                    yamlRange: yamlStart..<lineStart,
                    blockRange: openStart..<Self.nextLine(in: bytes, after: end)
                )
            }
            lineStart = Self.nextLine(in: bytes, after: end)
        }
        return nil
    }

    private static func lineEnd(in bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        return index
    }

    private static func nextLine(in bytes: [UInt8], after lineEnd: Int) -> Int {
        lineEnd < bytes.count ? lineEnd + 1 : lineEnd
    }

    private static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    private static func isFence(_ line: ArraySlice<UInt8>, _ fence: [UInt8], allowDots: Bool) -> Bool {
        var trimmed = line
        while let last = trimmed.last, last == 0x20 || last == 0x09 || last == 0x0D { trimmed = trimmed.dropLast() }
        if trimmed.elementsEqual(fence) { return true }
        return allowDots && trimmed.elementsEqual("...".utf8)
    }
}
