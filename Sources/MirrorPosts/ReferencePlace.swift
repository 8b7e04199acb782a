/// Where in a post an image reference was found.
public enum ReferencePlace: Sendable, Hashable, CustomStringConvertible {
    /// A front-matter key; `index` is the position in a list value, nil for a scalar.
    case frontMatter(key: String, index: Int?)
    /// An attribute of an HTML element; `element` counts elements of the post from 0.
    case htmlAttribute(tag: String, attribute: String, element: Int)
    /// One candidate of a `srcset`-like attribute.
    case srcsetCandidate(tag: String, attribute: String, element: Int, candidate: Int)
    /// A Markdown image `![alt](url)`; `image` counts Markdown images from 0.
    case markdownImage(image: Int)
    /// A reference-style Markdown image `![alt][label]`; the URL is in the `[label]: url`
    /// definition, which is what gets edited. `image` counts reference-style images from 0.
    case markdownReference(label: String, image: Int)

    public var description: String {
        switch self {
        case .frontMatter(let key, let index):
            return index.map { "front matter \(key)[\($0)]" } ?? "front matter \(key)"
        case .htmlAttribute(let tag, let attribute, let element):
            return "<\(tag)> #\(element) \(attribute)"
        case .srcsetCandidate(let tag, let attribute, let element, let candidate):
            return "<\(tag)> #\(element) \(attribute)[\(candidate)]"
        case .markdownImage(let image):
            return "markdown image #\(image)"
        case .markdownReference(let label, let image):
            return "markdown image reference #\(image) [\(label)]"
        }
    }

    /// A short machine-readable name for the manifest and JSON reports.
    public var kind: String {
        switch self {
        case .frontMatter: return "front_matter"
        case .htmlAttribute: return "html_attribute"
        case .srcsetCandidate: return "srcset"
        case .markdownImage: return "markdown"
        case .markdownReference: return "markdown_reference"
        }
    }
}
