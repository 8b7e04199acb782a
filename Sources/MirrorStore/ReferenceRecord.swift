import GRDB

/// One image reference of a post, with the value it had before mediamirror touched it.
public struct ReferenceRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "image_references"
    public var post: String
    /// Where in the post: `front matter headimg`, `<img> #0 data-original`…
    public var place: String
    /// `front_matter`, `html_attribute`, `srcset`, `markdown`.
    public var kind: String
    public var line: Int
    /// The raw value as first found (what `restore` writes back).
    public var originalValue: String
    public var url: String?
    /// The value written in its place, nil while it still points at the original.
    public var localValue: String?
    public var asset: String?
    public var declaredWidth: Int?
    public var declaredHeight: Int?
    public var verdict: String?

    public init(
        post: String, place: String, kind: String, line: Int, originalValue: String, url: String?, localValue: String?,
        asset: String?, declaredWidth: Int?, declaredHeight: Int?, verdict: String?
    ) {
        self.post = post
        self.place = place
        self.kind = kind
        self.line = line
        self.originalValue = originalValue
        self.url = url
        self.localValue = localValue
        self.asset = asset
        self.declaredWidth = declaredWidth
        self.declaredHeight = declaredHeight
        self.verdict = verdict
    }

    enum CodingKeys: String, CodingKey {
        case post, place, kind, line, url, asset, verdict
        case originalValue = "original_value"
        case localValue = "local_value"
        case declaredWidth = "declared_width"
        case declaredHeight = "declared_height"
    }
}
