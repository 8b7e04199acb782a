/// One attribute of a start tag, with the byte range of its raw value so it can be edited in place.
public struct HTMLAttribute: Sendable, Equatable {
    /// The name, ASCII-lowercased as HTML does.
    public var name: String
    /// Byte range of the name as written.
    public var nameRange: Range<Int>
    /// The raw value bytes, without quotes; nil for an attribute written without a value.
    public var valueRange: Range<Int>?
    /// The quote around the value (`"` or `'`), nil when unquoted or absent.
    public var quote: UInt8?
    /// The value with character references decoded.
    public var value: String

    public init(name: String, nameRange: Range<Int>, valueRange: Range<Int>?, quote: UInt8?, value: String) {
        self.name = name
        self.nameRange = nameRange
        self.valueRange = valueRange
        self.quote = quote
        self.value = value
    }

    /// From the first byte of the name to the last byte of the value, closing quote included.
    public var range: Range<Int> {
        guard let valueRange else { return nameRange }
        return nameRange.lowerBound..<(valueRange.upperBound + (quote == nil ? 0 : 1))
    }
}
