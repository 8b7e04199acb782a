/// One attribute of a start tag, with the byte range of its raw value so it can be edited in place.
public struct HTMLAttribute: Sendable, Equatable {
    /// The name, ASCII-lowercased as HTML does.
    public var name: String
    /// The raw value bytes, without quotes; nil for an attribute written without a value.
    public var valueRange: Range<Int>?
    /// The quote around the value (`"` or `'`), nil when unquoted or absent.
    public var quote: UInt8?
    /// The value with character references decoded.
    public var value: String

    public init(name: String, valueRange: Range<Int>?, quote: UInt8?, value: String) {
        self.name = name
        self.valueRange = valueRange
        self.quote = quote
        self.value = value
    }
}
