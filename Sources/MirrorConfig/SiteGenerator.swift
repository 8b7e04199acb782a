/// `site.generator`: the static-site generator a site is built with, which decides where its
/// posts and static files live by default.
public enum SiteGenerator: String, Sendable, Equatable, CaseIterable {
    case hexo, hugo, jekyll, eleventy, custom

    /// `site.posts` when the configuration names none.
    public var defaultPosts: String {
        switch self {
        case .hexo, .custom: return "source/_posts"
        case .hugo, .eleventy: return "content"
        case .jekyll: return "_posts"
        }
    }

    /// `site.media` when the configuration names none: inside the folder the generator copies
    /// to the site as it is.
    public var defaultMedia: String {
        switch self {
        case .hexo, .custom: return "source/images/mirror"
        case .hugo: return "static/images/mirror"
        case .jekyll: return "assets/images/mirror"
        case .eleventy: return "public/images/mirror"
        }
    }

    /// `site.url_prefix` when the configuration names none: where `defaultMedia` is served.
    public var defaultURLPrefix: String {
        self == .jekyll ? "/assets/images/mirror" : "/images/mirror"
    }

    /// Whether an image path relative to its post belongs to the post (Hugo's page bundles) and
    /// is never resolved against `site.base_url`.
    public var keepsPostRelativeImages: Bool { self == .hugo }
}
