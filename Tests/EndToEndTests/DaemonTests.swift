import Foundation
import TestSupport
import Testing

/// The daemon as systemd runs it: a real process with NOTIFY_SOCKET and WATCHDOG_USEC, a posts
/// tree that changes under it, its HTTP endpoints, SIGHUP and SIGTERM.
@Suite(.serialized)
struct DaemonTests {
    static func endpoint(_ url: String, prometheus: Bool = false) throws -> (status: Int, body: String) {
        let result = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", Paths.repository.appendingPathComponent("Tests/Origin/endpoint.py").path, url]
                + (prometheus ? ["--prometheus"] : []))
        let lines = result.stdout.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let status = lines.first.flatMap { Int($0.prefix(3)) } ?? 0
        return (status, lines.count > 1 ? String(lines[1]) : result.stdout + result.stderr)
    }

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    @Test func runsUnderSystemdConventions() async throws {
        let port = FreePort.next()
        let configuration = """
            fetch:
              concurrency: 4
            thumbnails:
              widths: [32]
            health:
              listen: 127.0.0.1:\(port)
            daemon:
              debounce_ms: 200

            """
        let site = try TestSite("mediamirror-daemon", configuration: configuration)
        defer { site.remove() }
        for (index, name) in ["a", "b", "c", "d"].enumerated() {
            try site.origin.serve(
                try TestImages.jpeg(width: 64, height: 48, seed: index), host: "img.test", path: "\(name).jpg")
        }
        let first = site.posts.appendingPathComponent("first.md")
        try Data("---\ntitle: first\n---\n<img data-original=\"http://img.test/a.jpg\" src=\"x.gif\">\n".utf8)
            .write(to: first)

        let notify = try NotifySocket(path: site.directory.appending("notify.sock").path)
        defer { notify.stop() }
        var environment = ProcessRunner.environment(proxiedThrough: site.origin)
        environment["NOTIFY_SOCKET"] = notify.path
        environment["WATCHDOG_USEC"] = "1000000"
        let daemon = try DaemonProcess(
            config: site.config, environment: environment, logFile: site.directory.appending("daemon.log"))
        let base = "http://127.0.0.1:\(port)"

        // READY arrives.
        let ready = waitUntil(within: .seconds(20)) { !notify.messages(containing: "READY=1").isEmpty }
        try #require(ready, "no READY=1; log:\n\(daemon.log)")

        // WATCHDOG pings every WATCHDOG_USEC/2 = 0.5 s: over 3 s, 5 to 7, no gap near the limit.
        try await Task.sleep(for: .seconds(3.2))
        let readyAt = notify.messages(containing: "READY=1")[0].arrived
        let pings = notify.messages(containing: "WATCHDOG=1").map(\.arrived).filter { $0 > readyAt }
        let window = pings.filter { $0 <= readyAt + .seconds(3) }
        #expect((5...7).contains(window.count), "\(window.count) pings in 3 s")
        let gaps = zip(pings.dropFirst(), pings).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 < .milliseconds(900) }, "gaps \(gaps)")

        // The first pass mirrors the existing post; then the daemon is ready.
        #expect(waitUntil(within: .seconds(10)) { (try? Self.endpoint(base + "/readyz").status) == 200 })
        #expect(
            String(decoding: try Data(contentsOf: first), as: UTF8.self).contains("data-original=\"/images/mirror/"))

        // A post copied into the tree is rewritten within 5 s.
        let dropped = site.posts.appendingPathComponent("2026/dropped.md")
        try FileManager.default.createDirectory(
            at: dropped.deletingLastPathComponent(), withIntermediateDirectories: true)
        let staging = site.directory.appending("dropped.md")
        try Data("---\nheadimg: http://img.test/b.jpg\n---\n![b](http://img.test/c.jpg)\n".utf8).write(to: staging)
        let copiedAt = ContinuousClock.now
        try FileManager.default.copyItem(at: staging, to: dropped)
        let rewritten = waitUntil(within: .seconds(5)) {
            let text = String(decoding: (try? Data(contentsOf: dropped)) ?? Data(), as: UTF8.self)
            return !text.contains("img.test") && text.contains("/images/mirror/")
        }
        #expect(rewritten, "not rewritten within 5 s; log:\n\(daemon.log)")
        print("daemon: dropped post rewritten after \(ContinuousClock.now - copiedAt)")

        // An edit (saved the way editors do: temp file, rename) is rescanned and mirrored.
        let current = String(decoding: try Data(contentsOf: first), as: UTF8.self)
        let temporary = site.posts.appendingPathComponent(".first.md.swp")
        try Data((current + "<img src=\"http://img.test/d.jpg\">\n").utf8).write(to: temporary)
        #expect(rename(temporary.path, first.path) == 0)
        let edited = waitUntil(within: .seconds(5)) {
            let text = String(decoding: (try? Data(contentsOf: first)) ?? Data(), as: UTF8.self)
            return !text.contains("img.test") && text.components(separatedBy: "/images/mirror/").count == 3
        }
        #expect(edited, "edit not mirrored; log:\n\(daemon.log)")

        // The endpoints answer.
        #expect(try Self.endpoint(base + "/healthz").status == 200)
        let status = try Self.endpoint(base + "/status")
        #expect(status.status == 200)
        let report = Self.json(status.body)
        #expect(report["ready"] as? Bool == true, "\(status.body)")
        let counts = report["counts"] as? [String: Any]
        #expect(counts?["urls_mirrored"] as? Int == 4, "\(status.body)")
        #expect(counts?["posts"] as? Int == 2)
        #expect((report["watcher"] as? [String: Any])?["directories"] as? Int == 2, "\(status.body)")
        let metrics = try Self.endpoint(base + "/metrics", prometheus: true)
        #expect(metrics.status == 200, "\(metrics.body)")
        let families = (try? JSONSerialization.jsonObject(with: Data(metrics.body.utf8))) as? [[String: Any]] ?? []
        let names = Set(families.compactMap { $0["name"] as? String })
        for expected in [
            "mediamirror_fetches", "mediamirror_fetched_bytes", "mediamirror_fetch_duration_seconds",
            "mediamirror_thumbnails_made", "mediamirror_posts_rewritten", "mediamirror_queue_depth",
            "mediamirror_last_success_timestamp_seconds", "mediamirror_passes", "mediamirror_ready",
        ] {
            #expect(names.contains(expected), "no \(expected) in \(names.sorted())")
        }
        let fetches = families.first { $0["name"] as? String == "mediamirror_fetches" }
        let fetchSamples = (fetches?["samples"] as? [[Any]]) ?? []
        let okFetches = fetchSamples.filter {
            ($0[0] as? String) == "mediamirror_fetches_total"
                && (($0[1] as? [String: String])?["outcome"] == "ok")
                && (($0[1] as? [String: String])?["host"] == "img.test")
        }.compactMap { $0[2] as? Double }.reduce(0, +)
        #expect(okFetches == 4, "\(fetchSamples)")

        // `mediamirror health` agrees.
        let health = try ProcessRunner.run(Paths.executable, ["health", "--ready", "--config", site.config.path])
        #expect(health.status == 0, "\(health.stdout)\(health.stderr)")

        // SIGHUP reloads a changed value, and says which changes need a restart.
        let changed = configuration.replacingOccurrences(of: "concurrency: 4", with: "concurrency: 2")
            .replacingOccurrences(of: "debounce_ms: 200", with: "debounce_ms: 200\n  rescan_interval: 600")
        try Data(changed.utf8).write(to: site.config)
        daemon.signal(SIGHUP)
        let reloaded = waitUntil(within: .seconds(5)) {
            let values =
                (Self.json((try? Self.endpoint(base + "/status"))?.body ?? "")["configuration"] as? [String: Any])?[
                    "values"] as? [String: String]
            return values?["fetch.concurrency"] == "2" && values?["daemon.rescan_interval"] == "600"
        }
        #expect(reloaded, "SIGHUP did not reload; log:\n\(daemon.log)")
        #expect(daemon.log.contains("fetch.concurrency"))

        // SIGTERM: STOPPING=1, exit 0 within 10 s, no temporary file left.
        daemon.signal(SIGTERM)
        let exitStatus = daemon.waitForExit(timeout: .seconds(10))
        #expect(exitStatus == 0, "log:\n\(daemon.log)")
        #expect(!notify.messages(containing: "STOPPING=1").isEmpty)
        let leftovers =
            (FileManager.default.enumerator(atPath: site.directory.appending("site").path)?.allObjects
            as? [String] ?? []).filter { ($0 as NSString).lastPathComponent.hasPrefix(".mm-tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")

        // Under journald (JOURNAL_STREAM names stderr) every line carries a <priority> prefix.
        let lines = daemon.log.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.first == "<" && $0.dropFirst().prefix(1).allSatisfy(\.isNumber) }, "\(lines)")

        // With the daemon gone, `mediamirror health` fails.
        let down = try ProcessRunner.run(Paths.executable, ["health", "--config", site.config.path])
        #expect(down.status == 1)
    }
}

