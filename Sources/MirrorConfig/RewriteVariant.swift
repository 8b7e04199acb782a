import Foundation

/// One `rewrite.variants` rule, `SELECTOR=VARIANT`: the places SELECTOR names (a front-matter
/// key such as `thumbnail` or `cover.image`, an HTML attribute such as `src`, `srcset` or
/// `a@href`, `markdown`, `link` for Markdown image links, a template argument such as
/// `figure@src`, or `style@background-image`) point at
/// VARIANT: `original`, or the thumbnail of that width (one of `thumbnails.widths`; an image
/// narrower than that keeps its original).
public struct RewriteVariant: Sendable, Equatable {
    public var text: String
    public var selector: String
    /// nil: the original.
    public var width: Int?

    public init(text: String, selector: String, width: Int?) {
        self.text = text
        self.selector = selector
        self.width = width
    }

    public struct Invalid: Error, Sendable {
        public var reason: String
    }

    /// Whether this rule is about a place, given the names the place answers to (lower case).
    public func applies(to selectors: [String]) -> Bool {
        selectors.contains(selector)
    }

    public static func parse(_ text: String, widths: [Int]) -> Result<RewriteVariant, Invalid> {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty else {
            return .failure(Invalid(reason: "'\(text)' is not SELECTOR=VARIANT (e.g. thumbnail=320)"))
        }
        if parts[1] == "original" {
            return .success(RewriteVariant(text: text, selector: parts[0].lowercased(), width: nil))
        }
        guard let width = Int(parts[1]), widths.contains(width) else {
            return .failure(
                Invalid(reason: "'\(text)': the variant must be original or one of thumbnails.widths \(widths)"))
        }
        return .success(RewriteVariant(text: text, selector: parts[0].lowercased(), width: width))
    }
}
