extension ReferenceScanner {
    /// Markdown images and reference-style images outside `code`. Markdown syntax inside an
    /// `<img>` tag's attribute text is not an image (its bytes belong to the attribute).
    func markdownReferences(
        _ bytes: [UInt8], range: Range<Int>, excluding code: SortedRanges, insideTags tags: [Range<Int>]
    ) -> [ImageReference] {
        guard ByteSearch.firstIndex(of: UInt8(ascii: "!"), UInt8(ascii: "["), in: bytes, range: range) != nil else {
            return []
        }
        let insideTag = SortedRanges(tags)
        let images = MarkdownImages.find(in: bytes, range: range, excluding: code).filter {
            !insideTag.contains($0.destination.lowerBound)
        }
        var references = images.enumerated().map { index, image in
            reference(
                place: .markdownImage(image: index), range: image.destination, bytes: bytes, decoded: nil,
                declaredSize: nil, encoding: .markdownDestination(angle: image.angleBrackets))
        }
        let uses = MarkdownImages.referenceUses(in: bytes, range: range, excluding: code).filter {
            !insideTag.contains($0.position)
        }
        guard !uses.isEmpty else { return references }
        let definitions = MarkdownImages.definitions(in: bytes, range: range, excluding: code)
        for (index, use) in uses.enumerated() {
            guard let definition = definitions[use.label] else { continue }
            references.append(
                reference(
                    place: .markdownReference(label: use.label, image: index), range: definition.destination,
                    bytes: bytes, decoded: nil, declaredSize: nil,
                    encoding: .markdownDestination(angle: definition.angleBrackets)))
        }
        return references
    }

    /// Markdown links to images, outside `quiet`.
    func markdownLinkReferences(_ bytes: [UInt8], range: Range<Int>, quiet: SortedRanges) -> [ImageReference] {
        guard ByteSearch.firstIndex(of: UInt8(ascii: "]"), UInt8(ascii: "("), in: bytes, range: range) != nil else {
            return []
        }
        return MarkdownLinks.find(in: bytes, range: range, excluding: quiet).enumerated().map { index, link in
            reference(
                place: .markdownLink(link: index), range: link.destination, bytes: bytes, decoded: nil,
                declaredSize: nil, encoding: .markdownDestination(angle: link.angleBrackets))
        }
    }

    /// The image arguments of template calls outside `quiet`.
    func templateReferences(_ bytes: [UInt8], range: Range<Int>, quiet: SortedRanges) -> [ImageReference] {
        var references: [ImageReference] = []
        for call in TemplateCall.find(in: bytes, range: range, quiet: quiet) {
            let found = call.imageArguments()
            guard !found.isEmpty else { continue }
            let declared = call.declaredSize
            var seen: [String: Int] = [:]
            for (parameter, argument) in found {
                let occurrence = seen[parameter, default: 0]
                seen[parameter] = occurrence + 1
                let raw = bytes[argument.valueRange]
                let decoded = raw.elementsEqual(argument.value.utf8) ? nil : argument.value
                references.append(
                    reference(
                        place: .templateArgument(
                            syntax: call.syntax, name: call.name, parameter: parameter, call: call.index,
                            occurrence: occurrence),
                        range: argument.valueRange, bytes: bytes, decoded: decoded, declaredSize: declared,
                        encoding: .templateArgument(quote: argument.quote)))
            }
        }
        return references
    }
}
