/// `rewrite.*`: how posts are edited.
public struct RewriteSettings: Sendable, Equatable {
    /// Also correct declared `data-width`/`data-height` values that do not match the image.
    public var fixDimensions: Bool

    public init(fixDimensions: Bool = false) {
        self.fixDimensions = fixDimensions
    }
}
