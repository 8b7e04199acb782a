import Foundation

/// The syntax a value sits in, which decides how a replacement is written.
public enum ValueEncoding: Sendable, Hashable {
    /// An HTML attribute value in the given quote (nil: unquoted).
    case htmlAttribute(quote: UInt8?)
    /// A YAML scalar in the given style.
    case yamlPlain, yamlSingleQuoted, yamlDoubleQuoted
    /// A Markdown link destination; `angle` when written as `<url>`.
    case markdownDestination(angle: Bool)

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
        }
    }
}
