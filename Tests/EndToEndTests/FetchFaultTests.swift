import Foundation
import TestSupport
import Testing

/// Every fault a real origin can throw at a sync, through the real binary against the test
/// origin: each URL ends with the right failure class, the right number of attempts at the
/// right spacing (Retry-After honoured, otherwise exponential back-off with full jitter), and
/// nothing but published files in the media directory.
@Suite(.serialized)
struct FetchFaultTests {
    /// What one URL must end as.
    struct Fault: CustomStringConvertible {
        var url: String
        /// The failure class, or nil when the URL must end mirrored.
        var failure: String?
        var httpStatus: Int? = nil
        /// Requests the URL gets (attempts for a failure, requests for a success).
        var attempts: Int
        /// Allowed gaps between consecutive answers, checked when the origin sees the requests.
        var gaps: [ClosedRange<Double>] = []

        var description: String { url }
    }

    /// The shared settings plus `fetch` lines of a test's own.
    static func configuration(_ fetch: String) -> String {
        """
        fetch:
          attempts: 3
          concurrency: 16
          per_host: 4
          max_bytes: 1000000
          allow_networks: ['127.0.0.1/32']
          host_rules: ['f3.test | referer: origin']
        \(fetch)thumbnails:
          widths: [16]

        """
    }

    /// The back-off draws each delay from [0, 0.5 × 2^(n-1)] s; answers add a little.
    static let jitter1 = 0.0...0.9
    static let jitter2 = 0.0...1.4
    /// Retry-After: 1 (and an HTTP-date 1–2 s ahead) is waited for, not more than needed.
    static let retryAfter = 0.9...2.5

    @Test func faultsEndWithTheirClassAttemptsAndSpacing() throws {
        try run(
            configuration: Self.configuration("  timeout: 20\n  low_speed_limit: 2000\n  low_speed_time: 1\n"),
            faults: { port in
                [
                    Fault(url: "http://f1.test/missing.jpg", failure: "http_status", httpStatus: 404, attempts: 1),
                    Fault(url: "http://f2.test/__/status/410", failure: "http_status", httpStatus: 410, attempts: 1),
                    Fault(
                        url: "http://f3.test/__/referer?then=/a.jpg", failure: "http_status", httpStatus: 403,
                        attempts: 1),
                    Fault(url: "http://f4.test/__/ratelimit/k4/1?then=/a.jpg", attempts: 2, gaps: [Self.retryAfter]),
                    Fault(
                        url: "http://f5.test/__/ratelimit/k5/9?then=/a.jpg", failure: "http_status", httpStatus: 429,
                        attempts: 3, gaps: [Self.retryAfter, Self.retryAfter]),
                    Fault(
                        url: "http://f6.test/__/ratelimit-date/k6/1?then=/a.jpg", attempts: 2, gaps: [Self.retryAfter]),
                    Fault(url: "http://f7.test/__/fail/k7/1/500?then=/a.jpg", attempts: 2, gaps: [Self.jitter1]),
                    Fault(
                        url: "http://f8.test/__/fail/k8/9/502?then=/a.jpg", failure: "http_status", httpStatus: 502,
                        attempts: 3, gaps: [Self.jitter1, Self.jitter2]),
                    Fault(url: "http://f9.test/__/reset?then=/a.jpg", failure: "reset", attempts: 3),
                    Fault(url: "http://f10.test/__/truncated?then=/a.jpg", failure: "truncated", attempts: 3),
                    Fault(url: "http://f11.test/__/trickle/300?then=/a.jpg", failure: "too_slow", attempts: 3),
                    Fault(url: "http://f12.test/__/stall?then=/a.jpg", failure: "too_slow", attempts: 3),
                    Fault(url: "http://f13.test/__/loop/0", failure: "too_many_redirects", attempts: 1),
                    Fault(
                        url: "http://f14.test/__/redirect?to=file:///etc/passwd", failure: "forbidden_protocol",
                        attempts: 1),
                    Fault(
                        url: "http://127.0.0.1:\(port)/__/redirect?to=http://127.0.0.2:\(port)/a.jpg",
                        failure: "blocked_address", attempts: 1),
                    Fault(url: "http://f15.test/__/html", failure: "not_an_image", attempts: 1),
                    Fault(url: "http://f16.test/__/bytes/5000000", failure: "too_large", attempts: 1),
                    Fault(url: "http://f17.test/__/stream/5000000", failure: "too_large", attempts: 1),
                    Fault(url: "http://nowhere.invalid/a.jpg", failure: "dns", attempts: 3),
                    Fault(url: "http://127.0.0.1:1/a.jpg", failure: "connect", attempts: 3),
                    Fault(url: "https://127.0.0.1:\(port)/a.jpg", failure: "tls", attempts: 1),
                ]
            })
    }

