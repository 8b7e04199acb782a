/// The attributes of one `<img>` or `<source>` tag that name an image or declare its size, as
/// raw byte ranges, each at its first occurrence (a repeated name is ignored, as browsers do).
/// Reading a tag builds no text: the scanner decodes only the values it turns into references.
struct ImageTagAttributes {
    /// Every name recorded, in slots: the scanner's single-URL attributes, its candidate-list
    /// attributes, then its size pairs (width before height).
    static let names: [String] =
        ReferenceScanner.singleURLAttributes + ReferenceScanner.srcsetAttributes
        + ReferenceScanner.sizeAttributes.flatMap { [$0.0, $0.1] } + linkedNames
    static let singleURLSlots = 0..<ReferenceScanner.singleURLAttributes.count
    static let srcsetSlots =
        singleURLSlots
        .upperBound..<(singleURLSlots.upperBound
        + ReferenceScanner.srcsetAttributes.count)
    /// The slot of a size pair's width; its height is the next slot.
    static let sizePairSlots = stride(
        from: srcsetSlots.upperBound, to: srcsetSlots.upperBound + 2 * ReferenceScanner.sizeAttributes.count, by: 2)
    /// The further places an `<img>` holds: WordPress's links to its other sizes and a style.
    static let linkedNames = ReferenceScanner.wordPressAttributes + ["data-orig-size", "style"]
    static let linkedSlots = (names.count - linkedNames.count)..<names.count
    static let originalSizeSlot = linkedSlots.lowerBound + ReferenceScanner.wordPressAttributes.count
    private static let nameBytes: [[UInt8]] = names.map { Array($0.utf8) }

    private var found: [HTMLCursor.Attribute?] = Array(repeating: nil, count: names.count)

    /// Reads the rest of the start tag whose name `cursor` has just passed; false when the input
    /// ends inside it.
    mutating func read(_ cursor: inout HTMLCursor) -> Bool {
        for slot in found.indices { found[slot] = nil }
        while true {
            switch cursor.nextTagBodyStep() {
            case .attribute(let attribute):
                if let slot = Self.slot(of: attribute.name, in: cursor.bytes), found[slot] == nil {
                    found[slot] = attribute
                }
            case .closed:
                return true
            case .endOfInput:
                return false
            }
        }
    }

    subscript(slot: Int) -> HTMLCursor.Attribute? {
        found[slot]
    }

    /// The slot of a name as written (ASCII case ignored), nil for a name not recorded.
    private static func slot(of name: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        nameBytes.firstIndex { HTMLCursor.spells($0, bytes, name) }
    }
}
