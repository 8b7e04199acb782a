import Foundation
import TestSupport
import Testing

/// `health.token_file`, `health.protect_metrics` and `health.public` on a running daemon:
/// every endpoint with no, wrong and right credentials, the cookie a `/?token=` visit sets, and
/// the refusal to serve other machines without a token.
@Suite(.serialized)
struct DaemonAccessTests {
    static let token = "s3cret-token-0123456789abcdef"

    static func answers(port: Int, _ requests: [String]) throws -> [[String: Any]] {
        let script = Paths.repository.appendingPathComponent("Tests/Browser/raw_get.py")
        let result = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, "\(port)"] + requests)
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [[String: Any]] ?? []
    }

    static func statuses(port: Int, _ requests: [String]) throws -> [Int] {
        try answers(port: port, requests).map { $0["status"] as? Int ?? 0 }
    }

    static func site(_ label: String, port: Int, health: String) throws -> TestSite {
        let site = try TestSite(
            label, configuration: "thumbnails:\n  widths: [32]\nhealth:\n  listen: 127.0.0.1:\(port)\n\(health)")
        try Data((token + "\n").utf8).write(to: site.directory.appending("token"))
        try site.origin.serve(try TestImages.jpeg(width: 64, height: 48, seed: 1), host: "img.test", path: "a.jpg")
        try Data("<img src=\"http://img.test/a.jpg\">\n".utf8).write(to: site.posts.appendingPathComponent("a.md"))
        return site
    }

    static func start(_ site: TestSite, port: Int) throws -> DaemonProcess {
        let daemon = try DaemonProcess(
            config: site.config, environment: ProcessRunner.environment(proxiedThrough: site.origin),
            logFile: site.directory.appending("daemon.log"))
        let ready = waitUntil(within: .seconds(30)) { (try? statuses(port: port, ["/readyz"])) == [200] }
        try #require(ready, "not ready; log:\n\(daemon.log)")
        return daemon
    }

    @Test func eachEndpointWithNoWrongAndRightCredentials() throws {
        let port = FreePort.next()
        let site = try Self.site("mediamirror-access", port: port, health: "  token_file: ../token\n")
        defer { site.remove() }
        let daemon = try Self.start(site, port: port)
        defer {
            daemon.signal(SIGTERM)
            _ = daemon.waitForExit(timeout: .seconds(10))
        }
        let bearer = "Authorization: Bearer \(Self.token)"
        let wrong = "Authorization: Bearer \(Self.token.dropLast())x"
        let page = try DaemonTests.endpoint("http://127.0.0.1:\(port)/")
        #expect(page.status == 401)
        let known = Self.mediaPath(site)
        try #require(!known.isEmpty, "a stored thumbnail")

        for path in ["/", "/status", "/media/\(known)"] {
            #expect(
                try Self.statuses(port: port, [path, path + "|" + wrong, path + "|" + bearer]) == [401, 401, 200],
                "\(path)")
            #expect(
                try Self.statuses(port: port, [path + "|Cookie: mediamirror_session=\(Self.token)"]) == [401],
                "the token is not a session")
        }
        #expect(
            try Self.statuses(port: port, ["/healthz", "/readyz", "/metrics"]) == [200, 200, 200], "open by default")

        // The one-time visit: a wrong token is refused; the right one sets a session cookie and
        // sends the browser on to / without the token in the address.
        let visits = try Self.answers(port: port, ["/?token=nope", "/?token=\(Self.token)"])
        #expect(visits.map { $0["status"] as? Int } == [401, 303])
        let cookie = try #require(visits.last?["set_cookie"] as? String)
        #expect(visits.last?["location"] as? String == "/")
        #expect(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains(Self.token),
            "\(cookie)")
        let session = try #require(cookie.split(separator: ";").first.map(String.init))
        #expect(
            try Self.statuses(port: port, ["/|Cookie: other=1; \(session)", "/status|Cookie: \(session)x"]) == [
                200, 401,
            ])

        // `mediamirror health` reads the token file the configuration names.
        let health = try ProcessRunner.run(Paths.executable, ["health", "--json", "--config", site.config.path])
        #expect(health.status == 0 && health.stdout.contains("\"passes\""), "\(health.stdout) \(health.stderr)")
    }

    /// A file path the manifest names below the media directory, from what is on disk.
    static func mediaPath(_ site: TestSite) -> String {
        let files = FileManager.default.subpaths(atPath: site.media.path) ?? []
        return files.first { $0.hasSuffix("w.jpg") } ?? ""
    }

    @Test func protectedMetricsAskForTheTokenToo() throws {
        let port = FreePort.next()
        let site = try Self.site(
            "mediamirror-access-metrics", port: port, health: "  token_file: ../token\n  protect_metrics: true\n")
        defer { site.remove() }
        let daemon = try Self.start(site, port: port)
        defer {
            daemon.signal(SIGTERM)
            _ = daemon.waitForExit(timeout: .seconds(10))
        }
        #expect(
            try Self.statuses(port: port, ["/metrics", "/metrics|Authorization: Bearer \(Self.token)", "/healthz"])
                == [401, 200, 200])
    }

    @Test func otherMachinesAreServedOnlyWithATokenOrOnPurpose() throws {
        let port = FreePort.next()
        let site = try TestSite(
            "mediamirror-access-public", configuration: "health:\n  listen: 0.0.0.0:\(port)\n")
        defer { site.remove() }
        let started = ContinuousClock.now
        let refused = try ProcessRunner.run(Paths.executable, ["daemon", "--config", site.config.path])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(
            refused.stderr.contains("health.token_file") && refused.stderr.contains("health.public"),
            "\(refused.stderr)")
        #expect(ContinuousClock.now - started < .seconds(5))

        try Data("short\n".utf8).write(to: site.directory.appending("token"))
        try "health:\n  listen: 0.0.0.0:\(port)\n  token_file: ../token\n".write(
            to: site.config, atomically: true, encoding: .utf8)
        let short = try ProcessRunner.run(Paths.executable, ["daemon", "--config", site.config.path])
        #expect(short.status == 2 && short.stderr.contains("at least 16 characters"), "\(short.stderr)")

        try "health:\n  listen: 0.0.0.0:\(port)\n  public: true\n".write(
            to: site.config, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(
            config: site.config, environment: [:], logFile: site.directory.appending("daemon.log"))
        defer {
            daemon.signal(SIGTERM)
            _ = daemon.waitForExit(timeout: .seconds(10))
        }
        let serving = waitUntil(within: .seconds(20)) { (try? Self.statuses(port: port, ["/status"])) == [200] }
        #expect(serving, "health.public serves without a token; log:\n\(daemon.log)")
    }
}
