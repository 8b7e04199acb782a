import Foundation
import TestSupport
import Testing

/// `rewrite.fill_placeholder_src` seen in a real browser: headless Chromium with JavaScript
/// off shows a lazy-loading `<img>` only through its `src`. Three placeholders real themes
/// write: a `data:` GIF, no `src` at all, and a `src` that is no image (a page).
@Suite(.serialized)
struct PlaceholderSourceTests {
    static let colours: [(name: String, rgb: (UInt8, UInt8, UInt8))] = [
        ("red", (230, 20, 20)), ("blue", (20, 40, 230)), ("green", (20, 200, 40)),
    ]
    static let page = """
        <!doctype html>
        <html><body style="margin:0;background:#fff">
        <img class="lazy" data-original="http://photos.example/red.jpg" src="data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==" width="200" height="150">
        <img data-src="http://photos.example/blue.jpg" width="200" height="150">
        <img data-original-src="http://photos.example/green.jpg" src="http://photos.example/undefined" width="200" height="150">
        </body></html>

        """

    @Test func theBrowserShowsLazyImagesWithoutJavaScript() throws {
        let directory = try TemporaryDirectory("mediamirror-placeholder")
        defer { directory.remove() }
        let site = directory.appending("site")
        let post = site.appendingPathComponent("public/posts/page.html")
        try FileManager.default.createDirectory(at: post.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(Self.page.utf8).write(to: post)
        let config = site.appendingPathComponent("mediamirror.yaml")
        try """
        site:
          posts: public/posts
          media: public/mirror
          url_prefix: /mirror
        fetch:
          attempts: 1
        thumbnails:
          widths: [8]
        rewrite:
          fill_placeholder_src: true
        """.write(to: config, atomically: true, encoding: .utf8)

        let originRoot = directory.appending("origin/photos.example")
        try FileManager.default.createDirectory(at: originRoot, withIntermediateDirectories: true)
        for colour in Self.colours {
            let jpeg = try TestImages.solidJPEG(
                width: 64, height: 48, red: colour.rgb.0, green: colour.rgb.1, blue: colour.rgb.2)
            try Data(jpeg).write(to: originRoot.appendingPathComponent("\(colour.name).jpg"))
        }
        try Data("<html><body>undefined</body></html>".utf8).write(to: originRoot.appendingPathComponent("undefined"))
        let origin = try OriginServer(root: directory.appending("origin"))
        defer { origin.stop() }
        let web = try StaticWebServer(root: site.appendingPathComponent("public"))
        defer { web.stop() }
        let url = "http://127.0.0.1:\(web.port)/posts/page.html"

        #expect(try Self.shown(url).allSatisfy { $0 < 100 }, "nothing shows before the sync")
        let run = { (arguments: [String]) in
            try ProcessRunner.run(
                Paths.executable, arguments + ["--config", config.path],
                environment: ProcessRunner.environment(proxiedThrough: origin))
        }
        let sync = try run(["sync"])
        #expect(sync.status == 1, "the page at src is a failure: \(sync.stdout) \(sync.stderr)")
        let rewritten = try String(contentsOf: post, encoding: .utf8)
        #expect(rewritten.components(separatedBy: " src=\"/mirror/").count == 4, "\(rewritten)")
        let shown = try Self.shown(url)
        #expect(shown.allSatisfy { $0 > 5_000 }, "each image shows with JavaScript off: \(shown)")

        let again = try run(["sync", "--json"])
        #expect(again.stdout.contains("\"posts_rewritten\":0") || again.stdout.contains("\"posts_rewritten\" : 0"))
        #expect(try String(contentsOf: post, encoding: .utf8) == rewritten)
        let restore = try run(["restore"])
        #expect(restore.status == 0, "\(restore.stdout) \(restore.stderr)")
        #expect(try String(contentsOf: post, encoding: .utf8) == Self.page)
    }

    /// Pixels of each test colour in a screenshot of `url`.
    static func shown(_ url: String) throws -> [Int] {
        let script = Paths.repository.appendingPathComponent("Tests/Browser/count_colour.py")
        let result = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", script.path, url] + colours.map { "\($0.rgb.0),\($0.rgb.1),\($0.rgb.2)" })
        try #require(result.status == 0, "browser: \(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try #require(object?["pixels"] as? [Int], "\(result.stdout)")
    }
}
