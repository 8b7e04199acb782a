import MirrorConfig

/// What `mediamirror init` found of a site: its generator and where its posts and static files
/// are, with what it read to decide.
public struct SiteLayout: Sendable, Equatable {
    public var generator: SiteGenerator
    /// Relative to the site's root.
    public var posts: String
    /// Relative to the site's root.
    public var media: String
    public var urlPrefix: String
    public var baseURL: String
    /// One line per thing read or assumed, for the user.
    public var findings: [String]
}
