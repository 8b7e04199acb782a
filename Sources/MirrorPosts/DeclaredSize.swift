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
        parseLength(Array(text.utf8)[...])
    }

    /// ``parseLength(_:)`` on the raw bytes of a value without character references, so the
    /// scanner builds no text for it. Surrounding ASCII whitespace is ignored.
    static func parseLength(_ bytes: ArraySlice<UInt8>) -> Int? {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0C || $0 == 0x0D }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        if end - start >= 2, bytes[end - 2] == UInt8(ascii: "p"), bytes[end - 1] == UInt8(ascii: "x") { end -= 2 }
        guard start < end else { return nil }
        var number = 0
        for byte in bytes[start..<end] {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let (shifted, overflowA) = number.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(Int(byte - 0x30))
            // Too long for an Int: not a length.
            if overflowA || overflowB { return nil }
            number = sum
        }
        return number > 0 ? number : nil
    }
}
