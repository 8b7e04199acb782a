import Foundation
import MirrorStore
import TestSupport
import Testing

/// `thumbnails.formats`: every width in every format, the first one where `rewrite.variants`
/// points; a change of formats makes the missing thumbnails on the next sync (once), `gc`
/// removes the ones no longer configured unless a post points at one, `verify` knows them all.
@Suite(.serialized)
struct ThumbnailFormatsTests {
    static func configuration(_ formats: String) -> String {
        "thumbnails:\n  widths: [32, 64]\n  formats: \(formats)\nrewrite:\n  variants: ['markdown=32']\n"
    }

    @Test func formatsAreMadeSwitchedAndCollected() throws {
        let site = try TestSite("mediamirror-thumbnail-formats", configuration: Self.configuration("[webp, jpeg]"))
        defer { site.remove() }
        try site.origin.serve(try TestImages.jpeg(width: 100, height: 80, seed: 6), host: "cdn.test", path: "a.jpg")
        try site.origin.serve(
            try TestImages.png(width: 100, height: 80, alpha: true, seed: 7), host: "cdn.test", path: "b.png")
        let post = site.posts.appendingPathComponent("a.md")
        let original = "![a](http://cdn.test/a.jpg)\n<img src=\"http://cdn.test/b.png\">\n"
        try Data(original.utf8).write(to: post)
        let run = site.run
        let manifestPath = site.directory.appending("site/.mediamirror/manifest.sqlite").path
        func thumbnails() throws -> [String] {
            try Manifest(path: manifestPath, readOnly: true).allThumbnails().map {
                "\($0.width)\($0.format)\(FileManager.default.fileExists(atPath: site.media.appendingPathComponent($0.path).path) ? "" : "-missing")"
            }.sorted()
        }
        func made(_ output: String) -> Int? {
            ((try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any])?["thumbnails_made"] as? Int
        }

        let first = try run(["sync", "--json"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(
            try thumbnails() == ["32jpeg", "32jpeg", "32webp", "32webp", "64jpeg", "64jpeg", "64webp", "64webp"],
            "each width of each image in webp and jpeg (the transparent one flattened)")
        let rewritten = try String(contentsOf: post, encoding: .utf8)
        #expect(rewritten.contains("-32w.webp)"), "the variant points at the first format: \(rewritten)")

        // Switched: the PNGs are made from the stored originals, once.
        try Self.configuration("[jpeg, png]").write(to: site.config, atomically: true, encoding: .utf8)
        let switched = try run(["sync", "--json"])
        #expect(switched.status == 0 && made(switched.stdout) == 4, "\(switched.stdout)\(switched.stderr)")
        #expect(try thumbnails().filter { $0.hasSuffix("png") } == ["32png", "32png", "64png", "64png"])
        let again = try run(["sync", "--json"])
        #expect(made(again.stdout) == 0, "the plan is complete: \(again.stdout)")

        // gc: the WebPs go, but the one the post points at.
        let gc = try run(["gc", "--grace", "0", "--json"])
        #expect(gc.status == 0, "\(gc.stdout)\(gc.stderr)")
        let left = try thumbnails()
        #expect(left.filter { $0.hasSuffix("webp") } == ["32webp"], "\(left)")
        #expect(!left.contains { $0.hasSuffix("-missing") }, "\(left)")
        let stored = FileManager.default.subpaths(atPath: site.media.path)?.filter { $0.hasSuffix(".webp") } ?? []
        #expect(stored.count == 1, "\(stored)")
        let verify = try run(["verify"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        #expect(try run(["restore"]).status == 0)
        #expect(try String(contentsOf: post, encoding: .utf8) == original)
    }
}
