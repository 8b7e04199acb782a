import Foundation
import TestSupport
import Testing

/// The daemon always starts or fails loudly, and always stops: each start failure ends the
/// process with status 3 within 5 s, its cause in the log and in systemd's STATUS=; SIGTERM ends
/// it within `daemon.stop_timeout` + 5 s in every phase of its work. Nothing here sleeps a fixed
/// time: every wait is for an observable state (a notify message, the origin's log, /status).
@Suite(.serialized)
struct DaemonLifecycleTests {
    /// A site with a daemon configuration, a notify socket and the environment to run it.
    struct Harness {
        let site: TestSite
        let notify: NotifySocket
        let port: Int
        var environment: [String: String]

        init(_ label: String, port: Int = FreePort.next(), extra: String = "") throws {
            self.port = port
            site = try TestSite(
                label,
                configuration: """
                    health:
                      listen: 127.0.0.1:\(port)
                    thumbnails:
                      widths: [64]
                    daemon:
                      stop_timeout: 1
                      debounce_ms: 100
                    \(extra)
                    """)
            notify = try NotifySocket(path: site.directory.appending("notify.sock").path)
            environment = ProcessRunner.environment(proxiedThrough: site.origin)
            environment["NOTIFY_SOCKET"] = notify.path
        }

        func start(_ name: String = "daemon", launcher: [String] = []) throws -> DaemonProcess {
            try DaemonProcess(
                config: site.config, environment: environment, logFile: site.directory.appending("\(name).log"),
                launcher: launcher)
        }

        func status() -> [String: Any] {
            let answer = try? DaemonTests.endpoint("http://127.0.0.1:\(port)/status")
            return DaemonTests.json(answer?.body ?? "")
        }

        func remove() {
            notify.stop()
            site.remove()
        }
    }

    /// Asserts the process failed to start: status 3 within 5 s of `launched`, the cause in
    /// one log line and in systemd's STATUS= (with ERRNO= when given).
    static func expectStartFailure(
        _ daemon: DaemonProcess, launched: ContinuousClock.Instant, _ harness: Harness, cause: String,
        errno: Int32? = nil
    ) {
        let status = daemon.waitForExit(timeout: .seconds(5) - (ContinuousClock.now - launched))
        #expect(
            status == 3,
            "exit status \(String(describing: status)) after \(ContinuousClock.now - launched); log:\n\(daemon.log)")
        let causeLines = daemon.log.split(separator: "\n").filter { $0.contains("cannot run:") }
        #expect(causeLines.count == 1, "log:\n\(daemon.log)")
        #expect(causeLines.first?.lowercased().contains(cause.lowercased()) == true, "log:\n\(daemon.log)")
        let mine = harness.notify.received.filter { $0.arrived >= launched }
        let statusLine = mine.first { $0.text.hasPrefix("STATUS=failed:") }?.text ?? ""
        #expect(statusLine.lowercased().contains(cause.lowercased()), "notify: \(mine.map(\.text))")
        if let errno { #expect(statusLine.hasSuffix("\nERRNO=\(errno)"), "\(statusLine)") }
        #expect(!mine.contains { $0.text.contains("READY=1") }, "notify: \(mine.map(\.text))")
    }

    @Test func aPortInUseFailsTheStartWithItsCause() throws {
        let listener = try ListeningSocket()
        let harness = try Harness("mediamirror-life-port", port: listener.port)
        defer { harness.remove() }
        try Data("<img src=\"http://img.test/a.jpg\">\n".utf8).write(
            to: harness.site.posts.appendingPathComponent("a.md"))
        let launched = ContinuousClock.now
        let daemon = try harness.start()
        Self.expectStartFailure(daemon, launched: launched, harness, cause: "address already in use", errno: EADDRINUSE)
        // It did not mirror anything meanwhile.
        #expect(harness.site.origin.requests().isEmpty)
        listener.close()
    }

    @Test func aSecondDaemonOrACommandOnTheSameSiteIsRefusedNamingTheDaemon() throws {
        let harness = try Harness("mediamirror-life-lock")
        defer { harness.remove() }
        try harness.site.origin.serve(try TestImages.jpeg(width: 64, height: 48), host: "img.test", path: "a.jpg")
        let post = harness.site.posts.appendingPathComponent("a.md")
        try Data("<img src=\"http://img.test/a.jpg\">\n".utf8).write(to: post)
        let first = try harness.start("first")
        try #require(
            waitUntil(within: .seconds(20)) { !harness.notify.messages(containing: "READY=1").isEmpty },
            "log:\n\(first.log)")

