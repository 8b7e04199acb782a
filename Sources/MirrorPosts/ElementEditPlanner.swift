/// Plans the element edits behind `rewrite.fix_dimensions` and `rewrite.provenance_attribute`,
/// and the edits that undo them.
public enum ElementEditPlanner {
    /// Edits making an element's declared size agree with the image it shows, for an element
    /// whose declared size is a `mismatch` (another aspect ratio: the caller decides; a `scaled`
    /// declaration is a deliberate display size and stays). `data-width`/`data-height` style pairs describe the image and
    /// get its displayed size; `width`/`height` describe the layout, so the width the author
    /// chose stays and the height follows the image's aspect ratio. Values are edited only when
    /// written as plain digits (optionally `px`), so nothing but digits changes.
    public static func dimensionEdits(
        tag: HTMLStartTag, element: Int, bytes: [UInt8], displayed: (width: Int, height: Int), anchor: ElementAnchor
    ) -> [ElementEdit] {
        guard displayed.width > 0, displayed.height > 0 else { return [] }
        for (widthName, heightName) in ReferenceScanner.sizeAttributes {
            guard let width = tag.attribute(widthName), let height = tag.attribute(heightName),
                let declaredWidth = DeclaredSize.parseLength(width.value),
                DeclaredSize.parseLength(height.value) != nil
            else { continue }
            guard let widthDigits = digitRange(of: width, in: bytes),
                let heightDigits = digitRange(of: height, in: bytes)
            else { return [] }
            let layout = widthName == "width"
            let newWidth = layout ? declaredWidth : displayed.width
            let newHeight =
                layout
                ? scaled(declaredWidth, displayed.height, over: displayed.width)
                : displayed.height
            var edits: [ElementEdit] = []
            for (attribute, digits, value) in [
                (widthName, widthDigits, newWidth), (heightName, heightDigits, newHeight),
            ] {
                let original = String(decoding: bytes[digits], as: UTF8.self)
                let replacement = String(value)
                guard original != replacement else { continue }
                edits.append(
                    ElementEdit(
                        place: ElementEdit.place(tag: tag.name, element: element, attribute: attribute),
                        kind: .dimension, originalValue: original, localValue: replacement, anchor: anchor,
                        edit: PostEdit(
                            range: digits, expected: Array(original.utf8), replacement: Array(replacement.utf8))
                    ))
            }
            return edits
        }
        return []
    }

    /// The insertion of ` name="value"` right after the tag name, unless the element already has
    /// an attribute of that name.
    public static func provenanceEdit(
        tag: HTMLStartTag, element: Int, attribute name: String, value: String, anchor: ElementAnchor
    ) -> ElementEdit? {
        insertion(tag: tag, element: element, attribute: name, value: value, anchor: anchor, kind: .provenance)
    }

