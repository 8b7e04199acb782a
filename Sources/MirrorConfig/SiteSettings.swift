/// `site.*`: where the posts and the mirrored media live.
public struct SiteSettings: Sendable, Equatable {
    /// Absolute path of the posts tree, scanned recursively.
    public var posts: String
    /// Absolute path of the directory originals and thumbnails are written to.
    public var media: String
    /// How rewritten posts refer to files under `media`, e.g. `/images/mirror`.
    public var urlPrefix: String
    /// Base URL used to resolve relative image URLs; empty when relative URLs are left alone.
    public var baseURL: String
    /// The generator the site is built with (`hexo` when not set: the first version's layout).
    public var generator: SiteGenerator

    public init(
        posts: String, media: String, urlPrefix: String = "/images/mirror", baseURL: String = "",
        generator: SiteGenerator = .hexo
    ) {
        self.posts = posts
        self.media = media
        self.urlPrefix = urlPrefix
        self.baseURL = baseURL
        self.generator = generator
    }
}
