import Foundation
import MirrorConfig
import MirrorPosts
import TestSupport
import Testing

/// `rewrite.fix_dimensions` and `rewrite.provenance_attribute`: declared sizes of another aspect
/// ratio are corrected, each mirrored element says where its image came from, the report keeps
/// the sizes as first declared, a second sync changes nothing and restore gives the post back
/// byte for byte.
@Suite(.serialized)
struct ElementEditsTests {
    static let configuration = "rewrite:\n  fix_dimensions: true\n  provenance_attribute: data-mm-source\n"

    @Test func declaredSizesAreCorrectedAndProvenanceRecordedThenRestored() throws {
        let site = try TestSite("mediamirror-element-edits", configuration: Self.configuration)
        defer { site.remove() }
        try site.origin.serve(try TestImages.jpeg(width: 640, height: 480), host: "img.test", path: "a.jpg")
        try site.origin.serve(try TestImages.jpeg(width: 200, height: 100), host: "img.test", path: "b.jpg")
        try site.origin.serve(try TestImages.jpeg(width: 640, height: 480), host: "img.test", path: "c.jpg")
        try site.origin.serve(try TestImages.jpeg(width: 300, height: 300), host: "img.test", path: "d.jpg")
        let post = site.posts.appendingPathComponent("a.md")
        let text = """
            # Sizes
            <img class="lazy" data-original="http://img.test/a.jpg" data-height="1280" data-width="1920" src="https://cors.zfour.workers.dev/?http://img.test/a.jpg">
            <IMG SRC='http://img.test/b.jpg?x=1&amp;y=2' width="300" height="300px">
            <img src="http://img.test/c.jpg" width="320" height="240">
            <img src="http://img.test/d.jpg" data-width="01920" data-height="1280">
            <img src="http://img.test/missing.jpg" width="10" height="99">

            """
        let original = Data(text.utf8)
        try original.write(to: post)
        let sync = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path],
            environment: ProcessRunner.environment(proxiedThrough: site.origin))
        #expect(sync.status == 1, "one URL is missing: \(sync.stdout)\(sync.stderr)")
        let lines = String(decoding: try Data(contentsOf: post), as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        // A mismatch on data-* sizes: both take the image's size, in place, order kept.
        #expect(
            lines[1].hasPrefix(
                "<img data-mm-source=\"http://img.test/a.jpg\" class=\"lazy\" data-original=\"/images/mirror/"))
        #expect(lines[1].contains("data-height=\"480\" data-width=\"640\" src=\"/images/mirror/"), "\(lines[1])")
        // width/height are layout: the width stays, the height follows the image (300 × 100/200).
        #expect(lines[2].hasPrefix("<IMG data-mm-source=\"http://img.test/b.jpg?x=1&amp;y=2\" SRC='/images/mirror/"))
        #expect(lines[2].hasSuffix("' width=\"300\" height=\"150px\">"), "\(lines[2])")
        // Scaled (same aspect ratio) stays; a value not written as plain digits is not edited.
        #expect(lines[3].hasSuffix("width=\"320\" height=\"240\">"), "\(lines[3])")
        #expect(lines[4].hasSuffix("data-width=\"01920\" data-height=\"1280\">"), "\(lines[4])")
        #expect(lines[4].contains("data-mm-source=\"http://img.test/d.jpg\""))
        // Not mirrored: untouched.
        #expect(lines[5] == "<img src=\"http://img.test/missing.jpg\" width=\"10\" height=\"99\">")

        // The report keeps what the post declared before the correction.
        let report = try ProcessRunner.run(Paths.executable, ["report", "--config", site.config.path, "--json"])
        #expect(report.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
        let references = json?["references"] as? [[String: Any]] ?? []
        let first = references.first { ($0["place"] as? String) == "<img> #0 data-original" }
        #expect(first?["declared"] as? [Int] == [1920, 1280])
        #expect(first?["actual"] as? [Int] == [640, 480])
        #expect(first?["verdict"] as? String == "mismatch")

        // Idempotent: a forced rescan of the rewritten post plans nothing more.
        let rewritten = try Data(contentsOf: post)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: post.path)
        let again = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path, "--retry-failed"],
            environment: ProcessRunner.environment(proxiedThrough: site.origin))
        #expect(again.status == 1)
        #expect(try Data(contentsOf: post) == rewritten)

        let restore = try ProcessRunner.run(Paths.executable, ["restore", "--config", site.config.path])
        #expect(restore.status == 0, "\(restore.stdout)\(restore.stderr)")
        #expect(String(decoding: try Data(contentsOf: post), as: UTF8.self) == text)
    }

    @Test func provenanceAttributeMustBeADataAttributeTheScannerDoesNotRead() throws {
        for (name, reason) in [("src", "data-*"), ("data-src", "reads images from"), ("data-Src", "data-*")] {
            let site = try TestSite(
                "mediamirror-element-edits-config", configuration: "rewrite:\n  provenance_attribute: \(name)\n")
            defer { site.remove() }
            let sync = try ProcessRunner.run(Paths.executable, ["sync", "--config", site.config.path])
            #expect(sync.status == 2)
            #expect(
                sync.stderr.contains("rewrite.provenance_attribute") && sync.stderr.contains(reason), "\(sync.stderr)")
        }
    }

    @Test func everyDataAttributeTheScannerReadsIsReserved() {
        let read =
            ReferenceScanner.singleURLAttributes + ReferenceScanner.srcsetAttributes
            + ReferenceScanner.sizeAttributes.flatMap { [$0.0, $0.1] }
        #expect(Set(read.filter { $0.hasPrefix("data-") }).isSubset(of: RewriteSettings.scannedAttributes))
    }
}
