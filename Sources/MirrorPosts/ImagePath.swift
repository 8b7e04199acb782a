/// Whether a value names an image file by its URL path: the places that may or may not be an
/// image (a link's target, a template argument of any name) count only when they do.
enum ImagePath {
    static let extensions = ["jpg", "jpeg", "png", "gif", "webp", "avif", "bmp", "svg"]

    /// True when the URL path of `value` (query and fragment allowed) ends in an image
    /// extension, any case. `strict`: the value, template expressions removed, must also be
    /// non-empty and hold no whitespace.
    static func isImage(_ value: String, strict: Bool = false) -> Bool {
        let bytes = Array(value.utf8)
        return isImage(bytes, 0..<bytes.count, strict: strict)
    }

    /// ``isImage(_:strict:)`` on a value's bytes in a post: most links of a post are read this
    /// way, so it builds no text unless the value holds a template expression.
    static func isImage(_ bytes: [UInt8], _ range: Range<Int>, strict: Bool = false) -> Bool {
        if ByteSearch.firstIndex(of: UInt8(ascii: "{"), in: bytes, from: range.lowerBound, to: range.upperBound) != nil
        {
            let text = withoutTemplateExpressions(String(decoding: bytes[range], as: UTF8.self).trimmingWhitespace)
            let plain = Array(text.utf8)
            return isPlainImage(plain, 0..<plain.count, strict: strict)
        }
        return isPlainImage(bytes, range, strict: strict)
    }

    private static let extensionBytes: [[UInt8]] = extensions.map { Array(("." + $0).utf8) }

    private static func isPlainImage(_ all: [UInt8], _ range: Range<Int>, strict: Bool) -> Bool {
        var start = range.lowerBound
        var end = range.upperBound
        TemplateText.skipWhitespace(all, &start, end)
        while end > start, TemplateText.whitespaceLength(all, end - 1, end) == 1 { end -= 1 }
        if strict {
            guard start < end else { return false }
            var index = start
            while index < end {
                if TemplateText.whitespaceLength(all, index, end) > 0 { return false }
                index += 1
            }
        }
        // The path: before any fragment or query, after `scheme://authority`.
        var pathEnd = end
        for index in start..<end where all[index] == UInt8(ascii: "#") || all[index] == UInt8(ascii: "?") {
            pathEnd = index
            break
        }
        var pathStart = start
        if let colon = schemeEnd(all, start, pathEnd) {
            pathStart = colon
            if colon + 1 < pathEnd, all[colon] == UInt8(ascii: "/"), all[colon + 1] == UInt8(ascii: "/") {
                guard let slash = all[(colon + 2)..<pathEnd].firstIndex(of: UInt8(ascii: "/")) else { return false }
                pathStart = slash
            }
        }
        return extensionBytes.contains { suffix in
            guard pathEnd - pathStart >= suffix.count else { return false }
            var offset = pathEnd - suffix.count
            for expected in suffix {
                if HTMLCursor.lowercase(all[offset]) != expected { return false }
                offset += 1
            }
            return true
        }
    }

    /// The index after `scheme:` when `bytes[start..<end]` starts with one.
    private static func schemeEnd(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int? {
        guard start < end, TemplateText.isASCIILetter(bytes[start]) else { return nil }
        var index = start + 1
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") { return index + 1 }
            guard
                TemplateText.isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "+")
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            else { return nil }
            index += 1
        }
        return nil
    }

    /// A URL, a path with a `/`, or a file name with a 2–5 character extension (not a bare word
    /// such as `two-column`).
    static func looksLikePath(_ value: String) -> Bool {
        let text = value.trimmingWhitespace
        guard !text.isEmpty else { return false }
        if text.contains("/") || ImageURLResolver.hasScheme(text) { return true }
        guard let dot = text.lastIndex(of: ".") else { return false }
        let suffix = text[text.index(after: dot)...]
        return (2...5).contains(suffix.count) && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
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
