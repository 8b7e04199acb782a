/// One Hugo shortcode or Liquid/Nunjucks tag of a post, with its arguments.
struct TemplateCall {
    var syntax: TemplateSyntax
    /// The shortcode or tag name; for a Jekyll `{% include file … %}`, `include:file`.
    var name: String
    /// The name that says whether the call is about an image: the included file for an include.
    var callee: String
    var arguments: [TemplateArgument]
    /// Counts the post's calls of this syntax (tags: those that are not Liquid language).
    var index: Int

    /// Liquid and Nunjucks tags that are language, not content.
    static let builtins: Set<String> = [
        "if", "elsif", "else", "endif", "unless", "endunless", "for", "endfor", "assign", "capture",
        "endcapture", "set", "endset", "case", "when", "endcase", "comment", "endcomment", "raw",
        "endraw", "highlight", "endhighlight", "codeblock", "endcodeblock", "code", "endcode",
        "macro", "endmacro", "block", "endblock", "extends", "import", "from", "filter", "endfilter",
        "cycle", "increment", "decrement", "break", "continue", "render", "layout", "liquid", "echo",
    ]

    /// Every call in `range` that starts outside `quiet`.
    static func find(in bytes: [UInt8], range: Range<Int>, quiet: SortedRanges) -> [TemplateCall] {
        var calls: [TemplateCall] = []
        guard
            ByteSearch.firstIndex(of: UInt8(ascii: "{"), in: bytes, from: range.lowerBound, to: range.upperBound) != nil
        else { return calls }
        calls += shortcodes(bytes, range, quiet)
        calls += tags(bytes, range, quiet)
        return calls
    }

    /// `{{< name … >}}` and `{{% name … %}}`, the arguments up to the first closing delimiter.
    private static func shortcodes(_ bytes: [UInt8], _ range: Range<Int>, _ quiet: SortedRanges) -> [TemplateCall] {
        var calls: [TemplateCall] = []
        var position = range.lowerBound
        let end = range.upperBound
        while let open = ByteSearch.firstIndex(
            of: UInt8(ascii: "{"), UInt8(ascii: "{"), in: bytes, range: position..<end)
        {
            position = open + 1
            guard open + 2 < end, !quiet.contains(open) else { continue }
            let delimiter = bytes[open + 2]
            guard delimiter == UInt8(ascii: "<") || delimiter == UInt8(ascii: "%") else { continue }
            var index = open + 3
            TemplateText.skipWhitespace(bytes, &index, end)
            let nameStart = index
            guard index < end,
                TemplateText.isASCIILetter(bytes[index]) || (bytes[index] >= 0x30 && bytes[index] <= 0x39)
                    || bytes[index] == UInt8(ascii: "_")
            else { continue }
            index += 1
            while index < end,
                TemplateText.isWordByte(bytes[index]) || bytes[index] == UInt8(ascii: ".")
                    || bytes[index] == UInt8(ascii: "/") || bytes[index] == UInt8(ascii: "-")
            {
                index += 1
            }
            let closing: [UInt8] = [delimiter == UInt8(ascii: "<") ? UInt8(ascii: ">") : UInt8(ascii: "%"), 0x7D, 0x7D]
            guard let close = firstIndex(of: closing, in: bytes, from: index, to: end) else { continue }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            var argumentEnd = close
            // A self-closing `/` before the delimiter is not an argument.
            var back = argumentEnd
            while back > index, TemplateText.whitespaceLength(bytes, back - 1, argumentEnd) == 1 { back -= 1 }
            if back > index, bytes[back - 1] == UInt8(ascii: "/") { argumentEnd = back - 1 }
            calls.append(
                TemplateCall(
                    syntax: .shortcode, name: name, callee: name,
                    arguments: TemplateArgument.parse(bytes, index..<argumentEnd, commas: false), index: calls.count))
            position = close + 3
        }
        return calls
    }

    /// `{% name … %}` not preceded by `{`, the arguments up to the first `%}` (less a
    /// whitespace-control dash).
    private static func tags(_ bytes: [UInt8], _ range: Range<Int>, _ quiet: SortedRanges) -> [TemplateCall] {
        var calls: [TemplateCall] = []
        var position = range.lowerBound
        let end = range.upperBound
        while let open = ByteSearch.firstIndex(
            of: UInt8(ascii: "{"), UInt8(ascii: "%"), in: bytes, range: position..<end)
        {
            position = open + 1
            guard !quiet.contains(open), open == range.lowerBound || bytes[open - 1] != UInt8(ascii: "{") else {
                continue
            }
            var index = open + 2
            if index < end, bytes[index] == UInt8(ascii: "-") { index += 1 }
            TemplateText.skipWhitespace(bytes, &index, end)
            let nameStart = index
            guard index < end, TemplateText.isASCIILetter(bytes[index]) || bytes[index] == UInt8(ascii: "_") else {
                continue
            }
            index += 1
            while index < end,
                TemplateText.isWordByte(bytes[index]) || bytes[index] == UInt8(ascii: ".")
                    || bytes[index] == UInt8(ascii: "-")
            {
                index += 1
            }
            guard
                let close = ByteSearch.firstIndex(
                    of: UInt8(ascii: "%"), UInt8(ascii: "}"), in: bytes, range: index..<end)
            else { continue }
            position = close + 2
            var argumentEnd = close
            if argumentEnd > index, bytes[argumentEnd - 1] == UInt8(ascii: "-") { argumentEnd -= 1 }
            let tag = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            let lowered = tag.lowercased()
            if builtins.contains(lowered) || lowered.hasPrefix("end") { continue }
            if tag == "include" || tag == "include_relative" || tag == "include_cached" {
                guard let call = include(bytes, index..<argumentEnd, index: calls.count) else { continue }
                calls.append(call)
            } else {
                calls.append(
                    TemplateCall(
                        syntax: .tag, name: tag, callee: tag,
                        arguments: TemplateArgument.parse(bytes, index..<argumentEnd, commas: true),
                        index: calls.count))
            }
        }
        return calls
    }

    /// `{% include file k=v … %}`: the first word (quotes stripped) names the call.
    private static func include(_ bytes: [UInt8], _ range: Range<Int>, index: Int) -> TemplateCall? {
        var start = range.lowerBound
        TemplateText.skipWhitespace(bytes, &start, range.upperBound)
        var fileEnd = start
        while fileEnd < range.upperBound, TemplateText.whitespaceLength(bytes, fileEnd, range.upperBound) == 0 {
            fileEnd += 1
        }
        guard fileEnd > start else { return nil }
        var file = Substring(String(decoding: bytes[start..<fileEnd], as: UTF8.self))
        while let first = file.first, first == "\"" || first == "'" { file = file.dropFirst() }
        while let last = file.last, last == "\"" || last == "'" { file = file.dropLast() }
        return TemplateCall(
            syntax: .tag, name: "include:\(file)", callee: String(file),
            arguments: TemplateArgument.parse(bytes, fileEnd..<range.upperBound, commas: true), index: index)
    }

    private static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        var position = start
        while let found = ByteSearch.firstIndex(of: pattern[0], in: bytes, from: position, to: end) {
            if TemplateText.matches(bytes, found, end, pattern) { return found }
            position = found + 1
        }
        return nil
    }
}
