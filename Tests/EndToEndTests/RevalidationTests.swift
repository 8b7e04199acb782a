import Foundation
import TestSupport
import Testing

/// `sync --revalidate-older-than`: a conditional request per mirrored URL (the origin answers
/// 304 to the ETag it gave); an origin that now answers 404 is reported gone while the post keeps
/// its local copy; once it serves again, it is no longer gone.
@Suite(.serialized)
struct RevalidationTests {
    @Test func goneOriginsAreReportedAndCopiesKept() throws {
        let site = try TestSite("mediamirror-revalidate", configuration: "thumbnails:\n  widths: [32]\n")
        defer { site.remove() }
        let jpeg = try TestImages.jpeg(width: 64, height: 48)
        try site.origin.serve(jpeg, host: "img.test", path: "a.jpg")
        try site.origin.serve(try TestImages.jpeg(width: 64, height: 48, seed: 2), host: "img.test", path: "b.jpg")
        let post = site.posts.appendingPathComponent("a.md")
        try Data("![a](http://img.test/a.jpg)\n![b](http://img.test/b.jpg)\n".utf8).write(to: post)
        let environment = ProcessRunner.environment(proxiedThrough: site.origin)
        func sync(_ arguments: [String] = []) throws -> [String: Any] {
            let run = try ProcessRunner.run(
                Paths.executable, ["sync", "--json", "--config", site.config.path] + arguments, environment: environment
            )
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            return (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [String: Any] ?? [:]
        }
        func gone() throws -> [String] {
            let report = try ProcessRunner.run(Paths.executable, ["report", "--json", "--config", site.config.path])
            let object = (try? JSONSerialization.jsonObject(with: Data(report.stdout.utf8))) as? [String: Any]
            return ((object?["gone"] as? [[String: Any]]) ?? []).compactMap { $0["url"] as? String }
        }
        _ = try sync()
        let rewritten = try Data(contentsOf: post)

        // b.jpg disappears at the origin.
        try FileManager.default.removeItem(at: site.origin.root.appendingPathComponent("img.test/b.jpg"))
        let second = try sync(["--revalidate-older-than", "0s"])
        #expect(second["urls_revalidated"] as? Int == 2)
        #expect(second["urls_gone"] as? Int == 1)
        #expect(try gone() == ["http://img.test/b.jpg"])
        #expect(try Data(contentsOf: post) == rewritten, "the post keeps its local copies")
        let requests = site.origin.requests()
        #expect(requests.contains("GET http://img.test/a.jpg 304"), "\(requests)")
        #expect(requests.contains("GET http://img.test/b.jpg 404"), "\(requests)")

        // Served again: no longer gone.
        try site.origin.serve(try TestImages.jpeg(width: 64, height: 48, seed: 2), host: "img.test", path: "b.jpg")
        let third = try sync(["--revalidate-older-than", "0s"])
        #expect(third["urls_gone"] as? Int == 0)
        #expect(try gone().isEmpty)

        // Without the option, or within the interval, nothing is asked.
        let before = site.origin.requests().count
        let fourth = try sync(["--revalidate-older-than", "7d"])
        #expect(fourth["urls_revalidated"] as? Int == 0)
        #expect(site.origin.requests().count == before)
    }
}
