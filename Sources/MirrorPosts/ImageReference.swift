/// One place in a post that names an image, with the exact bytes that name it.
public struct ImageReference: Sendable, Hashable {
    public var place: ReferencePlace
    /// Byte range of the raw value in the post (without quotes).
    public var valueRange: Range<Int>
    /// The raw bytes as written, as text.
    public var rawValue: String
    /// The value as the reader sees it (character references and YAML escapes decoded).
    public var value: String
    /// What to fetch; nil when the value is not something to mirror (see `skipReason`).
    public var target: ImageTarget?
    /// Why the value is not mirrored: a template, a data: URI, an already local path…
    public var skipReason: SkipReason?
    /// Declared size on the same element, if any.
    public var declaredSize: DeclaredSize?
    /// 1-based line of the value, for messages.
    public var line: Int
    /// How a replacement value must be written at this place.
    public var encoding: ValueEncoding
}
