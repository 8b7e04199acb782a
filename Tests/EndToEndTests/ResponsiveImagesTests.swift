import Foundation
import TestSupport
import Testing

/// `thumbnails.formats: [webp, jpeg]`, `rewrite.srcset` and `rewrite.add_dimensions` over the
/// samples, then the synced sample post in headless Chromium at 400 px, every host but
/// 127.0.0.1 unresolvable: every `<img>` shows a local copy, the candidate chosen is a
/// thumbnail, nothing moves while the page loads; `restore` gives every post back.
@Suite(.serialized)
struct ResponsiveImagesTests {
    static let post = "000_f6c7ce3e199e2f35.md"

    @Test func theBrowserPicksAThumbnailAndNothingShifts() throws {
        let site = try CorpusSite(
            "mediamirror-responsive",
            configuration: """
                site:
                  posts: source/_posts
                  media: source/images/mirror
                  url_prefix: /images/mirror
                fetch:
                  concurrency: 16
                  per_host: 8
                  attempts: 1
                  connect_timeout: 5
                thumbnails:
                  widths: [320, 640]
                  formats: [webp, jpeg]
                rewrite:
                  srcset: true
                  add_dimensions: true

                """)
        defer { site.remove() }
        // Every http URL gets one of a few 960-pixel photos (its own bytes: the URL follows
        // the image data), so each has 320 and 640 px thumbnails.
        let fallback = site.directory.appending("fallback")
        try FileManager.default.createDirectory(at: fallback, withIntermediateDirectories: true)
        for seed in 0..<3 {
            try Data(try TestImages.jpeg(width: 960, height: 640 + seed * 40, seed: seed)).write(
                to: fallback.appendingPathComponent("\(seed).jpg"))
        }
        let originRoot = site.directory.appending("origin")
        try FileManager.default.createDirectory(at: originRoot, withIntermediateDirectories: true)
        let origin = try OriginServer(root: originRoot, arguments: ["--fallback", fallback.path])
        defer { origin.stop() }
        let run = { (arguments: [String]) in
            try ProcessRunner.run(
                Paths.executable, arguments + ["--config", site.config.path],
                environment: ProcessRunner.environment(proxiedThrough: origin))
        }
        let sync = try run(["sync"])
        #expect(sync.status == 0 || sync.status == 1, "\(sync.stderr.suffix(2000))")

        // The synced post's body as a page of the site, beside its media.
        let synced = try String(contentsOf: site.posts.appendingPathComponent(Self.post), encoding: .utf8)
        let parts = synced.components(separatedBy: "\n---\n")
        let body = parts.count > 1 ? parts.dropFirst().joined(separator: "\n---\n") : synced
        let root = site.directory.appending("site/source")
        try Data(
            ("<!doctype html><html><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\">"
                + "<style>body{margin:0 8px}img{max-width:100%;height:auto;display:block}</style></head><body>"
                + body + "</body></html>").utf8
        ).write(to: root.appendingPathComponent("post.html"))
        let web = try StaticWebServer(root: root)
        defer { web.stop() }
        let script = Paths.repository.appendingPathComponent("Tests/Browser/responsive_images.py")
        let seen = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", script.path, "http://127.0.0.1:\(web.port)/post.html", "400"])
        #expect(seen.status == 0, "\(seen.stderr.suffix(2000))")
        let page = try #require(try JSONSerialization.jsonObject(with: Data(seen.stdout.utf8)) as? [String: Any])
        let images = try #require(page["images"] as? [[String: Any]])
        #expect(images.count == 3, "the post's three images: \(images.count)")
        for image in images {
            let current = image["currentSrc"] as? String ?? ""
            #expect(current.hasPrefix("http://127.0.0.1:\(web.port)/images/mirror/"), "a local copy: \(image)")
            #expect(current.hasSuffix("-640w.webp"), "the 640 px WebP suits 400 px at 1x (sizes 100vw): \(image)")
            // naturalWidth is density-corrected for a w descriptor (640 px over a 400 px slot).
            #expect(image["complete"] as? Bool == true && (image["naturalWidth"] as? Int ?? 0) > 0, "decoded: \(image)")
            #expect(image["width"] is String && image["height"] is String, "dimensions inserted: \(image)")
            // The box is reserved from the attributes before any byte of the image arrives.
            #expect((image["aspectRatio"] as? String)?.contains(" / ") == true, "\(image)")
        }
        #expect((page["layoutShift"] as? Double ?? 1) == 0, "no layout shift: \(page["layoutShift"] ?? "")")

        let restore = try run(["restore"])
        #expect(restore.status == 0, "\(restore.stderr)")
        for (relative, original) in site.originals {
            #expect(try Data(contentsOf: site.posts.appendingPathComponent(relative)) == original, "\(relative)")
        }
    }
}
