import Foundation
import TestSupport
import Testing

/// A host that keeps failing (503) is paused after five failures in a row: its other URLs are
/// not tried in this run (deferred, not marked failed) while other hosts go on; the next run
/// asks it again.
@Suite(.serialized)
struct HostBreakerTests {
    @Test func aFailingHostIsPausedForTheRun() throws {
        let site = try TestSite(
            "mediamirror-breaker",
            configuration: "fetch:\n  concurrency: 2\n  per_host: 2\n  attempts: 1\nthumbnails:\n  widths: [16]\n")
        defer { site.remove() }
        var body = ""
        for index in 0..<5 {
            try site.origin.serve(
                try TestImages.jpeg(width: 32, height: 24, seed: index), host: "good.test", path: "\(index).jpg")
            body += "![g](http://good.test/\(index).jpg)\n"
        }
        for index in 0..<40 {
            body += "![b](http://bad.test/__/status/503?n=\(index))\n"
        }
        try Data(body.utf8).write(to: site.posts.appendingPathComponent("a.md"))
        let environment = ProcessRunner.environment(proxiedThrough: site.origin)
        let run = try ProcessRunner.run(
            Paths.executable, ["sync", "--json", "--config", site.config.path], environment: environment)
        #expect(run.status == 1)
        let summary = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [String: Any]
        #expect(summary?["urls_fetched"] as? Int == 5, "\(run.stdout)")
        let askedBad = site.origin.requests().filter { $0.hasPrefix("GET http://bad.test/") }.count
        // Five failures open the breaker; requests already queued (the run keeps a window of
        // eight URLs in flight) still go out, nothing after.
        #expect((5...13).contains(askedBad), "bad.test was asked \(askedBad) times")
        #expect((summary?["urls_deferred"] as? Int ?? 0) >= 27, "\(run.stdout)")
        #expect(run.stderr.contains("origin paused for this run"), "\(run.stderr)")

        // Paused URLs were not marked failed: the next run asks bad.test again at once.
        let before = site.origin.requests().count
        _ = try ProcessRunner.run(Paths.executable, ["sync", "--config", site.config.path], environment: environment)
        let again = site.origin.requests().dropFirst(before).filter { $0.hasPrefix("GET http://bad.test/") }.count
        #expect(again >= 5, "the next run asked bad.test \(again) times")
    }
}
