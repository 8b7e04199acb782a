/// `scan.*`: what counts as an image reference.
public struct ScanSettings: Sendable, Equatable {
    public static let defaultFrontMatterKeys = [
        "headimg", "thumbnail", "cover", "banner", "image", "images", "photos", "feature_image", "og_image",
    ]
    public static let defaultUnwrap = ["https://cors.zfour.workers.dev/?"]

    /// Front-matter keys whose values (scalars or lists) are image URLs.
    public var frontMatterKeys: [String]
    /// Proxy-wrapper prefixes; the URL after the prefix is the origin.
    public var unwrap: [String]

    public init(frontMatterKeys: [String] = Self.defaultFrontMatterKeys, unwrap: [String] = Self.defaultUnwrap) {
        self.frontMatterKeys = frontMatterKeys
        self.unwrap = unwrap
    }
}
