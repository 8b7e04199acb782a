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
    static let imageElements: Set<String> = ["img", "source"]

    public var frontMatterKeys: [String]
    public var resolver: ImageURLResolver

    public init(frontMatterKeys: [String], resolver: ImageURLResolver) {
        self.frontMatterKeys = frontMatterKeys
        self.resolver = resolver
    }

    /// Scans a post. `isMarkdown` enables Markdown images and excludes code from HTML scanning.
    public func scan(_ bytes: [UInt8], isMarkdown: Bool) -> PostScan {
        let lines = LineIndex(bytes)
        var references: [ImageReference] = []
        var problems: [String] = []
        var bodyStart = 0
        if let frontMatter = FrontMatter.locate(in: bytes) {
            bodyStart = frontMatter.blockRange.upperBound
            let scanner = FrontMatterScanner(keys: frontMatterKeys)
            let found = scanner.scan(bytes, frontMatter: frontMatter, lines: lines)
            problems += found.problems
            references += found.values.map { value in
                reference(
                    place: .frontMatter(key: value.key, index: value.index),
                    range: value.range,
                    bytes: bytes,
                    value: value.value,
                    declaredSize: nil,
                    line: lines.line(of: value.range.lowerBound),
                    encoding: value.encoding
                )
            }
        }
        let body = bodyStart..<bytes.count
        let code = isMarkdown ? MarkdownCode.ranges(in: bytes, range: body) : []
        references += htmlReferences(bytes, range: body, excluding: code, lines: lines)
        if isMarkdown {
            references += MarkdownImages.find(in: bytes, range: body, excluding: code).enumerated().map {
                index, image in
                reference(
                    place: .markdownImage(image: index),
                    range: image.destination,
                    bytes: bytes,
                    value: String(decoding: bytes[image.destination], as: UTF8.self),
                    declaredSize: nil,
                    line: lines.line(of: image.destination.lowerBound),
                    encoding: .markdownDestination(angle: image.angleBrackets)
                )
            }
        }
        if isMarkdown {
            let definitions = MarkdownImages.definitions(in: bytes, range: body, excluding: code)
            let uses = MarkdownImages.referenceUses(in: bytes, range: body, excluding: code)
            for (index, use) in uses.enumerated() {
                guard let definition = definitions[use.label] else { continue }
                references.append(
                    reference(
                        place: .markdownReference(label: use.label, image: index),
                        range: definition.destination,
                        bytes: bytes,
                        value: String(decoding: bytes[definition.destination], as: UTF8.self),
                        declaredSize: nil,
                        line: lines.line(of: definition.destination.lowerBound),
                        encoding: .markdownDestination(angle: definition.angleBrackets)
                    )
                )
            }
        }
        references.sort { $0.valueRange.lowerBound < $1.valueRange.lowerBound }
        return PostScan(references: references, problems: problems)
    }

    private func htmlReferences(
        _ bytes: [UInt8], range: Range<Int>, excluding code: [Range<Int>], lines: LineIndex
    )
        -> [ImageReference]
    {
        var references: [ImageReference] = []
        var element = 0
        var tokenizer = HTMLTokenizer(bytes: bytes, range: range)
        while let tag = tokenizer.nextStartTag() {
            guard Self.imageElements.contains(tag.name) else { continue }
            if code.contains(where: { $0.contains(tag.range.lowerBound) }) { continue }
            defer { element += 1 }
            let declared = Self.declaredSize(of: tag)
            for name in Self.singleURLAttributes {
                guard let attribute = tag.attribute(name), let valueRange = attribute.valueRange else { continue }
                references.append(
                    reference(
                        place: .htmlAttribute(tag: tag.name, attribute: name, element: element),
                        range: valueRange,
                        bytes: bytes,
                        value: attribute.value,
                        declaredSize: declared,
                        line: lines.line(of: valueRange.lowerBound),
                        encoding: .htmlAttribute(quote: attribute.quote)
                    )
                )
            }
            for name in Self.srcsetAttributes {
                guard let attribute = tag.attribute(name), let valueRange = attribute.valueRange else { continue }
                for (index, candidate) in SrcsetCandidates.urlRanges(in: bytes, range: valueRange).enumerated() {
                    references.append(
                        reference(
                            place: .srcsetCandidate(tag: tag.name, attribute: name, element: element, candidate: index),
                            range: candidate,
                            bytes: bytes,
                            value: CharacterReferences.decode(bytes[candidate], inAttribute: true),
                            declaredSize: nil,
                            line: lines.line(of: candidate.lowerBound),
                            encoding: .htmlAttribute(quote: attribute.quote)
                        )
                    )
                }
            }
        }
        return references
    }

    static func declaredSize(of tag: HTMLStartTag) -> DeclaredSize? {
        for (widthName, heightName) in sizeAttributes {
            if let width = tag.attribute(widthName).flatMap({ DeclaredSize.parseLength($0.value) }),
                let height = tag.attribute(heightName).flatMap({ DeclaredSize.parseLength($0.value) })
            {
                return DeclaredSize(width: width, height: height)
            }
        }
        return nil
    }

    private func reference(
        place: ReferencePlace,
        range: Range<Int>,
        bytes: [UInt8],
        value: String,
        declaredSize: DeclaredSize?,
        line: Int,
        encoding: ValueEncoding
    ) -> ImageReference {
        var target: ImageTarget?
        var skipReason: String?
        switch resolver.resolve(value) {
        case .fetch(let found): target = found
        case .skip(let reason): skipReason = reason
        }
        return ImageReference(
            place: place,
            valueRange: range,
            rawValue: String(decoding: bytes[range], as: UTF8.self),
            value: value,
            target: target,
            skipReason: skipReason,
            declaredSize: declaredSize,
            line: line,
            encoding: encoding
        )
    }
}