        let launched = ContinuousClock.now
        let second = try harness.start("second")
        Self.expectStartFailure(second, launched: launched, harness, cause: "pid \(first.pid), daemon", errno: EBUSY)

        for command in [["sync"], ["restore"], ["gc"]] {
            let result = try ProcessRunner.run(
                Paths.executable, command + ["--config", harness.site.config.path],
                environment: harness.environment)
            #expect(result.status == 3, "\(command): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("pid \(first.pid), daemon"), "\(command): \(result.stderr)")
        }
        first.signal(SIGTERM)
        #expect(first.waitForExit(timeout: .seconds(6)) == 0, "log:\n\(first.log)")
        // With the daemon gone the lock is free again.
        let sync = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", harness.site.config.path], environment: harness.environment)
        #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
    }

    /// Root writes through permission bits, so the daemon runs as `nobody` here (setpriv) when
    /// the test runs as root, over a site it owns but for the media directory.
    @Test func anUnwritableMediaDirectoryFailsTheStart() throws {
        let harness = try Harness("mediamirror-life-media")
        defer { harness.remove() }
        let media = harness.site.media
        try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
        var launcher: [String] = []
        if getuid() == 0 {
            let nobody: UInt32 = 65534
            let site = harness.site.directory.appending("site")
            for path in [harness.site.directory.url, site, site.appendingPathComponent("source"), harness.site.posts] {
                chown(path.path, nobody, nobody)
            }
            chmod(harness.site.directory.url.path, 0o755)
            // systemd's own socket takes messages from the service's user.
            chmod(harness.notify.path, 0o777)
            chmod(media.path, 0o755)
            chmod(media.deletingLastPathComponent().path, 0o755)
            launcher = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        } else {
            chmod(media.path, 0o555)
        }
        defer { chmod(media.path, 0o755) }
        let launched = ContinuousClock.now
        let daemon = try harness.start(launcher: launcher)
        Self.expectStartFailure(
            daemon, launched: launched, harness, cause: "media directory \(media.path) is not writable", errno: EACCES)
    }

    @Test func aMissingPostsDirectoryIsAConfigurationError() throws {
        let harness = try Harness("mediamirror-life-posts")
        defer { harness.remove() }
        try FileManager.default.removeItem(at: harness.site.posts)
        let daemon = try harness.start()
        #expect(daemon.waitForExit(timeout: .seconds(5)) == 2, "log:\n\(daemon.log)")
    }

    /// SIGTERM sent while the start is failing (and again before the process could have set
    /// anything up): the process ends within 5 s either way.
    @Test func sigtermWhileAStartFailureIsPendingEndsTheProcess() throws {
        let listener = try ListeningSocket()
        let harness = try Harness("mediamirror-life-pending", port: listener.port)
        defer { harness.remove() }
        for _ in 0..<2 {
            let launched = ContinuousClock.now
            let daemon = try harness.start()
            daemon.signal(SIGTERM)
            let status = daemon.waitForExit(timeout: .seconds(5))
            #expect(status != nil, "still running after \(ContinuousClock.now - launched); log:\n\(daemon.log)")
        }
        let launched = ContinuousClock.now
        let daemon = try harness.start("logged")
        try #require(waitUntil(within: .seconds(5)) { daemon.log.contains("cannot run:") }, "log:\n\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(5) - (ContinuousClock.now - launched)) == 3, "log:\n\(daemon.log)")
    }
}