    /// The insertion of ` name="value"` right after the tag name, for an attribute the element
    /// does not have (`srcset`, `sizes`, `width`, `height`).
    public static func insertion(
        tag: HTMLStartTag, element: Int, attribute name: String, value: String, anchor: ElementAnchor,
        kind: ElementEdit.Kind = .inserted
    ) -> ElementEdit? {
        guard tag.attribute(name) == nil else { return nil }
        let text = " \(name)=\"\(CharacterReferences.encodeAttribute(value, quote: UInt8(ascii: "\"")))\""
        let position = tag.range.lowerBound + 1 + tag.name.utf8.count
        return ElementEdit(
            place: ElementEdit.place(tag: tag.name, element: element, attribute: name), kind: kind,
            originalValue: "", localValue: text, anchor: anchor,
            edit: PostEdit(range: position..<position, expected: [], replacement: Array(text.utf8)))
    }

    /// `width` and `height` for an `<img>` that declares neither (the displayed size), or the one
    /// missing beside one declared in plain digits (scaled to the image's aspect).
    public static func dimensionInsertions(
        tag: HTMLStartTag, element: Int, displayed: (width: Int, height: Int), anchor: ElementAnchor
    ) -> [ElementEdit] {
        guard displayed.width > 0, displayed.height > 0 else { return [] }
        let width = tag.attribute("width")
        let height = tag.attribute("height")
        var values: [(String, Int)] = []
        switch (width, height) {
        case (nil, nil):
            values = [("width", displayed.width), ("height", displayed.height)]
        case (let declared?, nil):
            guard let value = DeclaredSize.parseLength(declared.value) else { return [] }
            values = [
                ("height", scaled(value, displayed.height, over: displayed.width))
            ]
        case (nil, let declared?):
            guard let value = DeclaredSize.parseLength(declared.value) else { return [] }
            values = [
                ("width", scaled(value, displayed.width, over: displayed.height))
            ]
        default:
            return []
        }
        return values.compactMap { name, value in
            insertion(tag: tag, element: element, attribute: name, value: String(value), anchor: anchor)
        }
    }

    /// The local copy as the `src` of a lazy-loading `<img>`: inserted after the tag name when it
    /// has no `src`, else written over the placeholder value (the caller decides it is one).
    public static func placeholderSourceEdit(
        tag: HTMLStartTag, element: Int, bytes: [UInt8], local: String, anchor: ElementAnchor
    ) -> ElementEdit? {
        let place = ElementEdit.place(tag: tag.name, element: element, attribute: "src")
        guard let source = tag.attribute("src") else {
            let text = " src=\"\(CharacterReferences.encodeAttribute(local, quote: UInt8(ascii: "\"")))\""
            let position = tag.range.lowerBound + 1 + tag.name.utf8.count
            return ElementEdit(
                place: place, kind: .placeholderInserted, originalValue: "", localValue: text, anchor: anchor,
                edit: PostEdit(range: position..<position, expected: [], replacement: Array(text.utf8)))
        }
        guard let range = source.valueRange, range.upperBound <= bytes.count,
            let original = String(validating: bytes[range], as: UTF8.self)
        else { return nil }
        let encoded = CharacterReferences.encodeAttribute(local, quote: source.quote)
        return ElementEdit(
            place: place, kind: .placeholderReplaced, originalValue: original, localValue: encoded, anchor: anchor,
            edit: PostEdit(range: range, expected: Array(bytes[range]), replacement: Array(encoded.utf8)))
    }

    /// What was recorded for one element edit.
    public struct Recorded: Sendable, Hashable {
        public var kind: ElementEdit.Kind
        public var originalValue: String
        public var localValue: String
        public var anchor: ElementAnchor

        public init(kind: ElementEdit.Kind, originalValue: String, localValue: String, anchor: ElementAnchor) {
            self.kind = kind
            self.originalValue = originalValue
            self.localValue = localValue
            self.anchor = anchor
        }
    }

    /// Edits undoing recorded element edits (keyed by place) where the element still holds its
    /// anchor and exactly what mediamirror wrote; anything edited since is left alone. Returns the
    /// places undone. Call it on the post as it is before its URLs are restored (the anchor is
    /// the rewritten URL).
    public static func restoreEdits(
        tags: [HTMLStartTag], bytes: [UInt8], recorded: [String: Recorded]
    )
        -> [(place: String, edit: PostEdit)]
    {
        guard !recorded.isEmpty else { return [] }
        var edits: [(place: String, edit: PostEdit)] = []
        for (element, tag) in tags.enumerated() {
            for attribute in tag.attributes {
                let place = ElementEdit.place(tag: tag.name, element: element, attribute: attribute.name)
                guard let record = recorded[place], record.anchor.holds(in: tag, bytes: bytes) else { continue }
                let range: Range<Int>?
                switch record.kind {
                case .dimension: range = digitRange(of: attribute, in: bytes)
                case .provenance, .placeholderInserted, .inserted:
                    // The inserted text begins with the space before the name.
                    let full = attribute.range
                    range = full.lowerBound > 0 ? (full.lowerBound - 1)..<full.upperBound : nil
                case .placeholderReplaced: range = attribute.valueRange
                }
                guard let range, bytes[range].elementsEqual(record.localValue.utf8) else { continue }
                edits.append(
                    (
                        place,
                        PostEdit(
                            range: range, expected: Array(record.localValue.utf8),
                            replacement: Array(record.originalValue.utf8))
                    ))
            }
        }
        return edits
    }

    /// `value` × `numerator` / `denominator`, rounded, at least 1: one side of a box from the
    /// other and the image's aspect.
    static func scaled(_ value: Int, _ numerator: Int, over denominator: Int) -> Int {
        max(1, Int((Double(value) * Double(numerator) / Double(denominator)).rounded()))
    }

    /// The digits of a value written as `123` or `123px` (no leading zero, nothing else).
    static func digitRange(of attribute: HTMLAttribute, in bytes: [UInt8]) -> Range<Int>? {
        guard let valueRange = attribute.valueRange, !valueRange.isEmpty, valueRange.upperBound <= bytes.count else {
            return nil
        }
        var end = valueRange.upperBound
        if valueRange.count > 2, bytes[end - 2] == UInt8(ascii: "p"), bytes[end - 1] == UInt8(ascii: "x") { end -= 2 }
        let digits = valueRange.lowerBound..<end
        guard !digits.isEmpty, digits.count <= 9, bytes[digits.lowerBound] != UInt8(ascii: "0"),
            bytes[digits].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return digits
    }
}
