/// Which front-matter keys hold images: the configured keys (a string or a list of strings),
/// and one level down, below those and a few section keys (`header:`, `hero:`, `gallery:`), the
/// keys themes use for an image (`cover: image:`, `images: [{path: …}]`).
struct FrontMatterKeys {
    /// Sections whose image keys are read one level down even when not configured.
    static let sections = ["header", "hero", "gallery"]
    /// Keys read one level down; `url` only when its value is an image path (a gallery's `url`
    /// is often a page).
    static let nestedKeys = [
        "image", "src", "url", "path", "image_path", "teaser", "overlay_image", "og_image", "thumbnail", "cover",
        "banner", "feature", "featured_image",
    ]

    let topLevel: [String]
    let nestedParents: [String]

    init(_ configured: [String]) {
        topLevel = configured
        nestedParents = configured + Self.sections.filter { !configured.contains($0) }
    }

    /// Every key whose presence in the text means the front matter must be read.
    var all: [String] { nestedParents }

    // A handful of keys: comparing them beats hashing them into a set per post.
    func isTopLevel(_ key: String) -> Bool { topLevel.contains(key) }

    func isNestedParent(_ key: String) -> Bool { nestedParents.contains(key) }
}
