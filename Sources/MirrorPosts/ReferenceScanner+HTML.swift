extension ReferenceScanner {
    /// WordPress's links from an `<img>` to its other sizes.
    public static let wordPressAttributes = ["data-orig-file", "data-large-file", "data-medium-file"]

    /// The HTML places of a body in one walk over its tags: `<img>`/`<source>` URLs outside
    /// `code` (Markdown code, in Markdown posts), and, apart, the further places (image links,
    /// WordPress sizes, posters and style URLs) wherever they are: the caller leaves out those
    /// in code and comments, which it finds only when there are some.
    func htmlReferences(
        _ bytes: [UInt8], range: Range<Int>, excluding code: SortedRanges
    ) -> (references: [ImageReference], further: [ImageReference], tags: [Range<Int>]) {
        var walk = HTMLWalk(
            mayHaveStyleURLs: ByteSearch.firstIndex(of: "url(", in: bytes, range: range, anchor: 3) != nil
                || ByteSearch.firstIndex(of: "URL(", in: bytes, range: range, anchor: 3) != nil)
        var attributes = ImageTagAttributes()
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = HTMLCursor(bytes: buffer, position: range.lowerBound, end: range.upperBound)
            while let start = cursor.nextStartTag() {
                let tagName: String
                switch start.kind {
                case .img: tagName = "img"
                case .source: tagName = "source"
                case .anchor, .video, .other, .rawText:
                    guard let linked = walk.readLinked(start, &cursor) else { return }
                    if !linked.isEmpty {
                        walk.add(linkedReferences(bytes, tag: start, attributes: linked, declared: nil, walk.element))
                    }
                    if case .rawText(let name) = start.kind { cursor.skipRawText(of: name) }
                    continue
                }
                guard attributes.read(&cursor) else { return }
                let tagRange = start.open..<cursor.position
                if ImageTagAttributes.linkedSlots.contains(where: { attributes[$0] != nil }) {
                    let linked = ImageTagAttributes.linkedSlots.compactMap { slot in
                        attributes[slot].map { (ImageTagAttributes.names[slot], $0) }
                    }.filter { $0.0 != "data-orig-size" }
                    let declared = Self.originalSize(attributes, bytes: bytes)
                    walk.add(linkedReferences(bytes, tag: start, attributes: linked, declared: declared, walk.element))
                }
                if code.contains(tagRange.lowerBound) { continue }
                walk.tags.append(tagRange)
                walk.references += imageTagReferences(bytes, tagName, attributes, element: walk.tags.count - 1)
            }
        }
        return (walk.references, walk.further, walk.tags)
    }

    /// The URL and candidate-list references of one `<img>` or `<source>`.
    private func imageTagReferences(
        _ bytes: [UInt8], _ tagName: String, _ attributes: ImageTagAttributes, element: Int
    ) -> [ImageReference] {
        var references: [ImageReference] = []
        let declared = Self.declaredSize(attributes, bytes: bytes)
        for slot in ImageTagAttributes.singleURLSlots {
            guard let attribute = attributes[slot], let valueRange = attribute.value else { continue }
            references.append(
                reference(
                    place: .htmlAttribute(tag: tagName, attribute: ImageTagAttributes.names[slot], element: element),
                    range: valueRange, bytes: bytes, decoded: Self.decodedAttribute(bytes, valueRange),
                    declaredSize: declared, encoding: .htmlAttribute(quote: attribute.quote)))
        }
        for slot in ImageTagAttributes.srcsetSlots {
            guard let attribute = attributes[slot], let valueRange = attribute.value else { continue }
            let name = ImageTagAttributes.names[slot]
            for (index, candidate) in SrcsetCandidates.urlRanges(in: bytes, range: valueRange).enumerated() {
                references.append(
                    reference(
                        place: .srcsetCandidate(tag: tagName, attribute: name, element: element, candidate: index),
                        range: candidate, bytes: bytes, decoded: Self.decodedAttribute(bytes, candidate),
                        declaredSize: nil, encoding: .htmlAttribute(quote: attribute.quote)))
            }
        }
        return references
    }

    /// The further places of one tag: an `href` naming an image, WordPress sizes, a poster,
    /// and each `url()` of a style.
    private func linkedReferences(
        _ bytes: [UInt8], tag: HTMLCursor.StartTag, attributes: [(String, HTMLCursor.Attribute)],
        declared: DeclaredSize?, _ element: Int
    ) -> [ImageReference] {
        var references: [ImageReference] = []
        // Most tags read here are links to pages: their name is spelled out only when needed.
        lazy var tagName = String(decoding: bytes[tag.name], as: UTF8.self).lowercased()
        for (attributeName, attribute) in attributes {
            guard let valueRange = attribute.value else { continue }
            if attributeName == "style" {
                for (index, url) in StyleURLs.find(in: bytes, range: valueRange).enumerated() {
                    references.append(
                        reference(
                            place: .styleURL(tag: tagName, property: url.property, element: element, url: index),
                            range: url.range, bytes: bytes, decoded: Self.decodedAttribute(bytes, url.range),
                            declaredSize: nil, encoding: .cssURL(quote: url.quote, attributeQuote: attribute.quote)))
                }
                continue
            }
            let decoded = Self.decodedAttribute(bytes, valueRange)
            if attributeName == "href",
                !(decoded.map { ImagePath.isImage($0) } ?? ImagePath.isImage(bytes, valueRange))
            {
                continue
            }
            references.append(
                reference(
                    place: .linkedAttribute(tag: tagName, attribute: attributeName, element: element),
                    range: valueRange, bytes: bytes, decoded: decoded,
                    declaredSize: attributeName == "data-orig-file" ? declared : nil,
                    encoding: .htmlAttribute(quote: attribute.quote)))
        }
        return references
    }

    /// An attribute value with its character references decoded; nil when it has none, so the
    /// value is its raw text.
    static func decodedAttribute(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        ByteSearch.contains(UInt8(ascii: "&"), in: bytes, range: range)
            ? CharacterReferences.decode(bytes[range], inAttribute: true) : nil
    }

    /// The first size pair of ``sizeAttributes`` whose width and height are both lengths.
    private static func declaredSize(_ attributes: ImageTagAttributes, bytes: [UInt8]) -> DeclaredSize? {
        for widthSlot in ImageTagAttributes.sizePairSlots {
            if let width = length(attributes[widthSlot], bytes), let height = length(attributes[widthSlot + 1], bytes) {
                return DeclaredSize(width: width, height: height)
            }
        }
        return nil
    }

    /// WordPress's `data-orig-size="1024,768"`: the size of the file `data-orig-file` names.
    private static func originalSize(_ attributes: ImageTagAttributes, bytes: [UInt8]) -> DeclaredSize? {
        guard let range = attributes[ImageTagAttributes.originalSizeSlot]?.value,
            let comma = ByteSearch.firstIndex(
                of: UInt8(ascii: ","), in: bytes, from: range.lowerBound, to: range.upperBound),
            let width = DeclaredSize.parseLength(bytes[range.lowerBound..<comma]),
            let height = DeclaredSize.parseLength(bytes[(comma + 1)..<range.upperBound])
        else { return nil }
        return DeclaredSize(width: width, height: height)
    }

    private static func length(_ attribute: HTMLCursor.Attribute?, _ bytes: [UInt8]) -> Int? {
        // An attribute without a value reads as "", which is no length.
        guard let range = attribute?.value else { return nil }
        if let decoded = decodedAttribute(bytes, range) { return DeclaredSize.parseLength(decoded) }
        return DeclaredSize.parseLength(bytes[range])
    }
}
