/// Finds every image reference in a post: front-matter keys, `<img>`/`<source>` attributes and
/// Markdown images, each with the byte range of its value.
public struct ReferenceScanner: Sendable {
    /// Attributes holding one image URL, in the order a lazy-loading theme prefers them.
    public static let singleURLAttributes = [
        "data-original", "data-src", "data-lazy-src", "data-original-src", "data-actualsrc", "src",
    ]
    /// Attributes holding a candidate list.
    public static let srcsetAttributes = ["srcset", "data-srcset"]
    /// Declared-size attribute pairs, most specific first.
    public static let sizeAttributes = [
        ("data-width", "data-height"), ("data-original-width", "data-original-height"), ("width", "height"),
    ]
    static let imageElements = ["img", "source"]

    public var frontMatterKeys: [String] {
        didSet { keys = FrontMatterKeys(frontMatterKeys) }
    }
    public var resolver: ImageURLResolver
    /// The keys as the front-matter scanners read them, made once.
    private var keys: FrontMatterKeys
    /// Whether simple YAML front matter is read directly rather than composed with Yams (the
    /// same values; off only to compare the two readings, as the fuzzer does).
    public var readsSimpleFrontMatterDirectly = true

    public init(frontMatterKeys: [String], resolver: ImageURLResolver) {
        self.frontMatterKeys = frontMatterKeys
        self.resolver = resolver
        keys = FrontMatterKeys(frontMatterKeys)
    }

    /// Scans a post. `isMarkdown` enables Markdown images and excludes code from HTML scanning.
    public func scan(_ bytes: [UInt8], isMarkdown: Bool) -> PostScan {
        var references: [ImageReference] = []
        var problems: [String] = []
        let bodyStart = frontMatterReferences(bytes, into: &references, problems: &problems)
        let body = bodyStart..<bytes.count
        // HTML posts need their code only for the further places, found below.
        let markdownCode = isMarkdown ? Self.codeRanges(bytes, body: body) : []
        let classicCode = isMarkdown ? SortedRanges(markdownCode) : .none
        let html = htmlReferences(bytes, range: body, excluding: classicCode)
        references += html.references
        if isMarkdown {
            references += markdownReferences(bytes, range: body, excluding: classicCode, insideTags: html.tags)
        }
        // Code and comments matter to the further places only; most posts have none of those.
        var further = html.further + markdownLinkReferences(bytes, range: body, quiet: .none)
        let mayHaveTemplates =
            ByteSearch.firstIndex(of: UInt8(ascii: "{"), UInt8(ascii: "{"), in: bytes, range: body) != nil
            || ByteSearch.firstIndex(of: UInt8(ascii: "{"), UInt8(ascii: "%"), in: bytes, range: body) != nil
        if !further.isEmpty || mayHaveTemplates {
            let code = isMarkdown ? markdownCode : Self.codeRanges(bytes, body: body)
            let quiet = QuietRanges(bytes, body: body, isMarkdown: isMarkdown, code: code)
            further.removeAll { quiet.text.contains($0.valueRange.lowerBound) }
            references += further
            if mayHaveTemplates { references += templateReferences(bytes, range: body, quiet: quiet.templates) }
        }
        references = Self.withoutOverlaps(references)
        // Line numbers in one pass over the sorted references.
        var line = 1
        var counted = 0
        for index in references.indices {
            let offset = references[index].valueRange.lowerBound
            if offset > counted {
                line += ByteSearch.count(of: UInt8(ascii: "\n"), in: bytes, range: counted..<offset)
                counted = offset
            }
            references[index].line = line
        }
        return PostScan(references: references, problems: problems, elements: html.tags)
    }

    /// The references of a YAML or TOML front matter; returns where the body starts.
    private func frontMatterReferences(
        _ bytes: [UInt8], into references: inout [ImageReference], problems: inout [String]
    ) -> Int {
        let found: (values: [FrontMatterValue], problems: [String])
        let bodyStart: Int
        if let frontMatter = FrontMatter.locate(in: bytes) {
            bodyStart = frontMatter.blockRange.upperBound
            var scanner = FrontMatterScanner(keys: keys)
            scanner.readsSimpleFrontMatterDirectly = readsSimpleFrontMatterDirectly
            found = scanner.scan(bytes, frontMatter: frontMatter)
        } else if let frontMatter = FrontMatter.locateTOML(in: bytes) {
            bodyStart = frontMatter.blockRange.upperBound
            found = TOMLFrontMatterScanner(keys: keys).scan(bytes, frontMatter: frontMatter)
        } else {
            return 0
        }
        problems += found.problems
        references += found.values.map { value in
            reference(
                place: .frontMatter(key: value.key, index: value.index), range: value.range, bytes: bytes,
                decoded: value.value, declaredSize: nil, encoding: value.encoding)
        }
        return bodyStart
    }

