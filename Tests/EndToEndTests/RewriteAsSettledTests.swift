import Foundation
import TestSupport
import Testing

/// A post is rewritten as soon as the URLs it names are settled, not when the whole run ends:
/// while a slow image holds one post back, the other is already rewritten.
@Suite(.serialized)
struct RewriteAsSettledTests {
    @Test func aPostIsRewrittenWhileAnotherStillWaits() throws {
        let site = try TestSite("mediamirror-settled", configuration: "thumbnails:\n  widths: [32]\n")
        defer { site.remove() }
        try site.origin.serve(try TestImages.jpeg(width: 64, height: 48), host: "img.test", path: "a.jpg")
        try site.origin.serve(try TestImages.jpeg(width: 64, height: 48, seed: 1), host: "img.test", path: "b.jpg")
        let quick = site.posts.appendingPathComponent("quick.md")
        let slow = site.posts.appendingPathComponent("slow.md")
        try Data("![a](http://img.test/a.jpg)\n".utf8).write(to: quick)
        try Data("![b](http://img.test/__/slow/6000?then=/b.jpg)\n".utf8).write(to: slow)
        let process = Process()
        process.executableURL = Paths.executable
        process.arguments = ["sync", "--config", site.config.path]
        process.environment = ProcessRunner.environment(proxiedThrough: site.origin)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let quickDone = waitUntil(within: .seconds(20)) {
            String(decoding: (try? Data(contentsOf: quick)) ?? Data(), as: UTF8.self).contains("/images/mirror/")
        }
        let stillRunning = process.isRunning
        process.waitUntilExit()
        #expect(quickDone)
        #expect(stillRunning, "the quick post was rewritten only when the run ended")
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: try Data(contentsOf: slow), as: UTF8.self).contains("/images/mirror/"))
    }
}
