/// `rewrite.*`: how posts are edited.
public struct RewriteSettings: Sendable, Equatable {
    /// Also correct declared `data-width`/`data-height` values that do not match the image.
    public var fixDimensions: Bool
    /// Which file each kind of place points at: the original unless a rule names a thumbnail.
    public var variants: [RewriteVariant]
    /// `rewrite.provenance_attribute`: an attribute (`data-…`) added to each rewritten `<img>`
    /// or `<source>` holding the URL it showed before; nil: none.
    public var provenanceAttribute: String?
    /// `rewrite.fill_placeholder_src`: an `<img>` whose lazy attribute was mirrored and whose
    /// `src` is missing, empty, a `data:` placeholder or not an image gets the local copy as its
    /// `src`, so the page shows the image without the theme's JavaScript.
    public var fillPlaceholderSource = false
    /// `rewrite.srcset`: a mirrored `<img>` without a `srcset` gets one listing its thumbnails
    /// and original with `w` descriptors, and `sizes` when it has none.
    public var srcset = false
    /// Which thumbnails `srcset` lists (`rewrite.srcset_format`); nil: the first of
    /// `thumbnails.formats`.
    public var srcsetFormat: String?
    /// `rewrite.sizes`: the `sizes` written beside an inserted `srcset`.
    public var sizes = RewriteSettings.defaultSizes
    /// `rewrite.add_dimensions`: an `<img>` that declares no `width`/`height` gets them (the
    /// displayed size, or the missing one scaled from the one declared), so the browser reserves
    /// its box before the image arrives.
    public var addDimensions = false

    /// Full width up to a typical article column of 800 px, then 800 px.
    public static let defaultSizes = "(max-width: 800px) 100vw, 800px"

    public init(fixDimensions: Bool = false, variants: [RewriteVariant] = [], provenanceAttribute: String? = nil) {
        self.fixDimensions = fixDimensions
        self.variants = variants
        self.provenanceAttribute = provenanceAttribute
    }

    /// Attributes the post scanner reads (URLs and declared sizes): a provenance attribute of one
    /// of these names would be read back as an image reference or a size.
    public static let scannedAttributes: Set<String> = [
        "data-original", "data-src", "data-lazy-src", "data-original-src", "data-actualsrc", "data-srcset",
        "data-width", "data-height", "data-original-width", "data-original-height", "data-orig-file",
        "data-large-file", "data-medium-file", "data-orig-size",
    ]

    /// Why `name` cannot be the provenance attribute, or nil when it can.
    public static func provenanceProblem(_ name: String) -> String? {
        let valid =
            name.hasPrefix("data-") && name.count > 5
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        guard valid else { return "must be a lower-case data-* attribute name, got '\(name)'" }
        guard !scannedAttributes.contains(name) else {
            return "'\(name)' is an attribute mediamirror reads images from"
        }
        return nil
    }
}
