import MirrorConfig
import MirrorPosts

extension ReferenceScanner {
    /// The scanner a configuration describes; sync, restore and gc must all see posts alike.
    init(configuration: MirrorConfiguration) {
        var resolver = ImageURLResolver(
            unwrapPrefixes: configuration.scan.unwrap, baseURL: configuration.site.baseURL,
            localPrefix: configuration.site.urlPrefix)
        resolver.resolvesPostRelativePaths = !configuration.site.generator.keepsPostRelativeImages
        self.init(frontMatterKeys: configuration.scan.frontMatterKeys, resolver: resolver)
    }
}
