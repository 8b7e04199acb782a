/// A start tag found by ``HTMLTokenizer``.
public struct HTMLStartTag: Sendable, Equatable {
    /// The tag name, ASCII-lowercased.
    public var name: String
    /// From `<` to `>` inclusive.
    public var range: Range<Int>
    /// Attributes in source order; a repeated name is kept only the first time, as browsers do.
    public var attributes: [HTMLAttribute]

    public init(name: String, range: Range<Int>, attributes: [HTMLAttribute]) {
        self.name = name
        self.range = range
        self.attributes = attributes
    }

    public func attribute(_ name: String) -> HTMLAttribute? {
        attributes.first { $0.name == name }
    }
}