    /// Without a low-speed limit to hit first, a server that never answers runs into the timeout.
    @Test func aSilentServerTimesOut() throws {
        try run(
            configuration: Self.configuration("  timeout: 2\n  low_speed_limit: 1\n  low_speed_time: 60\n"),
            faults: { _ in
                [
                    Fault(url: "http://f20.test/__/slow/8000?then=/a.jpg", failure: "timeout", attempts: 3),
                    Fault(url: "http://f21.test/__/stall?then=/a.jpg", failure: "timeout", attempts: 3),
                ]
            })
    }

    private func run(configuration: String, faults makeFaults: (Int) -> [Fault]) throws {
        let site = try TestSite("mediamirror-faults", configuration: configuration)
        defer { site.remove() }
        let faults = makeFaults(site.origin.port)
        for (index, fault) in faults.enumerated() {
            guard let host = URL(string: fault.url)?.host() else { continue }
            try site.origin.serve(try TestImages.jpeg(width: 120, height: 90, seed: index), host: host, path: "a.jpg")
        }
        let body = faults.map { "![x](\($0.url))" }.joined(separator: "\n") + "\n"
        try Data(body.utf8).write(to: site.posts.appendingPathComponent("faults.md"))
        var environment = ProcessRunner.environment(proxiedThrough: site.origin)
        environment["no_proxy"] = "127.0.0.1,127.0.0.2,.invalid"
        let sync = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path], environment: environment)
        #expect(sync.status == (faults.allSatisfy { $0.failure == nil } ? 0 : 1), "\(sync.stdout)\(sync.stderr)")

        let report = try ProcessRunner.run(Paths.executable, ["report", "--json", "--config", site.config.path])
        let json = (try? JSONSerialization.jsonObject(with: Data(report.stdout.utf8))) as? [String: Any]
        var failures: [String: [String: Any]] = [:]
        for failure in json?["failures"] as? [[String: Any]] ?? [] {
            if let url = failure["url"] as? String { failures[url] = failure }
        }
        let answered = site.origin.timedRequests()
        for fault in faults {
            let recorded = failures[fault.url]
            if let expected = fault.failure {
                #expect(recorded?["class"] as? String == expected, "\(fault): \(recorded ?? [:])")
                #expect(recorded?["attempts"] as? Int == fault.attempts, "\(fault): \(recorded ?? [:])")
                if let status = fault.httpStatus {
                    #expect(recorded?["http_status"] as? Int == status, "\(fault)")
                }
            } else {
                #expect(recorded == nil, "\(fault) should be mirrored: \(recorded ?? [:])")
            }
            guard !fault.gaps.isEmpty else { continue }
            let times = answered.filter { $0.line.hasPrefix("GET \(fault.url) ") }.map(\.time)
            #expect(times.count == fault.attempts, "\(fault) was answered \(times.count) times")
            for (index, allowed) in fault.gaps.enumerated() where index + 1 < times.count {
                let gap = times[index + 1] - times[index]
                #expect(allowed.contains(gap), "\(fault): gap \(index + 1) was \(gap) s, allowed \(allowed)")
            }
        }

        // Only published files: one original and one thumbnail per mirrored URL, no temporary.
        let mirrored = faults.filter { $0.failure == nil }.count
        let files =
            FileManager.default.enumerator(atPath: site.media.path)?.compactMap { $0 as? String }.filter {
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(
                    atPath: site.media.appendingPathComponent($0).path, isDirectory: &isDirectory)
                return exists && !isDirectory.boolValue
            } ?? []
        #expect(files.count == mirrored * 2, "\(files)")
        #expect(files.filter { $0.contains("-16w.") }.count == mirrored, "\(files)")
        #expect(!files.contains { $0.contains("tmp") }, "\(files)")
    }
}
