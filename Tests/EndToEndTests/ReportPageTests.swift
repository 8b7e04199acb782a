import Foundation
import TestSupport
import Testing

/// `report --html` seen in a real browser (headless Chromium): every local image loads, a
/// mismatch shows its declared box at the declared aspect over the real one, failures are
/// grouped by host, hostile post names and URLs stay text, nothing is logged (no CSP
/// violation), nothing overflows a phone-width screen. Screenshots at 1280 and 400 px land in
/// `.build/test-output/report-page/` for a person to look at.
@Suite(.serialized)
struct ReportPageTests {
    static let hostileName = "<img src=x onerror=window.pwned=1>\"'.md"
    static let post = """
        ---
        title: "Travel </style><script>window.pwned=1</script>"
        ---
        <img class="lazy" data-original="http://photos.example/wide.jpg" data-width="300" data-height="100">
        <img src="http://photos.example/match.jpg" width="64" height="48">
        <img src="http://gone.example/missing.jpg">
        ![x](http://other.example/nope.jpg)
        <img src='http://photos.example/x.jpg?q="></style><script>window.pwned=1</script>'>

        """

    @Test func theBrowserShowsTheReport() throws {
        let directory = try TemporaryDirectory("mediamirror-report-page")
        defer { directory.remove() }
        let site = directory.appending("site")
        let posts = site.appendingPathComponent("posts")
        try FileManager.default.createDirectory(at: posts, withIntermediateDirectories: true)
        try Data(Self.post.utf8).write(to: posts.appendingPathComponent("travel.md"))
        try Data("<img src=\"http://photos.example/match.jpg\">\n".utf8)
            .write(to: posts.appendingPathComponent(Self.hostileName))
        let config = site.appendingPathComponent("mediamirror.yaml")
        try """
        site:
          posts: posts
          media: media
          url_prefix: /media
        fetch:
          attempts: 1
        thumbnails:
          widths: [32]
        """.write(to: config, atomically: true, encoding: .utf8)
        let photos = directory.appending("origin/photos.example")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for name in ["wide", "match"] {
            let jpeg = try TestImages.solidJPEG(width: 64, height: 48, red: 200, green: 60, blue: 40)
            try Data(jpeg).write(to: photos.appendingPathComponent("\(name).jpg"))
        }
        let origin = try OriginServer(root: directory.appending("origin"))
        defer { origin.stop() }
        let run = { (arguments: [String]) in
            try ProcessRunner.run(
                Paths.executable, arguments + ["--config", config.path],
                environment: ProcessRunner.environment(proxiedThrough: origin))
        }
        let sync = try run(["sync"])
        #expect(sync.status == 1, "two URLs fail: \(sync.stdout) \(sync.stderr)")

        let page = site.appendingPathComponent("report/index.html")
        let report = try run(["report", "--html", page.path])
        try #require(report.status == 0, "\(report.stdout) \(report.stderr)")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(!html.contains("<script"), "no hostile value becomes markup")
        #expect(html.contains("&lt;img src=x onerror=window.pwned=1&gt;&quot;&#39;.md"))

        let output = Paths.repository.appendingPathComponent(".build/test-output/report-page")
        let seen = try ReportPageBrowser.views(of: page.absoluteString, screenshots: output)
        for width in ["1280", "400"] {
            let view = try #require(seen[width])
            let images = try #require(view["images"] as? [[String: Any]])
            #expect(images.count == 3, "wide, match and match again: \(images)")
            #expect(images.allSatisfy { $0["loaded"] as? Bool == true }, "every local image loads: \(images)")
            #expect((view["logs"] as? [Any])?.isEmpty == true, "no console error or CSP report: \(view["logs"] ?? "")")
            let hostile = try #require(view["hostile"] as? [String: Any])
            #expect(hostile["injected"] as? Int == 0 && hostile["flag"] as? Bool == false, "\(hostile)")
            let boxes = try #require(view["boxes"] as? [[String: Any]])
            let mismatch = try #require(boxes.first { $0["verdict"] as? String == "mismatch" }, "\(boxes)")
            let declared = try #require(mismatch["declared"] as? [Double])
            let actual = try #require(mismatch["actual"] as? [Double])
            #expect(abs(declared[1] / declared[0] - 100.0 / 300.0) < 0.01, "declared box at 300×100: \(declared)")
            #expect(abs(actual[1] / actual[0] - 48.0 / 64.0) < 0.01, "real box at 64×48: \(actual)")
            let failures = (view["failures"] as? [String] ?? []).joined(separator: "\n")
            #expect(failures.contains("gone.example") && failures.contains("other.example"), "\(failures)")
            #expect((view["horizontal_overflow"] as? Int ?? 1) <= 0, "fits \(width) px")
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("report-\(width).png").path))
        }
    }
}
