import Foundation
import MirrorStore
import TestSupport
import Testing

/// A proxy-wrapped URL is fetched from its origin first; only when the origin fails is the
/// wrapper asked, and the manifest records which one served.
@Suite(.serialized)
struct WrapperFallbackTests {
    @Test func theWrapperServesOnlyWhenTheOriginFails() throws {
        let site = try TestSite(
            "mediamirror-wrapper",
            configuration: "scan:\n  unwrap: ['http://wrap.test/?']\nthumbnails:\n  widths: [16]\n")
        defer { site.remove() }
        let live = try TestImages.jpeg(width: 64, height: 48, seed: 1)
        let rescued = try TestImages.jpeg(width: 64, height: 48, seed: 2)
        try site.origin.serve(live, host: "alive.test", path: "a.jpg")
        try site.origin.serve(live, host: "wrap.test", path: "alive.test/a.jpg")
        try site.origin.serve(rescued, host: "wrap.test", path: "dead.test/b.jpg")
        let post = site.posts.appendingPathComponent("a.md")
        try Data(
            "![a](http://wrap.test/?http://alive.test/a.jpg)\n![b](http://wrap.test/?http://dead.test/b.jpg)\n".utf8
        ).write(to: post)
        let sync = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path],
            environment: ProcessRunner.environment(proxiedThrough: site.origin))
        #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")

        let requests = site.origin.requests()
        #expect(requests.contains("GET http://alive.test/a.jpg 200"))
        #expect(!requests.contains { $0.hasPrefix("GET http://wrap.test/?http://alive.test/") }, "\(requests)")
        #expect(requests.contains("GET http://dead.test/b.jpg 404"))
        #expect(requests.contains("GET http://wrap.test/?http://dead.test/b.jpg 200"))

        let manifest = try Manifest(
            path: site.directory.appending("site/.mediamirror/manifest.sqlite").path, readOnly: true)
        let alive = try #require(try manifest.urlRecord("http://alive.test/a.jpg"))
        #expect(alive.fetchedVia == "http://alive.test/a.jpg")
        #expect(alive.wrapper == "http://wrap.test/?http://alive.test/a.jpg")
        let dead = try #require(try manifest.urlRecord("http://dead.test/b.jpg"))
        #expect(dead.fetchedVia == "http://wrap.test/?http://dead.test/b.jpg")
        #expect(dead.status == .mirrored)
        // Both references point at local copies, each with the bytes that served it.
        let text = String(decoding: try Data(contentsOf: post), as: UTF8.self)
        #expect(!text.contains("http://"), "\(text)")
    }

    /// When the wrapper fails too, the origin's answer is what the manifest and the report keep
    /// (a 410 stays a 410, HTML served as an image stays not_an_image), the wrapper's after it.
    @Test func theOriginsFailureIsKeptWhenTheWrapperFailsToo() throws {
        let site = try TestSite(
            "mediamirror-wrapper-cause",
            configuration:
                "scan:\n  unwrap: ['http://wrap.test/?']\nthumbnails:\n  widths: [16]\nfetch:\n  attempts: 1\n")
        defer { site.remove() }
        try Data(
            "![a](http://wrap.test/?http://gone.test/__/status/410)\n![b](http://wrap.test/?http://page.test/__/html)\n"
                .utf8
        ).write(to: site.posts.appendingPathComponent("a.md"))
        let sync = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path],
            environment: ProcessRunner.environment(proxiedThrough: site.origin))
        #expect(sync.status == 1, "\(sync.stdout)\(sync.stderr)")
        let requests = site.origin.requests()
        #expect(requests.contains("GET http://wrap.test/?http://gone.test/__/status/410 404"), "\(requests)")

        let manifest = try Manifest(
            path: site.directory.appending("site/.mediamirror/manifest.sqlite").path, readOnly: true)
        let gone = try #require(try manifest.urlRecord("http://gone.test/__/status/410"))
        #expect(gone.httpStatus == 410 && gone.failureClass == "http_status", "\(gone)")
        #expect(gone.failureMessage?.contains("then the proxy wrapper http://wrap.test/?") == true, "\(gone)")
        let page = try #require(try manifest.urlRecord("http://page.test/__/html"))
        #expect(page.failureClass == "not_an_image", "\(page)")
        #expect(page.failureMessage?.contains("404") == true, "the wrapper's answer follows: \(page)")
    }
}
