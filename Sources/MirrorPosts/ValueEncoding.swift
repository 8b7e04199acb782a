import Foundation

/// The syntax a value sits in, which decides how a replacement is written.
public enum ValueEncoding: Sendable, Hashable {
    /// An HTML attribute value in the given quote (nil: unquoted).
    case htmlAttribute(quote: UInt8?)
    /// A YAML scalar in the given style.
    case yamlPlain, yamlSingleQuoted, yamlDoubleQuoted
    /// A Markdown link destination; `angle` when written as `<url>`.
    case markdownDestination(angle: Bool)
    /// A template call's argument in the given quote (`"`, `'` or `` ` ``; nil: a bare word).
    case templateArgument(quote: UInt8?)
    /// A TOML basic (`"…"`) or literal (`'…'`) string.
    case tomlBasic, tomlLiteral
    /// A CSS `url()` in the given quote (nil: unquoted) inside an HTML attribute value.
    case cssURL(quote: UInt8?, attributeQuote: UInt8?)

    /// The bytes to write for `value` here, or nil when the value cannot be written in this syntax
    /// without changing bytes outside the value (which is never done).
    public func encode(_ value: String) -> String? {
        switch self {
        case .htmlAttribute(let quote):
            return CharacterReferences.encodeAttribute(value, quote: quote)
        case .yamlPlain:
            let unsafe =
                value.contains(": ") || value.contains(" #") || value.hasSuffix(":")
                || value.first.map { "-?:,[]{}#&*!|>'\"%@`".contains($0) || $0 == " " } ?? true
            return unsafe ? nil : value
        case .yamlSingleQuoted:
            return value.replacingOccurrences(of: "'", with: "''")
        case .yamlDoubleQuoted:
            return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        case .markdownDestination(let angle):
            if angle { return value.contains(">") || value.contains("\n") ? nil : value }
            return value.contains(" ") || value.contains("(") || value.contains(")") ? nil : value
        case .templateArgument(let quote):
            // Liquid has no escapes and shortcode escapes differ by generator: a value needing
            // one is not written.
            let forbidden: Set<Character> =
                quote.map { [Character(Unicode.Scalar($0)), "\\", "\n", "\r"] }
                ?? [" ", "\t", "\n", "\r", "\"", "'", "`", "%", "}", ">", ",", "\\"]
            return value.isEmpty || value.contains(where: forbidden.contains) ? nil : value
        case .tomlBasic:
            guard value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else { return nil }
            return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        case .tomlLiteral:
            return value.contains("'") || value.contains("\n") ? nil : value
        case .cssURL:
            // What any quoting around it could misread is never written.
            return value.isEmpty || value.contains(where: { " \t\n\r\"'()\\&<>".contains($0) }) ? nil : value
        }
    }
}
