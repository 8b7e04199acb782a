/// `scan.*`: what counts as an image reference.
public struct ScanSettings: Sendable, Equatable {
    /// Hexo's keys first (the first version's list), then those of Hugo, Jekyll and Eleventy
    /// themes.
    public static let defaultFrontMatterKeys = [
        "headimg", "thumbnail", "cover", "banner", "image", "images", "photos", "feature_image", "og_image",
        "featured_image", "featuredImage", "featuredImagePreview", "cover_image", "header_image", "header-img",
        "heroImage", "hero_image", "social_image", "teaser",
    ]
    public static let defaultUnwrap = ["https://cors.zfour.workers.dev/?"]

    /// Front-matter keys whose values (scalars or lists) are image URLs; below them (and below
    /// `header:`, `hero:`, `gallery:`) the usual image keys of a mapping are read too.
    public var frontMatterKeys: [String]
    /// Proxy-wrapper prefixes; the URL after the prefix is the origin.
    public var unwrap: [String]

    public init(frontMatterKeys: [String] = Self.defaultFrontMatterKeys, unwrap: [String] = Self.defaultUnwrap) {
        self.frontMatterKeys = frontMatterKeys
        self.unwrap = unwrap
    }
}
