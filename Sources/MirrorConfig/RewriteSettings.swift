/// `rewrite.*`: how posts are edited.
public struct RewriteSettings: Sendable, Equatable {
    /// Also correct declared `data-width`/`data-height` values that do not match the image.
    public var fixDimensions: Bool
    /// Which file each kind of place points at: the original unless a rule names a thumbnail.
    public var variants: [RewriteVariant]

    public init(fixDimensions: Bool = false, variants: [RewriteVariant] = []) {
        self.fixDimensions = fixDimensions
        self.variants = variants
    }
}
