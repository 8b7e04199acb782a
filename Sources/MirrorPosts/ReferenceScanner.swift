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

    public var frontMatterKeys: [String]
    public var resolver: ImageURLResolver

    public init(frontMatterKeys: [String], resolver: ImageURLResolver) {
        self.frontMatterKeys = frontMatterKeys
        self.resolver = resolver
    }

    /// Scans a post. `isMarkdown` enables Markdown images and excludes code from HTML scanning.
    public func scan(_ bytes: [UInt8], isMarkdown: Bool) -> PostScan {
        var references: [ImageReference] = []
        var problems: [String] = []
        var bodyStart = 0
        if let frontMatter = FrontMatter.locate(in: bytes) {
            bodyStart = frontMatter.blockRange.upperBound
            let scanner = FrontMatterScanner(keys: frontMatterKeys)
            let found = scanner.scan(bytes, frontMatter: frontMatter)
            problems += found.problems
            references += found.values.map { value in
                reference(
                    place: .frontMatter(key: value.key, index: value.index),
                    range: value.range,
                    bytes: bytes,
                    decoded: value.value,
                    declaredSize: nil,
                    encoding: value.encoding
                )
            }
        }
        let body = bodyStart..<bytes.count
        let code = Self.codeRanges(bytes, body: body, isMarkdown: isMarkdown)
        let mayHaveImages =
            isMarkdown && ByteSearch.firstIndex(of: UInt8(ascii: "!"), UInt8(ascii: "["), in: bytes, range: body) != nil
        let (htmlFound, imageTags) = htmlReferences(bytes, range: body, excluding: code)
        references += htmlFound
        // Markdown syntax inside an <img> tag's attribute text is not an image (and its bytes
        // belong to the attribute's reference).
        let insideTag = SortedRanges(imageTags)
        if mayHaveImages {
            let images = MarkdownImages.find(in: bytes, range: body, excluding: code).filter {
                !insideTag.contains($0.destination.lowerBound)
            }
            references += images.enumerated().map { index, image in
                reference(
                    place: .markdownImage(image: index),
                    range: image.destination,
                    bytes: bytes,
                    decoded: nil,
                    declaredSize: nil,
                    encoding: .markdownDestination(angle: image.angleBrackets)
                )
            }
        }
        let uses =
            mayHaveImages
            ? MarkdownImages.referenceUses(in: bytes, range: body, excluding: code).filter {
                !insideTag.contains($0.position)
            } : []
        if !uses.isEmpty {
            let definitions = MarkdownImages.definitions(in: bytes, range: body, excluding: code)
            for (index, use) in uses.enumerated() {
                guard let definition = definitions[use.label] else { continue }
                references.append(
                    reference(
                        place: .markdownReference(label: use.label, image: index),
                        range: definition.destination,
                        bytes: bytes,
                        decoded: nil,
                        declaredSize: nil,
                        encoding: .markdownDestination(angle: definition.angleBrackets)
                    )
                )
            }
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
        return PostScan(references: references, problems: problems, elements: imageTags)
    }

    /// The `<img>` and `<source>` start tags of a post's body outside Markdown code, in order:
    /// the index of a tag is the `element` number of its references' places.
    public func imageElements(in bytes: [UInt8], isMarkdown: Bool) -> [HTMLStartTag] {
        let bodyStart = FrontMatter.locate(in: bytes)?.blockRange.upperBound ?? 0
        let body = bodyStart..<bytes.count
        let code = Self.codeRanges(bytes, body: body, isMarkdown: isMarkdown)
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

    private static func codeRanges(_ bytes: [UInt8], body: Range<Int>, isMarkdown: Bool) -> SortedRanges {
        // Code can only exist where there is a backtick or a tilde; most posts have neither.
        let mayHaveCode =
            isMarkdown
            && (ByteSearch.contains(UInt8(ascii: "`"), in: bytes, range: body)
                || ByteSearch.firstIndex(of: UInt8(ascii: "~"), UInt8(ascii: "~"), in: bytes, range: body) != nil)
        return mayHaveCode ? SortedRanges(MarkdownCode.ranges(in: bytes, range: body)) : .none
    }

    private func htmlReferences(
        _ bytes: [UInt8], range: Range<Int>, excluding code: SortedRanges
    )
        -> (references: [ImageReference], tags: [Range<Int>])
    {
        var references: [ImageReference] = []
        var tags: [Range<Int>] = []
        var element = 0
        var attributes = ImageTagAttributes()
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = HTMLCursor(bytes: buffer, position: range.lowerBound, end: range.upperBound)
            while let start = cursor.nextStartTag() {
                let tagName: String
                switch start.kind {
                case .img: tagName = "img"
                case .source: tagName = "source"
                case .other, .rawText:
                    // Most tags: only where they end matters.
                    guard cursor.skipTagBody() else { return }
                    if case .rawText(let name) = start.kind { cursor.skipRawText(of: name) }
                    continue
                }
                guard attributes.read(&cursor) else { return }
                let tagRange = start.open..<cursor.position
                if code.contains(tagRange.lowerBound) { continue }
                tags.append(tagRange)
                defer { element += 1 }
                let declared = Self.declaredSize(attributes, bytes: bytes)
                for slot in ImageTagAttributes.singleURLSlots {
                    guard let attribute = attributes[slot], let valueRange = attribute.value else { continue }
                    references.append(
                        reference(
                            place: .htmlAttribute(
                                tag: tagName, attribute: ImageTagAttributes.names[slot], element: element),
                            range: valueRange,
                            bytes: bytes,
                            decoded: Self.decodedAttribute(bytes, valueRange),
                            declaredSize: declared,
                            encoding: .htmlAttribute(quote: attribute.quote)
                        )
                    )
                }
                for slot in ImageTagAttributes.srcsetSlots {
                    guard let attribute = attributes[slot], let valueRange = attribute.value else { continue }
                    let name = ImageTagAttributes.names[slot]
                    for (index, candidate) in SrcsetCandidates.urlRanges(in: bytes, range: valueRange).enumerated() {
                        references.append(
                            reference(
                                place: .srcsetCandidate(
                                    tag: tagName, attribute: name, element: element, candidate: index),
                                range: candidate,
                                bytes: bytes,
                                decoded: Self.decodedAttribute(bytes, candidate),
                                declaredSize: nil,
                                encoding: .htmlAttribute(quote: attribute.quote)
                            )
                        )
                    }
                }
            }
        }
        return (references, tags)
    }

    /// An attribute value with its character references decoded; nil when it has none, so the
    /// value is its raw text.
    private static func decodedAttribute(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        ByteSearch.contains(UInt8(ascii: "&"), in: bytes, range: range)
            ? CharacterReferences.decode(bytes[range], inAttribute: true) : nil
    }

    /// Sorted by position, with no two references claiming overlapping bytes differently: where
    /// Markdown syntax overlaps an HTML attribute or front-matter value (Markdown-looking text
    /// inside an attribute), the Markdown reading loses. References sharing exactly one range
    /// (uses of one Markdown definition) stay.
    static func withoutOverlaps(_ references: [ImageReference]) -> [ImageReference] {
        func isMarkdown(_ reference: ImageReference) -> Bool {
            switch reference.place {
            case .markdownImage, .markdownReference: return true
            default: return false
            }
        }
        let sorted = references.sorted { $0.valueRange.lowerBound < $1.valueRange.lowerBound }
        guard sorted.contains(where: isMarkdown) else { return sorted }
        let structural = sorted.filter { !isMarkdown($0) }.map(\.valueRange)
        let claimed = SortedRanges(structural)
        return sorted.filter { reference in
            guard isMarkdown(reference) else { return true }
            let range = reference.valueRange
            return !claimed.contains(range.lowerBound) && !claimed.contains(max(range.lowerBound, range.upperBound - 1))
                && !structural.contains { $0.lowerBound >= range.lowerBound && $0.upperBound <= range.upperBound }
        }
    }

    /// The first size pair of ``sizeAttributes`` whose width and height are both lengths.
    private static func declaredSize(_ attributes: ImageTagAttributes, bytes: [UInt8]) -> DeclaredSize? {
        func length(_ slot: Int) -> Int? {
            // An attribute without a value reads as "", which is no length.
            guard let range = attributes[slot]?.value else { return nil }
            if let decoded = decodedAttribute(bytes, range) { return DeclaredSize.parseLength(decoded) }
            return DeclaredSize.parseLength(bytes[range])
        }
        for widthSlot in ImageTagAttributes.sizePairSlots {
            if let width = length(widthSlot), let height = length(widthSlot + 1) {
                return DeclaredSize(width: width, height: height)
            }
        }
        return nil
    }

    /// `decoded` is the value as the reader sees it when it differs from the raw bytes (character
    /// references, YAML escapes); nil means the raw bytes as text.
    private func reference(
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
