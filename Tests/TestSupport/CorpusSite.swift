import Foundation
import MirrorPosts

/// A writable copy of a folder of `../shared` (`samples` by default) as a blog's posts tree,
/// with the originals kept for comparison, and a scanner configured like mediamirror's defaults.
public struct CorpusSite: Sendable {
    public let directory: TemporaryDirectory
    public let posts: URL
    public let config: URL
    /// Relative post path → its bytes before any sync.
    public let originals: [String: Data]

    public init(_ label: String, configuration: String, source: String = "samples") throws {
        directory = try TemporaryDirectory(label)
        posts = directory.appending("site/source/_posts")
        try FileManager.default.createDirectory(
            at: posts.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Paths.shared.appendingPathComponent(source), to: posts)
        // The fixtures are read-only; the copies must be writable like a real blog.
        chmod(posts.path, 0o755)
        for relative in FileManager.default.subpaths(atPath: posts.path) ?? [] {
            chmod(posts.appendingPathComponent(relative).path, 0o755)
        }
        var originals: [String: Data] = [:]
        for relative in Self.postFiles(under: posts) {
            originals[relative] = try Data(contentsOf: posts.appendingPathComponent(relative))
        }
        self.originals = originals
        config = directory.appending("site/mediamirror.yaml")
        try configuration.write(to: config, atomically: true, encoding: .utf8)
    }

    public var media: URL { directory.appending("site/source/images/mirror") }
    public var database: URL { directory.appending("site/.mediamirror/manifest.sqlite") }

    public static func postFiles(under root: URL) -> [String] {
        (FileManager.default.subpaths(atPath: root.path) ?? []).filter {
            ["md", "markdown", "html", "htm"].contains(($0 as NSString).pathExtension.lowercased())
        }.sorted()
    }

    public static let scanner = ReferenceScanner(
        frontMatterKeys: [
            "headimg", "thumbnail", "cover", "banner", "image", "images", "photos", "feature_image", "og_image",
            "featured_image", "featuredImage", "featuredImagePreview", "cover_image", "header_image", "header-img",
            "heroImage", "hero_image", "social_image", "teaser",
        ],
        resolver: ImageURLResolver(
            unwrapPrefixes: ["https://cors.zfour.workers.dev/?"], baseURL: nil, localPrefix: "/images/mirror"))

    public static func isMarkdown(_ relative: String) -> Bool {
        let pathExtension = (relative as NSString).pathExtension.lowercased()
        return pathExtension == "md" || pathExtension == "markdown"
    }

    /// Files under the site whose name marks an unfinished write.
    public func temporaryFiles() -> [String] {
        (FileManager.default.subpaths(atPath: directory.appending("site").path) ?? []).filter {
            ($0 as NSString).lastPathComponent.hasPrefix(".mm-tmp-")
        }
    }

    public func remove() {
        directory.remove()
    }
}
