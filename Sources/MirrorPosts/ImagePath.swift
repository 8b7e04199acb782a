/// Whether a value names an image file by its URL path: the places that may or may not be an
/// image (a link's target, a template argument of any name) count only when they do.
enum ImagePath {
    static let extensions = ["jpg", "jpeg", "png", "gif", "webp", "avif", "bmp", "svg"]

    /// True when the URL path of `value` (query and fragment allowed) ends in an image
    /// extension, any case. `strict`: the value, template expressions removed, must also be
    /// non-empty and hold no whitespace.
    static func isImage(_ value: String, strict: Bool = false) -> Bool {
        let text = Substring(withoutTemplateExpressions(value.trimmingWhitespace))
        if strict, text.isEmpty || text.unicodeScalars.contains(where: { $0.properties.isWhitespace }) { return false }
        var path = text
        if let hash = path.firstIndex(of: "#") { path = path[..<hash] }
        if let query = path.firstIndex(of: "?") { path = path[..<query] }
        if let scheme = schemeEnd(path) {
            path = path[scheme...]
            if path.hasPrefix("//") {
                let authority = path.dropFirst(2)
                guard let slash = authority.firstIndex(of: "/") else { return false }
                path = authority[slash...]
            }
        }
        let lower = path.lowercased()
        return extensions.contains { lower.hasSuffix("." + $0) }
    }

    /// A URL, a path with a `/`, or a file name with a 2–5 character extension (not a bare word
    /// such as `two-column`).
    static func looksLikePath(_ value: String) -> Bool {
        let text = value.trimmingWhitespace
        guard !text.isEmpty else { return false }
        if text.contains("/") || schemeEnd(Substring(text)) != nil { return true }
        guard let dot = text.lastIndex(of: ".") else { return false }
        let suffix = text[text.index(after: dot)...]
        return (2...5).contains(suffix.count) && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// The index after `scheme:` when the text starts with one.
    static func schemeEnd(_ text: Substring) -> Substring.Index? {
        guard let first = text.first, first.isASCII, first.isLetter else { return nil }
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if character == ":" { return text.index(after: index) }
            guard character.isASCII, character.isLetter || character.isNumber || "+.-".contains(character) else {
                return nil
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// The text with `{{ … }}` and `{% … %}` expressions (each on one line) removed.
    private static func withoutTemplateExpressions(_ value: String) -> String {
        guard value.contains("{{") || value.contains("{%") else { return value }
        let characters = Array(value.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < characters.count {
            if index + 1 < characters.count, characters[index] == "{",
                characters[index + 1] == "{" || characters[index + 1] == "%"
            {
                let closing: Unicode.Scalar = characters[index + 1] == "{" ? "}" : "%"
                var end = index + 2
                while end + 1 < characters.count, characters[end] != "\n",
                    !(characters[end] == closing && characters[end + 1] == "}")
                {
                    end += 1
                }
                if end + 1 < characters.count, characters[end] == closing, characters[end + 1] == "}" {
                    index = end + 2
                    continue
                }
            }
            result.append(characters[index])
            index += 1
        }
        return String(result)
    }
}

extension String {
    /// Trimmed of Unicode whitespace at both ends.
    var trimmingWhitespace: String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
