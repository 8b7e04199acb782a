import Foundation
import MirrorBucket
import TestSupport
import Testing

/// The scale-out shape: two daemons, one per site, each with its own manifest and prefix, one
/// bucket. Both run at once; each site's objects, and its gc, stay its own.
@Suite("Two daemons, one bucket", .serialized)
struct SharedBucketDaemonTests {
    @Test func twoSitesShareABucketAndKeepTheirOwnObjects() async throws {
        let directory = try TemporaryDirectory("mediamirror-shared-bucket")
        defer { directory.remove() }
        let server = try S3Server(.seaweedfs, directory: directory.appending("s3"))
        defer { server.stop() }
        let ports = [FreePort.next(), FreePort.next()]
        var sites: [BucketSite] = []
        for (index, name) in ["site-a", "site-b"].enumerated() {
            sites.append(
                try await BucketSite(
                    .seaweedfs, prefix: name, server: server,
                    extraConfiguration: "health:\n  listen: 127.0.0.1:\(ports[index])\ndaemon:\n  stop_timeout: 2\n"))
        }
        defer { sites.forEach { $0.remove() } }
        let daemons = try sites.enumerated().map { index, site in
            try DaemonProcess(
                config: site.config, environment: site.environment(),
                logFile: site.directory.appending("daemon-\(index).log"))
        }
        for (index, port) in ports.enumerated() {
            let ready = waitUntil(within: .seconds(60)) {
                (try? DaemonTests.endpoint("http://127.0.0.1:\(port)/readyz").status) == 200
            }
            #expect(ready, "daemon \(index) never became ready: \(daemons[index].log.suffix(1500))")
        }
        // Both stored the same pictures, each under its own prefix.
        let client = try sites[0].bucketClient()
        defer { client.shutdown() }
        let keysA = try sites[0].keysPointedAt()
        let keysB = try sites[1].keysPointedAt()
        #expect(keysA.count >= 3 && keysA.allSatisfy { $0.hasPrefix("site-a/") })
        #expect(keysB.count == keysA.count && keysB.allSatisfy { $0.hasPrefix("site-b/") })
        for key in keysA.union(keysB) {
            #expect(try await client.head(key: key) != nil, "\(key)")
        }
        let status = try DaemonTests.endpoint("http://127.0.0.1:\(ports[1])/status")
        #expect(!status.body.contains(S3Server.secretKey))
        // The uploads are counted and timed on /metrics.
        let metrics = try DaemonTests.endpoint("http://127.0.0.1:\(ports[0])/metrics")
        #expect(metrics.body.contains("mediamirror_uploads_total{outcome=\"ok\"}"), "\(metrics.body.prefix(3000))")
        #expect(metrics.body.contains("mediamirror_upload_duration_seconds"))

        // Site A stops, is restored and collected: its objects go, site B's all stay.
        daemons[0].signal(SIGTERM)
        #expect(daemons[0].waitForExit(timeout: .seconds(20)) == 0)
        #expect(try sites[0].run(["restore"]).status == 0)
        let collected = try sites[0].run(["gc", "--grace", "0s"])
        #expect(collected.status == 0, "\(collected.stderr)")
        for key in keysA {
            #expect(try await client.head(key: key) == nil, "\(key) outlived site A's gc")
        }
        for key in keysB {
            #expect(try await client.head(key: key) != nil, "site A's gc removed \(key)")
        }
        // The bucket gone: site B's daemon stops being ready, and says why (checked at most every
        // 15 s, so a load balancer's polling is not a stream of PUTs).
        server.kill()
        var answer = (status: 200, body: "")
        let unready = waitUntil(within: .seconds(45)) {
            answer = (try? DaemonTests.endpoint("http://127.0.0.1:\(ports[1])/readyz")) ?? (0, "")
            return answer.status == 503
        }
        #expect(unready, "\(answer)")
        #expect(answer.body.contains("bucket media"), "\(answer.body)")
        daemons[1].signal(SIGTERM)
        #expect(daemons[1].waitForExit(timeout: .seconds(20)) == 0)
        for (index, daemon) in daemons.enumerated() {
            #expect(!daemon.log.contains(S3Server.secretKey), "daemon \(index) logged the secret")
        }
    }
}
