/// The width and height a post declares for an image.
public struct DeclaredSize: Sendable, Hashable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `1920` or `1920px`; percentages and anything else are not a declared size.
    public static func parseLength(_ text: String) -> Int? {
        var value = Substring(text.trimmingASCIIWhitespace())
        if value.hasSuffix("px") { value = value.dropLast(2) }
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(value), number > 0
        else {
            return nil
        }
        return number
    }
}
