/// Replace the bytes at `range`, which must still be `expected`, with `replacement`.
public struct PostEdit: Sendable, Hashable {
    public var range: Range<Int>
    public var expected: [UInt8]
    public var replacement: [UInt8]

    public init(range: Range<Int>, expected: [UInt8], replacement: [UInt8]) {
        self.range = range
        self.expected = expected
        self.replacement = replacement
    }
}
