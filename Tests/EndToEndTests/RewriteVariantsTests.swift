import Foundation
import TestSupport
import Testing

/// `rewrite.variants` points chosen places at a thumbnail: `thumbnail:` gets the 320 px file,
/// everything else the original; restore still gives the post back byte for byte.
@Suite(.serialized)
struct RewriteVariantsTests {
    @Test func frontMatterThumbnailGetsTheSmallFile() throws {
        let site = try TestSite(
            "mediamirror-variants",
            configuration:
                "thumbnails:\n  widths: [320, 640]\nrewrite:\n  variants: ['thumbnail=320', 'src=original']\n")
        defer { site.remove() }
        try site.origin.serve(try TestImages.jpeg(width: 800, height: 600), host: "img.test", path: "a.jpg")
        let post = site.posts.appendingPathComponent("a.md")
        let original = Data(
            "---\nheadimg: http://img.test/a.jpg\nthumbnail: http://img.test/a.jpg\n---\n<img src=\"http://img.test/a.jpg\">\n"
                .utf8)
        try original.write(to: post)
        let sync = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path],
            environment: ProcessRunner.environment(proxiedThrough: site.origin))
        #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
        let lines = String(decoding: try Data(contentsOf: post), as: UTF8.self).split(separator: "\n")
        let headimg = lines.first { $0.hasPrefix("headimg: ") } ?? ""
        let thumbnail = lines.first { $0.hasPrefix("thumbnail: ") } ?? ""
        let image = lines.first { $0.hasPrefix("<img") } ?? ""
        #expect(thumbnail.hasSuffix("-320w.jpg"), "\(thumbnail)")
        #expect(headimg.hasPrefix("headimg: /images/mirror/") && !headimg.contains("-320w"), "\(headimg)")
        #expect(image.contains("/images/mirror/") && !image.contains("-320w"), "\(image)")
        let thumbnailFile = site.media.appendingPathComponent(
            String(thumbnail.dropFirst("thumbnail: /images/mirror/".count)))
        #expect(FileManager.default.fileExists(atPath: thumbnailFile.path))

        let restore = try ProcessRunner.run(Paths.executable, ["restore", "--config", site.config.path])
        #expect(restore.status == 0)
        #expect(try Data(contentsOf: post) == original)
    }
}
