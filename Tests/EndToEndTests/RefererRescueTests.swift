import Crypto
import Foundation
import MirrorStore
import TestSupport
import Testing

/// Hotlink refusals: a host that refuses a request without a Referer (403, or a placeholder
/// picture with 200) gets the image's own origin, then the site's address; what worked is
/// learned per host, sent first next time and listed by `report`. A host rule that names a
/// Referer decides alone.
@Suite(.serialized)
struct RefererRescueTests {
    static let site = "https://blog.example.net/"

    @Test func refusalsAreRetriedWithAReferrerAndLearned() throws {
        let placeholder = try TestImages.solidJPEG(width: 40, height: 30, red: 200, green: 200, blue: 200)
        let digest = SHA256.hash(data: placeholder).map { String(format: "%02x", $0) }.joined()
        let site = try TestSite(
            "mediamirror-referer-rescue",
            configuration: """
                site:
                  base_url: \(Self.site)
                fetch:
                  placeholders: ['\(digest)']
                  host_rules: ['fixed.test | referer: none']
                thumbnails:
                  widths: [16]

                """)
        defer { site.remove() }
        for (host, files) in [
            ("own.test", ["p1.jpg", "p2.jpg", "p3.jpg"]), ("blog.test", ["q1.jpg", "q2.jpg"]),
            ("fixed.test", ["f.jpg"]),
            ("never.test", ["n.jpg"]), ("off.test", ["o.jpg"]),
        ] {
            for (index, file) in files.enumerated() {
                try site.origin.serve(
                    try TestImages.jpeg(width: 48, height: 32, seed: index + 7), host: host, path: file)
            }
        }
        try site.origin.serve(placeholder, host: "blog.test", path: "ph.jpg")
        let ownURL = { (file: String) in "http://own.test/__/hotlink?allow=http://own.test/&then=/\(file)" }
        let blogURL = { (file: String) in
            "http://blog.test/__/hotlink?allow=\(Self.site)&then=/\(file)&placeholder=/ph.jpg"
        }
        let fixedURL = "http://fixed.test/__/hotlink?allow=http://fixed.test/&then=/f.jpg"
        let neverURL = "http://never.test/__/hotlink?allow=nobody&then=/n.jpg"
        let first = site.posts.appendingPathComponent("first.md")
        let original = [ownURL("p1.jpg"), blogURL("q1.jpg"), fixedURL, neverURL].map { "![x](\($0))\n" }.joined()
        try Data(original.utf8).write(to: first)
        let run = site.run
        let sync = try run(["sync"])
        #expect(sync.status == 1, "\(sync.stdout)\(sync.stderr)")
        let text = try String(contentsOf: first, encoding: .utf8)
        #expect(!text.contains(ownURL("p1.jpg")) && !text.contains(blogURL("q1.jpg")), "\(text)")
        #expect(text.contains(fixedURL) && text.contains(neverURL), "\(text)")
        let stored = FileManager.default.subpaths(atPath: site.media.path) ?? []
        #expect(!stored.contains { $0.contains(digest) }, "the placeholder is never stored: \(stored)")

        // Referer-less first, then the origin (own.test), then the site (blog.test).
        let requests = site.origin.requests()
        let statuses = { (url: String) in
            requests.filter { $0.hasPrefix("GET \(url) ") }.map { $0.split(separator: " ").last ?? "" }
        }
        #expect(statuses(ownURL("p1.jpg")) == ["403", "200"], "\(requests)")
        #expect(statuses(blogURL("q1.jpg")) == ["200", "200", "200"], "placeholder, placeholder, image: \(requests)")
        #expect(statuses(fixedURL) == ["403"], "a rule naming the Referer decides alone: \(requests)")
        #expect(statuses(neverURL) == ["403", "403", "403"], "\(requests)")

        let manifestPath = site.directory.appending("site/.mediamirror/manifest.sqlite").path
        do {
            let manifest = try Manifest(path: manifestPath, readOnly: true)
            let rules = try manifest.refererRules().map { "\($0.host)=\($0.referer)" }
            #expect(rules == ["blog.test=site", "own.test=origin"], "\(rules)")
            let never = try #require(try manifest.urlRecord(neverURL))
            #expect(never.status == .failed && never.httpStatus == 403, "\(never)")
            #expect(never.failureMessage?.contains("with Referer site") == true, "\(never)")
        }
        let report = try run(["report", "--json"])
        #expect(report.stdout.contains(#""referer_rules":[{"host":"blog.test","#), "\(report.stdout.suffix(600))")
        let textReport = try run(["report"])
        #expect(textReport.stdout.contains("learned Referer rules (2)"), "\(textReport.stdout)")

        // Next time the learned Referer goes first: one request each.
        let second = site.posts.appendingPathComponent("second.md")
        try Data("![y](\(ownURL("p2.jpg")))\n![z](\(blogURL("q2.jpg")))\n".utf8).write(to: second)
        #expect(try run(["sync"]).status == 1)
        let after = site.origin.requests()
        let count = { (url: String) in after.filter { $0.hasPrefix("GET \(url) ") }.count }
        #expect(count(ownURL("p2.jpg")) == 1 && count(blogURL("q2.jpg")) == 1, "\(after)")

        // learn_referer: false still overcomes the refusal but remembers nothing.
        try String(contentsOf: site.config, encoding: .utf8).replacingOccurrences(
            of: "fetch:\n", with: "fetch:\n  learn_referer: false\n"
        ).write(to: site.config, atomically: true, encoding: .utf8)
        let offURL = "http://off.test/__/hotlink?allow=http://off.test/&then=/o.jpg"
        try Data("![o](\(offURL))\n".utf8).write(to: site.posts.appendingPathComponent("third.md"))
        #expect(try run(["sync"]).status == 1)
        do {
            let manifest = try Manifest(path: manifestPath, readOnly: true)
            #expect(try manifest.urlRecord(offURL)?.status == .mirrored)
            #expect(try manifest.refererRules().map(\.host) == ["blog.test", "own.test"])
        }

        let restore = try run(["restore"])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try String(contentsOf: first, encoding: .utf8) == original)
    }
}