extension DaemonTests {
    /// SIGTERM while a download is in flight: the daemon waits `daemon.stop_timeout`, abandons
    /// it, exits 0, leaves no temporary file, does not touch the post and does not record the
    /// abandoned URL as failed (the next start fetches it at once).
    @Test func sigtermAbandonsATransferInFlightAndExitsCleanly() async throws {
        let port = FreePort.next()
        let site = try TestSite(
            "mediamirror-daemon-stop",
            configuration: "health:\n  listen: 127.0.0.1:\(port)\ndaemon:\n  stop_timeout: 1\n")
        defer { site.remove() }
        try site.origin.serve(try TestImages.jpeg(width: 64, height: 48), host: "img.test", path: "a.jpg")
        let post = site.posts.appendingPathComponent("slow.md")
        let original = "---\ntitle: slow\n---\n<img src=\"http://img.test/__/slow/60000?then=/a.jpg\">\n"
        try Data(original.utf8).write(to: post)
        let notify = try NotifySocket(path: site.directory.appending("notify.sock").path)
        defer { notify.stop() }
        var environment = ProcessRunner.environment(proxiedThrough: site.origin)
        environment["NOTIFY_SOCKET"] = notify.path
        let daemon = try DaemonProcess(
            config: site.config, environment: environment, logFile: site.directory.appending("daemon.log"))

        let started = waitUntil(within: .seconds(20)) {
            site.origin.requests().contains { $0.hasPrefix("START ") }
        }
        try #require(started, "the download never started; log:\n\(daemon.log)")
        let signalled = ContinuousClock.now
        daemon.signal(SIGTERM)
        let status = daemon.waitForExit(timeout: .seconds(10))
        let took = ContinuousClock.now - signalled
        #expect(status == 0, "log:\n\(daemon.log)")
        #expect(took < .seconds(6), "took \(took)")
        #expect(!notify.messages(containing: "STOPPING=1").isEmpty)
        #expect(try Data(contentsOf: post) == Data(original.utf8))
        let files =
            FileManager.default.enumerator(atPath: site.directory.appending("site").path)?.allObjects as? [String]
        #expect(
            (files ?? []).allSatisfy { !($0 as NSString).lastPathComponent.hasPrefix(".mm-tmp-") }, "\(files ?? [])")
        let report = try ProcessRunner.run(Paths.executable, ["report", "--json", "--config", site.config.path])
        let failures = Self.json(report.stdout)["failures"] as? [[String: Any]]
        #expect(failures?.isEmpty == true, "\(report.stdout)")
    }
}
