/// Text and attribute values written into HTML: every value a report shows (post paths, URLs,
/// messages) is hostile input, so each is escaped, whatever its context.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// An `href` for a URL the page links to (never loads): only http(s), anything else is shown
    /// as text only (a `javascript:` value must not become a link).
    static func linkTarget(_ url: String) -> String? {
        let lowered = url.prefix(8).lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return nil }
        return escape(url)
    }
}
