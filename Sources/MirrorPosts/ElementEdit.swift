/// An edit to an `<img>`/`<source>` element beyond its URL values: a corrected declared size,
/// an inserted provenance attribute or a lazy-load placeholder `src` filled with the local copy.
/// Kept in the manifest so `restore` can undo it.
public struct ElementEdit: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable {
        /// The digits of a declared width or height.
        case dimension
        /// A whole attribute (` name="value"`) inserted after the tag name.
        case provenance
        /// A `src` attribute (` src="…"`) inserted where a lazy-loading `<img>` had none.
        case placeholderInserted
        /// The value of a placeholder `src` (empty, `data:` or not an image) replaced.
        case placeholderReplaced
        /// A responsive or layout attribute (` srcset="…"`, `sizes`, `width`, `height`)
        /// inserted after the tag name where the element had none.
        case inserted
    }

    /// `<img> #3 data-width`: the element as numbered by the scanner and the attribute edited.
    public var place: String
    public var kind: Kind
    /// The bytes the edit replaces ("" for an insertion).
    public var originalValue: String
    /// The bytes the edit writes.
    public var localValue: String
    /// An attribute of the element and its raw value after the rewrite (the element's preferred
    /// URL attribute and the content-addressed local path written there): `restore` undoes the
    /// edit only on the element that still holds it, so an element added or removed before it,
    /// which renumbers the elements, cannot send the undo to the wrong one.
    public var anchor: ElementAnchor
    public var edit: PostEdit

    public init(
        place: String, kind: Kind, originalValue: String, localValue: String, anchor: ElementAnchor, edit: PostEdit
    ) {
        self.place = place
        self.kind = kind
        self.originalValue = originalValue
        self.localValue = localValue
        self.anchor = anchor
        self.edit = edit
    }

    static func place(tag: String, element: Int, attribute: String) -> String {
        ReferencePlace.htmlAttribute(tag: tag, attribute: attribute, element: element).description
    }
}
