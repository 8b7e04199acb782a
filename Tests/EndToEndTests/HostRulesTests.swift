import Foundation
import TestSupport
import Testing

/// `fetch.host_rules` decide the Referer, User-Agent and extra headers per host, as the origin
/// sees them; hosts no rule names get no Referer and mediamirror's User-Agent.
@Suite(.serialized)
struct HostRulesTests {
    @Test func eachHostGetsItsRulesHeaders() throws {
        let directory = try TemporaryDirectory("mediamirror-rules")
        defer { directory.remove() }
        let posts = directory.appending("site/source/_posts")
        try FileManager.default.createDirectory(at: posts, withIntermediateDirectories: true)
        try """
        site:
          base_url: https://blog.example.net/
        fetch:
          host_rules:
            - '*.example.com | referer: origin | user-agent: TestBrowser/1.0 | X-Test: yes'
            - 'img.test | referer: site'
        thumbnails:
          widths: [16]
        """.write(to: directory.appending("site/mediamirror.yaml"), atomically: true, encoding: .utf8)
        let originRoot = directory.appending("origin")
        try FileManager.default.createDirectory(at: originRoot, withIntermediateDirectories: true)
        let origin = try OriginServer(root: originRoot, arguments: ["--log-headers"])
        defer { origin.stop() }
        for host in ["cdn.example.com", "img.test", "other.test"] {
            try origin.serve(try TestImages.jpeg(width: 32, height: 24), host: host, path: "a.jpg")
        }
        try Data(
            "![a](http://cdn.example.com/a.jpg)\n![b](http://img.test/a.jpg)\n![c](http://other.test/a.jpg)\n".utf8
        ).write(to: posts.appendingPathComponent("a.md"))
        let run = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", directory.appending("site/mediamirror.yaml").path],
            environment: ProcessRunner.environment(proxiedThrough: origin))
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")

        var seen: [String: [String: String]] = [:]
        for line in origin.requests() where line.hasPrefix("HEADERS ") {
            let parts = line.dropFirst("HEADERS ".count).split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            seen[String(parts[0])] = (try? JSONSerialization.jsonObject(with: Data(parts[1].utf8))) as? [String: String]
        }
        let cdn = seen["http://cdn.example.com/a.jpg"]
        #expect(cdn?["referer"] == "http://cdn.example.com/")
        #expect(cdn?["user-agent"] == "TestBrowser/1.0")
        #expect(cdn?["x-test"] == "yes")
        let img = seen["http://img.test/a.jpg"]
        #expect(img?["referer"] == "https://blog.example.net/")
        #expect(img?["user-agent"]?.hasPrefix("mediamirror/") == true)
        let other = seen["http://other.test/a.jpg"]
        #expect(other != nil && other?["referer"] == nil, "\(seen)")
        #expect(other?["user-agent"]?.hasPrefix("mediamirror/") == true)
    }
}
