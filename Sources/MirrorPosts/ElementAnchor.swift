/// An attribute and the raw value it holds, identifying one element of a post.
public struct ElementAnchor: Sendable, Hashable {
    public var attribute: String
    public var value: String

    public init(attribute: String, value: String) {
        self.attribute = attribute
        self.value = value
    }

    /// True when `tag` has the attribute with exactly this raw value.
    func holds(in tag: HTMLStartTag, bytes: [UInt8]) -> Bool {
        guard let range = tag.attribute(attribute)?.valueRange, range.upperBound <= bytes.count else { return false }
        return bytes[range].elementsEqual(value.utf8)
    }
}
