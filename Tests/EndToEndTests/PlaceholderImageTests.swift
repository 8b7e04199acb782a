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
        let run = site.run
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

/// `fetch.suspect_placeholders`: one small picture a host serves for several URLs declared far
/// larger is reported as a suspect; a picture the declared sizes fit is not.
@Suite(.serialized)
struct SuspectPlaceholderTests {
    @Test func oneSmallPictureForManyLargeDeclaredImagesIsSuspect() throws {
        let site = try TestSite(
            "mediamirror-suspect-placeholders",
            configuration: "thumbnails:\n  widths: [16]\nfetch:\n  suspect_placeholders: true\n")
        defer { site.remove() }
        let small = try TestImages.solidJPEG(width: 100, height: 75, red: 220, green: 220, blue: 220)
        let photo = try TestImages.jpeg(width: 120, height: 90, seed: 5)
        var body = ""
        for index in 0..<3 {
            try site.origin.serve(small, host: "cdn.test", path: "gone\(index).jpg")
            body += "<img src=\"http://cdn.test/gone\(index).jpg\" width=\"800\" height=\"600\">\n"
            // The same picture declared at its own size on another host: not a placeholder.
            try site.origin.serve(photo, host: "fine.test", path: "p\(index).jpg")
            body += "<img src=\"http://fine.test/p\(index).jpg\" width=\"120\" height=\"90\">\n"
        }
        try Data(body.utf8).write(to: site.posts.appendingPathComponent("a.md"))
        let run = site.run
        #expect(try run(["sync"]).status == 0)
        let report = try run(["report", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
        let suspects = try #require(object?["suspects"] as? [[String: Any]])
        #expect(suspects.count == 1, "\(suspects)")
        #expect(suspects.first?["host"] as? String == "cdn.test")
        #expect((suspects.first?["urls"] as? [String])?.count == 3)
        #expect(suspects.first?["actual"] as? [Int] == [100, 75])
        #expect(try run(["report"]).stdout.contains("suspected placeholders (1)"))

        try "thumbnails:\n  widths: [16]\n".write(to: site.config, atomically: true, encoding: .utf8)
        let off = try JSONSerialization.jsonObject(with: Data(try run(["report", "--json"]).stdout.utf8))
        #expect(((off as? [String: Any])?["suspects"] as? [Any])?.isEmpty == true, "off by default")
    }
}