extension DaemonLifecycleTests {
    /// Sends SIGTERM and expects exit 0 within stop_timeout (1 s) + 5 s, STOPPING=1 at once.
    static func expectStops(_ daemon: DaemonProcess, _ harness: Harness, phase: String) {
        let signalled = ContinuousClock.now
        daemon.signal(SIGTERM)
        let status = daemon.waitForExit(timeout: .seconds(6))
        let took = ContinuousClock.now - signalled
        #expect(status == 0, "\(phase): exit \(String(describing: status)) after \(took); log:\n\(daemon.log)")
        // The datagram was sent before the exit; the socket's reader thread may not have taken
        // it yet on a loaded machine.
        #expect(
            waitUntil(within: .seconds(2)) { !harness.notify.messages(containing: "STOPPING=1").isEmpty }, "\(phase)")
        print("daemon: SIGTERM while \(phase) ended it after \(took)")
    }

    @Test func sigtermWhileIdleStops() throws {
        let harness = try Harness("mediamirror-life-idle")
        defer { harness.remove() }
        let daemon = try harness.start()
        try #require(
            waitUntil(within: .seconds(20)) {
                (try? DaemonTests.endpoint("http://127.0.0.1:\(harness.port)/readyz").status) == 200
            }, "log:\n\(daemon.log)")
        Self.expectStops(daemon, harness, phase: "idle")
    }

    /// 400 transfers held open by the origin for a minute: the stop abandons them all.
    @Test func sigtermWith400TransfersInFlightStops() throws {
        let harness = try Harness(
            "mediamirror-life-transfers", extra: "fetch:\n  concurrency: 400\n  per_host: 400\n  timeout: 120\n")
        defer { harness.remove() }
        try harness.site.origin.serve(try TestImages.jpeg(width: 64, height: 48), host: "img.test", path: "a.jpg")
        let body = (0..<400).map { "<img src=\"http://img.test/__/slow/60000?then=/a.jpg&n=\($0)\">" }
        let post = harness.site.posts.appendingPathComponent("many.md")
        let original = Data(("---\ntitle: many\n---\n" + body.joined(separator: "\n") + "\n").utf8)
        try original.write(to: post)
        let daemon = try harness.start()
        let inFlight = waitUntil(within: .seconds(60)) {
            harness.site.origin.requests().filter { $0.hasPrefix("START ") }.count >= 400
        }
        try #require(
            inFlight,
            "\(harness.site.origin.requests().filter { $0.hasPrefix("START ") }.count) in flight; log:\n\(daemon.log)")
        Self.expectStops(daemon, harness, phase: "400 transfers in flight")
        #expect(try Data(contentsOf: post) == original)
    }

    /// A tree large enough that the first pass is seen scanning on /status.
    @Test func sigtermWhileScanningStops() throws {
        let harness = try Harness("mediamirror-life-scan")
        defer { harness.remove() }
        let sample = try Data(
            contentsOf: Paths.shared.appendingPathComponent("samples/000_f6c7ce3e199e2f35.md"))
        for directory in 0..<40 {
            let folder = harness.site.posts.appendingPathComponent("d\(directory)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for index in 0..<500 {
                try sample.write(to: folder.appendingPathComponent("p\(index).md"))
            }
        }
        let daemon = try harness.start()
        let scanning = waitUntil(within: .seconds(30)) {
            ((harness.status()["progress"] as? [String: Any])?["phase"] as? String) == "scanning"
        }
        try #require(scanning, "never seen scanning; log:\n\(daemon.log)")
        Self.expectStops(daemon, harness, phase: "scanning")
        let first = harness.site.posts.appendingPathComponent("d0/p0.md")
        #expect(try Data(contentsOf: first) == sample)
    }

    /// Large images: the stop comes while the first one is being thumbnailed.
    @Test func sigtermWhileThumbnailingStops() throws {
        let harness = try Harness("mediamirror-life-thumbs", extra: "fetch:\n  concurrency: 2\n")
        defer { harness.remove() }
        let big = try TestImages.png(width: 5000, height: 4000)
        var lines: [String] = []
        for index in 0..<6 {
            try harness.site.origin.serve(big + [UInt8(index)], host: "img.test", path: "big\(index).png")
            lines.append("<img src=\"http://img.test/big\(index).png\">")
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(
            to: harness.site.posts.appendingPathComponent("big.md"))
        let daemon = try harness.start()
        let downloaded = waitUntil(within: .seconds(30)) {
            harness.site.origin.requests().contains { $0.contains("/big") && $0.hasSuffix(" 200") }
        }
        try #require(downloaded, "log:\n\(daemon.log)")
        Self.expectStops(daemon, harness, phase: "thumbnailing")
    }
}

