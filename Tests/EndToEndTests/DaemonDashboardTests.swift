import Foundation
import TestSupport
import Testing

/// The daemon's page at `/`, in a real browser, and the `/media/` route behind it: only the
/// files the manifest names, never a path out of the media directory.
@Suite(.serialized)
struct DaemonDashboardTests {
    static let post = """
        ---
        title: dashboard
        ---
        <img class="lazy" data-original="http://img.test/wide.jpg" data-width="300" data-height="100">
        <img src="http://img.test/match.jpg" width="64" height="48">
        <img src="http://gone.test/missing.jpg">
        <img src="http://img.test/__/slow/3000?then=/match.jpg">

        """

    static func rawStatuses(port: Int, _ paths: [String]) throws -> [Int] {
        let script = Paths.repository.appendingPathComponent("Tests/Browser/raw_get.py")
        let result = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, "\(port)"] + paths)
        let answers = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [[String: Any]] ?? []
        return answers.map { $0["status"] as? Int ?? 0 }
    }

    @Test func theDashboardShowsThePassAndOnlyKnownFiles() async throws {
        let port = FreePort.next()
        let site = try TestSite(
            "mediamirror-dashboard",
            configuration: "thumbnails:\n  widths: [32]\nhealth:\n  listen: 127.0.0.1:\(port)\nfetch:\n  attempts: 1\n")
        defer { site.remove() }
        for (index, name) in ["wide", "match"].enumerated() {
            try site.origin.serve(
                try TestImages.jpeg(width: 64, height: 48, seed: index), host: "img.test", path: "\(name).jpg")
        }
        try Data(Self.post.utf8).write(to: site.posts.appendingPathComponent("dashboard.md"))
        let daemon = try DaemonProcess(
            config: site.config, environment: ProcessRunner.environment(proxiedThrough: site.origin),
            logFile: site.directory.appending("daemon.log"))
        defer {
            daemon.signal(SIGTERM)
            _ = daemon.waitForExit(timeout: .seconds(10))
        }
        let base = "http://127.0.0.1:\(port)"
        let output = Paths.repository.appendingPathComponent(".build/test-output/daemon-dashboard")

        // During the first pass (one image takes 3 s to arrive) the page shows it, and renders cleanly.
        let syncing = waitUntil(within: .seconds(20)) {
            (try? DaemonTests.endpoint(base + "/status")).map { DaemonTests.json($0.body)["syncing"] as? Bool } == true
        }
        try #require(syncing, "no pass seen in progress; log:\n\(daemon.log)")
        let during = try DaemonTests.endpoint(base + "/")
        #expect(during.status == 200 && during.body.contains("of 4 URLs settled"), "\(during.body.prefix(2000))")
        for (width, view) in try ReportPageBrowser.views(
            of: base + "/", screenshots: output.appendingPathComponent("during"))
        {
            #expect((view["logs"] as? [Any])?.isEmpty == true, "\(width): \(view["logs"] ?? "")")
            let images = view["images"] as? [[String: Any]] ?? []
            #expect(images.allSatisfy { $0["loaded"] as? Bool == true }, "\(width): \(images)")
        }

        let passed = waitUntil(within: .seconds(30)) {
            (try? DaemonTests.endpoint(base + "/status")).map { DaemonTests.json($0.body)["passes"] as? Int ?? 0 } ?? 0
                >= 1
        }
        try #require(passed, "no pass; log:\n\(daemon.log)")

        let page = try DaemonTests.endpoint(base + "/")
        #expect(page.status == 200)
        #expect(page.body.contains("<h2>Daemon</h2>") && page.body.contains("href=\"/status\""))
        #expect(
            page.body.contains("<summary>Recent passes (") && page.body.contains("posts scanned"), "the passes listed")
        #expect(page.body.contains("<dt>health.listen</dt><dd>127.0.0.1:\(port)</dd>"), "the configuration in force")
        let sources = page.body.components(separatedBy: "src=\"/media/").dropFirst().compactMap {
            $0.split(separator: "\"").first.map(String.init)
        }
        let thumbnail = try #require(sources.first, "an image served by the daemon: \(page.body.prefix(3000))")

        let seen = try ReportPageBrowser.views(of: base + "/", screenshots: output)
        for width in ["1280", "400"] {
            let view = try #require(seen[width])
            let images = try #require(view["images"] as? [[String: Any]])
            #expect(images.count == 3 && images.allSatisfy { $0["loaded"] as? Bool == true }, "\(images)")
            #expect((view["logs"] as? [Any])?.isEmpty == true, "no console error or CSP report: \(view["logs"] ?? "")")
            let boxes = try #require(view["boxes"] as? [[String: Any]])
            #expect(boxes.contains { $0["verdict"] as? String == "mismatch" }, "\(boxes)")
            let failures = (view["failures"] as? [String] ?? []).joined(separator: "\n")
            #expect(failures.contains("gone.test"), "\(failures)")
            #expect((view["horizontal_overflow"] as? Int ?? 1) <= 0, "fits \(width) px")
        }

        // A known file is served; nothing else is, however it is spelled.
        let media = site.media.path
        try Data("not an asset".utf8).write(to: URL(fileURLWithPath: media + "/stray.txt"))
        let statuses = try Self.rawStatuses(
            port: port,
            [
                "/media/\(thumbnail)", "/media/../mediamirror.yaml", "/media/%2e%2e/mediamirror.yaml",
                "/media/%2E%2E%2Fmediamirror.yaml", "/media//etc/passwd", "/media/%2Fetc%2Fpasswd", "/media/stray.txt",
                "/media/\(thumbnail)/..", "/media/", "/media/\(thumbnail.replacingOccurrences(of: "/", with: "/../"))",
            ])
        #expect(statuses == [200, 404, 404, 404, 404, 404, 404, 404, 404, 404], "\(statuses)")
        // The manifest's own name for a file that is now a symlink out of the media directory.
        let known = media + "/" + (thumbnail.removingPercentEncoding ?? thumbnail)
        try FileManager.default.removeItem(atPath: known)
        try FileManager.default.createSymbolicLink(atPath: known, withDestinationPath: site.config.path)
        #expect(try Self.rawStatuses(port: port, ["/media/\(thumbnail)"]) == [404])
    }
}