    /// The `<img>` and `<source>` start tags of a post's body outside Markdown code, in order:
    /// the index of a tag is the `element` number of its references' places.
    public func imageElements(in bytes: [UInt8], isMarkdown: Bool) -> [HTMLStartTag] {
        let bodyStart =
            FrontMatter.locate(in: bytes)?.blockRange.upperBound ?? FrontMatter.locateTOML(in: bytes)?.blockRange
            .upperBound ?? 0
        let body = bodyStart..<bytes.count
        let code = isMarkdown ? SortedRanges(Self.codeRanges(bytes, body: body)) : .none
        var tags: [HTMLStartTag] = []
        var tokenizer = HTMLTokenizer(bytes: bytes, range: body)
        while let tag = tokenizer.nextStartTag(named: Self.imageElements) {
            if !code.contains(tag.range.lowerBound) { tags.append(tag) }
        }
        return tags
    }

    /// The one `<img>` or `<source>` start tag at `range` (an element range from `PostScan`),
    /// attributes and all; nil if the bytes there are no such tag.
    public func imageElement(in bytes: [UInt8], range: Range<Int>) -> HTMLStartTag? {
        var tokenizer = HTMLTokenizer(bytes: bytes, range: range)
        guard let tag = tokenizer.nextStartTag(named: Self.imageElements), tag.range.lowerBound == range.lowerBound
        else { return nil }
        return tag
    }

    /// Fenced and inline code of the body, in any post: HTML posts skip it only for the further
    /// places (Markdown-rendered HTML keeps code as text, not as tags).
    private static func codeRanges(_ bytes: [UInt8], body: Range<Int>) -> [Range<Int>] {
        // Code can only exist where there is a backtick or a tilde; most posts have neither.
        let mayHaveCode =
            ByteSearch.contains(UInt8(ascii: "`"), in: bytes, range: body)
            || ByteSearch.firstIndex(of: UInt8(ascii: "~"), UInt8(ascii: "~"), in: bytes, range: body) != nil
        return mayHaveCode ? MarkdownCode.ranges(in: bytes, range: body) : []
    }

    /// Sorted by position, with no two references claiming overlapping bytes differently. Where
    /// readings overlap, the more structural one wins: HTML image attributes and front matter,
    /// then the further HTML places, then template calls, then Markdown (Markdown-looking text
    /// inside an attribute is not Markdown); within one kind, the earlier. Only uses of one
    /// Markdown definition may share a range (they are one edit).
    static func withoutOverlaps(_ references: [ImageReference]) -> [ImageReference] {
        func tier(_ reference: ImageReference) -> Int {
            switch reference.place {
            case .frontMatter, .htmlAttribute, .srcsetCandidate: return 0
            case .linkedAttribute, .styleURL: return 1
            case .templateArgument: return 2
            case .markdownImage, .markdownReference, .markdownLink: return 3
            }
        }
        let sorted = references.sorted { $0.valueRange.lowerBound < $1.valueRange.lowerBound }
        let tiers = sorted.map(tier)
        // The first version's references never overlap among themselves.
        guard tiers.contains(where: { $0 > 0 }) else { return sorted }
        var kept: [(range: Range<Int>, sharable: Bool)] = []
        var keep = [Bool](repeating: false, count: sorted.count)
        for level in 0...3 {
            for index in sorted.indices where tiers[index] == level {
                let range = sorted[index].valueRange
                var sharable = false
                if case .markdownReference = sorted[index].place { sharable = true }
                let overlaps = kept.contains { other in
                    if other.range == range { return !(sharable && other.sharable) }
                    return other.range.lowerBound < max(range.upperBound, range.lowerBound + 1)
                        && range.lowerBound < max(other.range.upperBound, other.range.lowerBound + 1)
                }
                if !overlaps || level == 0 {
                    keep[index] = true
                    kept.append((range, sharable))
                }
            }
        }
        return sorted.indices.filter { keep[$0] }.map { sorted[$0] }
    }

    /// `decoded` is the value as the reader sees it when it differs from the raw bytes (character
    /// references, YAML escapes); nil means the raw bytes as text.
    func reference(
        place: ReferencePlace,
        range: Range<Int>,
        bytes: [UInt8],
        decoded: String?,
        declaredSize: DeclaredSize?,
        encoding: ValueEncoding
    ) -> ImageReference {
        var target: ImageTarget?
        var skipReason: SkipReason?
        // The manifest keeps original values as text so `restore` can write them back; bytes
        // that are not UTF-8 could not be restored exactly, so such a value is never rewritten.
        let raw = String(validating: bytes[range], as: UTF8.self)
        let rawText = raw ?? String(decoding: bytes[range], as: UTF8.self)
        let value = decoded ?? rawText
        if raw == nil {
            skipReason = .notUTF8
        } else {
            switch resolver.resolve(value) {
            case .fetch(let found): target = found
            case .skip(let reason): skipReason = reason
            }
        }
        return ImageReference(
            place: place,
            valueRange: range,
            rawValue: rawText,
            value: value,
            target: target,
            skipReason: skipReason,
            declaredSize: declaredSize,
            line: 0,
            encoding: encoding
        )
    }
}
