/// Where in a post an image reference was found.
public enum ReferencePlace: Sendable, Hashable, CustomStringConvertible {
    /// A front-matter key (`cover.image` one level down); `index` is the position in a list
    /// value, nil for a scalar.
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
    /// An attribute beyond `<img>`/`<source>` URLs: `<a href>` to an image, WordPress
    /// `data-orig-file`, `<video poster>`. `element` counts the post's elements that hold such
    /// attributes (or style URLs) from 0, apart from ``htmlAttribute(tag:attribute:element:)``.
    case linkedAttribute(tag: String, attribute: String, element: Int)
    /// One CSS `url()` of a `style` attribute, named by its property; `url` counts them in the
    /// attribute.
    case styleURL(tag: String, property: String, element: Int, url: Int)
    /// A Markdown link whose destination is an image (`[![thumb](t.jpg)](full.jpg)`).
    case markdownLink(link: Int)
    /// An argument of a template call: a Hugo shortcode or a Liquid/Nunjucks tag. `parameter`
    /// is the argument's name, `#n` for the n-th positional one, or `src` for the image of
    /// `{% img %}`/`{% image %}`; `call` counts the post's calls of that syntax from 0;
    /// `occurrence` counts earlier arguments of the call with the same parameter (a repeated
    /// `path=`), so every place of a post has its own description.
    case templateArgument(syntax: TemplateSyntax, name: String, parameter: String, call: Int, occurrence: Int)

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
        case .linkedAttribute(let tag, let attribute, let element):
            return "<\(tag)> (element \(element)) \(attribute)"
        case .styleURL(let tag, let property, let element, let url):
            return "<\(tag)> (element \(element)) style \(property)[\(url)]"
        case .markdownLink(let link):
            return "markdown image link #\(link)"
        case .templateArgument(let syntax, let name, let parameter, let call, let occurrence):
            let repeated = occurrence > 0 ? "[\(occurrence)]" : ""
            return "\(syntax.open) \(name) \(syntax.close) #\(call) \(parameter)\(repeated)"
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
        case .linkedAttribute(_, let attribute, _): return attribute == "href" ? "image_link" : "html_attribute"
        case .styleURL: return "css_url"
        case .markdownLink: return "markdown_link"
        case .templateArgument(let syntax, _, _, _, _): return syntax == .shortcode ? "shortcode" : "tag_plugin"
        }
    }

    /// The names a `rewrite.variants` selector may use for this place (lower case): a
    /// front-matter key, an attribute (`src`, `img@src`, `a@href`), `markdown`, `link`, a
    /// template call's `name@parameter` (`figure@src`) or `style@property`.
    public var variantSelectors: [String] {
        switch self {
        case .frontMatter(let key, _): return [key.lowercased()]
        case .htmlAttribute(let tag, let attribute, _), .srcsetCandidate(let tag, let attribute, _, _):
            return [attribute, "\(tag)@\(attribute)"]
        case .markdownImage, .markdownReference: return ["markdown"]
        case .linkedAttribute(let tag, let attribute, _): return ["\(tag)@\(attribute)", attribute]
        case .styleURL(_, let property, _, _): return ["style@\(property)", "style"]
        case .markdownLink: return ["link", "markdown-link"]
        case .templateArgument(_, let name, let parameter, _, _):
            return ["\(name.lowercased())@\(parameter.lowercased())"]
        }
    }

    /// Whether this place is a link to an image rather than the image shown.
    public var isImageLink: Bool {
        switch self {
        case .markdownLink: return true
        case .linkedAttribute(_, let attribute, _): return attribute == "href"
        default: return false
        }
    }
}
