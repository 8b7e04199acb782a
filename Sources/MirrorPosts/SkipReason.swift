/// Why a value in an image place is not mirrored. The descriptions are the texts reports and
/// the scan dump have always shown.
public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
    case empty
    /// A template expression (`{{ … }}`, `{% … %}`): the generator fills it in.
    case templateExpression
    /// Already points at the mirror (`site.url_prefix`).
    case alreadyLocal
    /// A URI of a scheme that names no remote image: `data:`, `javascript:`, `blob:`,
    /// `about:`, `mailto:`, `file:` (the scheme with its colon).
    case nonHTTPScheme(String)
    case fragment
    /// An http(s) URL whose host does not survive IDNA mapping.
    case invalidHostName
    case relativeWithoutBaseURL
    /// A path relative to the post itself in a Hugo page bundle: the file travels with the post.
    case pageBundleRelative
    case notHTTP
    /// The raw bytes are not UTF-8: the manifest could not give them back exactly.
    case notUTF8

    public var description: String {
        switch self {
        case .empty: return "empty"
        case .templateExpression: return "template expression"
        case .alreadyLocal: return "already local"
        case .nonHTTPScheme(let scheme): return "\(scheme) URI"
        case .fragment: return "fragment"
        case .invalidHostName: return "no valid host name (IDNA)"
        case .relativeWithoutBaseURL: return "relative URL and no site.base_url"
        case .pageBundleRelative: return "relative to its post (a page bundle's own file)"
        case .notHTTP: return "not an http(s) URL"
        case .notUTF8: return "value is not valid UTF-8"
        }
    }
}
