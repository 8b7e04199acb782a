import Crypto
import Foundation
import MirrorStore
import TestSupport
import Testing

/// `fetch.placeholders`: a "this image is not available" picture served with 200 is a failure
/// of class `placeholder`: never stored, never rewritten to, reported.
@Suite(.serialized)
struct PlaceholderImageTests {
    @Test func aKnownPlaceholderIsAFailureNotACopy() throws {
        let placeholder = try TestImages.solidJPEG(width: 40, height: 30, red: 200, green: 200, blue: 200)
        let digest = SHA256.hash(data: placeholder).map { String(format: "%02x", $0) }.joined()
        let site = try TestSite(
            "mediamirror-placeholder-image",
            configuration: "thumbnails:\n  widths: [16]\nfetch:\n  placeholders: ['\(digest.uppercased())']\n")
        defer { site.remove() }
        try site.origin.serve(placeholder, host: "cdn.test", path: "deleted.jpg")
        try site.origin.serve(try TestImages.jpeg(width: 64, height: 48, seed: 3), host: "cdn.test", path: "alive.jpg")
        let post = site.posts.appendingPathComponent("a.md")
        let original = "![gone](http://cdn.test/deleted.jpg)\n![here](http://cdn.test/alive.jpg)\n"
        try Data(original.utf8).write(to: post)
        let run = { (arguments: [String]) in
            try ProcessRunner.run(
                Paths.executable, arguments + ["--config", site.config.path],
                environment: ProcessRunner.environment(proxiedThrough: site.origin))
        }
        let sync = try run(["sync"])
        #expect(sync.status == 1, "\(sync.stdout)\(sync.stderr)")
        let text = try String(contentsOf: post, encoding: .utf8)
        #expect(
            text.contains("(http://cdn.test/deleted.jpg)") && !text.contains("http://cdn.test/alive.jpg"), "\(text)")
        let stored = FileManager.default.subpaths(atPath: site.media.path) ?? []
        #expect(!stored.contains { $0.contains(digest) }, "the placeholder is not stored: \(stored)")

        let manifest = try Manifest(
            path: site.directory.appending("site/.mediamirror/manifest.sqlite").path, readOnly: true)
        let record = try #require(try manifest.urlRecord("http://cdn.test/deleted.jpg"))
        #expect(record.status == .failed && record.failureClass == "placeholder", "\(record)")
        let report = try run(["report", "--json"])
        #expect(report.stdout.contains("\"class\":\"placeholder\""), "\(report.stdout.prefix(800))")

        try "fetch:\n  placeholders: ['not-a-digest']\n".write(to: site.config, atomically: true, encoding: .utf8)
        let bad = try run(["sync"])
        #expect(bad.status == 2 && bad.stderr.contains("fetch.placeholders"), "\(bad.stderr)")
    }
}
