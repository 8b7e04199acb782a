/// Where the further places (image links, template calls, style URLs…) are not read: code and
/// comments as a generator sees them. Fenced and inline code (in every post, as HTML posts
/// also carry Markdown-rendered code), Liquid `{% comment %}`, `{% highlight %}`,
/// `{% codeblock %}` and `{% code %}` blocks, Nunjucks `{# #}` comments and, in Markdown posts,
/// indented code blocks. Template calls also skip `{% raw %}` blocks and Hugo's escaped
/// `{{</* … */>}}` calls, which print a call rather than make one.
struct QuietRanges {
    /// Where HTML attributes and Markdown links are not read.
    let text: SortedRanges
    /// Where template calls are not read (``text`` and more).
    let templates: SortedRanges

    static let quietBlocks: [[UInt8]] = ["comment", "highlight", "codeblock", "code"].map { Array($0.utf8) }

    /// `code`: the body's fenced and inline code.
    init(_ bytes: [UInt8], body: Range<Int>, isMarkdown: Bool, code: [Range<Int>]) {
        var quiet = code
        let codeZones = SortedRanges(merging: code)
        if ByteSearch.contains(UInt8(ascii: "{"), in: bytes, range: body) {
            quiet += LiquidBlocks.ranges(in: bytes, range: body, named: Self.quietBlocks, excluding: codeZones)
            quiet += Self.delimited(bytes, body, open: "{#", close: "#}", excluding: codeZones)
        }
        if isMarkdown {
            quiet += IndentedCode.ranges(in: bytes, range: body, excluding: SortedRanges(merging: quiet))
        }
        text = SortedRanges(merging: quiet)
        var templateQuiet = quiet
        if ByteSearch.contains("{%", in: bytes, range: body) {
            templateQuiet += LiquidBlocks.ranges(in: bytes, range: body, named: [Array("raw".utf8)], excluding: text)
        }
        if ByteSearch.firstIndex(of: "/*", in: bytes, range: body, anchor: 1) != nil {
            templateQuiet += Self.delimited(bytes, body, open: "{{</*", close: "*/>}}", excluding: text)
            templateQuiet += Self.delimited(bytes, body, open: "{{%/*", close: "*/%}}", excluding: text)
        }
        templates = SortedRanges(merging: templateQuiet)
    }

    /// `open … close` spans (the first close after each open), outside `excluding`.
    private static func delimited(
        _ bytes: [UInt8], _ body: Range<Int>, open: String, close: String, excluding: SortedRanges
    ) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var position = body.lowerBound
        while let start = ByteSearch.firstIndex(of: open, in: bytes, range: position..<body.upperBound) {
            if excluding.contains(start) {
                position = start + 1
                continue
            }
            guard
                let end = ByteSearch.firstIndex(
                    of: close, in: bytes, range: (start + open.utf8.count)..<body.upperBound)
            else { break }
            result.append(start..<(end + close.utf8.count))
            position = end + close.utf8.count
        }
        return result
    }
}
