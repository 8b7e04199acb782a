extension String {
    /// Trims the ASCII whitespace HTML and URLs ignore (space, tab, LF, FF, CR), nothing else.
    func trimmingASCIIWhitespace() -> String {
        let utf8 = self.utf8
        let isSpaceByte: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0C || $0 == 0x0D }
        if let first = utf8.first, let last = utf8.last, !isSpaceByte(first), !isSpaceByte(last) { return self }
        let isSpace: (Unicode.Scalar) -> Bool = { [" ", "\t", "\n", "\u{0C}", "\r"].contains($0) }
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, isSpace(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, isSpace(last) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Whether the UTF-8 bytes contain `needle`, without going through Foundation.
    func containsBytes(_ needle: StaticString) -> Bool {
        var text = self
        return text.withUTF8 { haystack in
            needle.withUTF8Buffer { pattern in
                guard let first = pattern.first else { return true }
                guard haystack.count >= pattern.count else { return false }
                var index = 0
                while index + pattern.count <= haystack.count {
                    if haystack[index] == first {
                        var matched = true
                        for offset in 1..<pattern.count where haystack[index + offset] != pattern[offset] {
                            matched = false
                            break
                        }
                        if matched { return true }
                    }
                    index += 1
                }
                return false
            }
        }
    }
}