extension DaemonLifecycleTests {
    /// The daemon in a user namespace of its own whose inotify watch limit is 3: the tree's
    /// other directories cannot be watched, which is a warning, and the periodic rescans still
    /// mirror a post added to one of them.
    @Test func anExhaustedInotifyWatchLimitWarnsAndRescansCarryOn() throws {
        let harness = try Harness("mediamirror-life-inotify", extra: "  rescan_interval: 1\n")
        defer { harness.remove() }
        try harness.site.origin.serve(try TestImages.jpeg(width: 64, height: 48), host: "img.test", path: "a.jpg")
        for name in ["a", "b", "c", "d", "e", "f"] {
            try FileManager.default.createDirectory(
                at: harness.site.posts.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        let launcher = [
            "/usr/bin/unshare", "--user", "--map-root-user", "/bin/sh", "-c",
            "echo 3 > /proc/sys/user/max_inotify_watches && exec \"$@\"", "sh",
        ]
        let daemon = try harness.start(launcher: launcher)
        try #require(
            waitUntil(within: .seconds(20)) { !harness.notify.messages(containing: "READY=1").isEmpty },
            "log:\n\(daemon.log)")
        #expect(daemon.log.contains("inotify watch limit is reached"), "log:\n\(daemon.log)")
        // After the first pass, only a rescan can find the new post.
        try #require(
            waitUntil(within: .seconds(20)) {
                (try? DaemonTests.endpoint("http://127.0.0.1:\(harness.port)/readyz").status) == 200
            }, "log:\n\(daemon.log)")
        let post = harness.site.posts.appendingPathComponent("f/late.md")
        try Data("<img src=\"http://img.test/a.jpg\">\n".utf8).write(to: post)
        let mirrored = waitUntil(within: .seconds(15)) {
            String(decoding: (try? Data(contentsOf: post)) ?? Data(), as: UTF8.self).contains("/images/mirror/")
        }
        #expect(mirrored, "log:\n\(daemon.log)")
        Self.expectStops(daemon, harness, phase: "rescanning without full inotify")
    }
}

extension DaemonLifecycleTests {
    /// Passes the watcher asked for take the posts it reported instead of walking the tree: an
    /// edit is mirrored with that one post read, a deleted post is forgotten, nothing else is
    /// read. (That no tree is walked shows in time, not here: `Benchmarks/run.py noop`.)
    @Test func watchedChangesAreMirroredAndDeletedPostsForgotten() throws {
        let harness = try Harness("mediamirror-life-changes")
        defer { harness.remove() }
        for name in ["a", "b", "c"] {
            try harness.site.origin.serve(
                try TestImages.jpeg(width: 64, height: 48, seed: name.count), host: "img.test", path: "\(name).jpg")
        }
        for name in ["a", "b", "c"] {
            try FileManager.default.createDirectory(
                at: harness.site.posts.appendingPathComponent("d\(name)"), withIntermediateDirectories: true)
            try Data("<img src=\"http://img.test/\(name).jpg\">\n".utf8).write(
                to: harness.site.posts.appendingPathComponent("d\(name)/\(name).md"))
        }
        let daemon = try harness.start()
        try #require(
            waitUntil(within: .seconds(20)) {
                (try? DaemonTests.endpoint("http://127.0.0.1:\(harness.port)/readyz").status) == 200
            }, "log:\n\(daemon.log)")
        // The scanned counts of the passes after the first, from the log ("pass finished" lines;
        // the daemon's own rewrites come back as changes too, and read nothing).
        func laterScans() -> [Int] {
            daemon.log.split(separator: "\n").filter { $0.contains("pass finished") }.dropFirst().compactMap { line in
                line.split(separator: " ").first { $0.hasPrefix("posts_scanned=") }.flatMap {
                    Int($0.dropFirst("posts_scanned=".count))
                }
            }
        }
        let edited = harness.site.posts.appendingPathComponent("da/a.md")
        try Data("<img src=\"http://img.test/a.jpg\">\n<img src=\"http://img.test/c.jpg\">\n".utf8).write(to: edited)
        let mirrored = waitUntil(within: .seconds(10)) {
            !String(decoding: (try? Data(contentsOf: edited)) ?? Data(), as: UTF8.self).contains("img.test")
        }
        #expect(mirrored, "log:\n\(daemon.log)")
        try FileManager.default.removeItem(at: harness.site.posts.appendingPathComponent("db/b.md"))
        let forgotten = waitUntil(within: .seconds(10)) {
            (harness.status()["counts"] as? [String: Any])?["posts"] as? Int == 2
        }
        #expect(forgotten, "\(harness.status())")
        #expect(laterScans().contains(1), "\(laterScans()); log:\n\(daemon.log)")
        #expect(laterScans().allSatisfy { $0 <= 1 }, "\(laterScans()); log:\n\(daemon.log)")
        Self.expectStops(daemon, harness, phase: "after watched changes")
    }
}
