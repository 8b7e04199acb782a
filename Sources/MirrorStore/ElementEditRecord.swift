import GRDB

/// An edit mediamirror made to an element besides its URLs (a corrected declared size, an
/// inserted provenance attribute), with the bytes it replaced so `restore` can undo it.
public struct ElementEditRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "element_edits"
    public var post: String
    /// `<img> #3 data-width`.
    public var place: String
    /// `dimension` or `provenance`.
    public var kind: String
    /// The bytes before the first edit ("" for an inserted attribute).
    public var originalValue: String
    /// The bytes written.
    public var localValue: String
    /// An attribute of the element and the raw value it holds after the rewrite (its preferred
    /// URL, now a content-addressed local path): `restore` undoes the edit only on the element
    /// that still holds it.
    public var anchorAttribute: String
    public var anchorValue: String

    public init(
        post: String, place: String, kind: String, originalValue: String, localValue: String, anchorAttribute: String,
        anchorValue: String
    ) {
        self.post = post
        self.place = place
        self.kind = kind
        self.originalValue = originalValue
        self.localValue = localValue
        self.anchorAttribute = anchorAttribute
        self.anchorValue = anchorValue
    }

    enum CodingKeys: String, CodingKey {
        case post, place, kind
        case originalValue = "original_value"
        case localValue = "local_value"
        case anchorAttribute = "anchor_attribute"
        case anchorValue = "anchor_value"
    }
}
