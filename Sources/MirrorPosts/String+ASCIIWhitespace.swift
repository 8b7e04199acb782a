extension String {
    /// Trims the ASCII whitespace HTML and URLs ignore (space, tab, LF, FF, CR), nothing else.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Unicode.Scalar) -> Bool = { [" ", "\t", "\n", "\u{0C}", "\r"].contains($0) }
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, isSpace(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, isSpace(last) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
