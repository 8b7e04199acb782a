import Foundation
import MirrorBucket
import TestSupport
import Testing

/// `storage.backend: s3` end to end: the real binary against real S3 servers on 127.0.0.1
/// (SeaweedFS with signature checking, and `rclone serve s3`), the images from the test origin.
@Suite("Bucket storage", .serialized)
struct BucketStorageTests {
    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    /// Every object a post points at is in the bucket.
    static func expectEveryPointedObjectStored(_ site: BucketSite, _ note: String) async throws {
        let client = try site.bucketClient()
        defer { client.shutdown() }
        let keys = try site.keysPointedAt()
        for key in keys.sorted() {
            let head = try await client.head(key: key)
            #expect(head != nil && (head?.bytes ?? 0) > 0, "\(note): \(key) is pointed at but not stored")
        }
    }

    @Test(arguments: [S3Server.Kind.seaweedfs, .rclone])
    func exampleSiteLivesInTheBucketThroughEveryCommand(kind: S3Server.Kind) async throws {
        let site = try await BucketSite(kind, proxyArguments: [])
        defer { site.remove() }
        let originals = try site.postBytes()
        var outputs: [String] = []

        let first = try site.run(["sync", "--json"])
        outputs += [first.stdout, first.stderr]
        // The example has one image its origin lost on purpose: exit 1, and no upload trouble.
        #expect(first.status == 0 || first.status == 1, "\(first.stderr)")
        let summary = Self.json(first.stdout)
        let problems = summary["problems"] as? [[String: Any]] ?? []
        #expect(!problems.contains { $0["kind"] as? String == "upload" }, "\(problems)")
        #expect((summary["assets_stored"] as? Int ?? 0) >= 3, "\(first.stdout)")
        let keys = try site.keysPointedAt()
        #expect(keys.count >= 3)
        try await Self.expectEveryPointedObjectStored(site, "first sync")
        // Nothing stays on local disk: no media directory, an empty scratch directory.
        #expect(!FileManager.default.fileExists(atPath: site.directory.appending("site/source/images/mirror").path))
        let scratch = site.directory.appending("site/.mediamirror/upload-scratch").path
        #expect((try? FileManager.default.contentsOfDirectory(atPath: scratch))?.isEmpty == true)
        // Thumbnails went up with the originals, with the right Content-Type and Cache-Control.
        let client = try site.bucketClient()
        defer { client.shutdown() }
        let report = try site.run(["report", "--json"])
        outputs += [report.stdout, report.stderr]
        let assets = Self.json(report.stdout)["assets"] as? [[String: Any]] ?? []
        #expect(!assets.isEmpty)
        let objectURLs = "\(site.proxy?.baseURL ?? site.server.endpoint)/media/"
        for asset in assets {
            let path = asset["path"] as? String ?? ""
            #expect(path.hasPrefix(objectURLs + "blog/"), "\(path)")
            for thumbnail in asset["thumbnails"] as? [[String: Any]] ?? [] {
                let key = (thumbnail["path"] as? String ?? "").replacingOccurrences(of: objectURLs, with: "")
                let head = try await client.head(key: key)
                #expect(head?.contentType == (key.hasSuffix(".png") ? "image/png" : "image/jpeg"), "\(key)")
            }
        }

        // The second sync uploads nothing.
        let putsBefore = site.proxy?.requests().filter { $0.hasPrefix("PUT ") }.count ?? 0
        let second = try site.run(["sync", "--json"])
        outputs += [second.stdout, second.stderr]
        #expect(second.status == first.status, "\(second.stderr)")
        #expect(Self.json(second.stdout)["assets_stored"] as? Int == 0)
        #expect(site.proxy?.requests().filter { $0.hasPrefix("PUT ") }.count == putsBefore)

        // verify checks each object; a lost one is found and --repair uploads it again.
        let verified = try site.run(["verify"])
        outputs += [verified.stdout, verified.stderr]
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        let lost = try #require(assets.first?["path"] as? String).replacingOccurrences(of: objectURLs, with: "")
        try await client.delete(key: lost)
        let broken = try site.run(["verify"])
        outputs += [broken.stdout, broken.stderr]
        #expect(broken.status != 0)
        #expect(broken.stdout.contains((lost as NSString).lastPathComponent), "\(broken.stdout)")
        let repaired = try site.run(["verify", "--repair"])
        outputs += [repaired.stdout, repaired.stderr]
        #expect(repaired.status == 0, "\(repaired.stdout) \(repaired.stderr)")
        #expect(try await client.head(key: lost) != nil)

        // restore gives the posts back byte for byte; then gc removes what nothing uses.
        let restored = try site.run(["restore"])
        outputs += [restored.stdout, restored.stderr]
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try site.postBytes() == originals)
        let collected = try site.run(["gc", "--grace", "0s", "--json"])
        outputs += [collected.stdout, collected.stderr]
        #expect(collected.status == 0, "\(collected.stderr)")
        #expect((Self.json(collected.stdout)["removed"] as? [String] ?? []).count >= keys.count)
        for key in keys {
            #expect(try await client.head(key: key) == nil, "\(key) outlived gc")
        }

        // The secret is in no output, no log line.
        for output in outputs + [(try? String(contentsOf: site.server.logFile, encoding: .utf8)) ?? ""] {
            #expect(!output.contains(S3Server.secretKey))
        }
    }

    @Test func wrongCredentialsOrAMissingBucketStopBeforeAnyPostIsTouched() async throws {
        let site = try await BucketSite(.seaweedfs)
        defer { site.remove() }
        let originals = try site.postBytes()
        let wrongSecret = "wrong-secret-\(UUID().uuidString)"
        let refused = try site.run(["sync"], secret: wrongSecret)
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("access key"), "\(refused.stderr)")
        #expect(!(refused.stdout + refused.stderr).contains(wrongSecret))
        #expect(try site.postBytes() == originals)

        var environment = site.environment()
        environment.removeValue(forKey: "AWS_SECRET_ACCESS_KEY")
        let keyless = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path], environment: environment)
        #expect(keyless.status == 3)
        #expect(keyless.stderr.contains("AWS_SECRET_ACCESS_KEY"), "\(keyless.stderr)")

        let text = try String(contentsOf: site.config, encoding: .utf8)
        try text.replacingOccurrences(of: "bucket: media", with: "bucket: no-such-bucket")
            .write(to: site.config, atomically: true, encoding: .utf8)
        let missing = try site.run(["sync"])
        #expect(missing.status == 3, "\(missing.stderr)")
        #expect(missing.stderr.contains("no-such-bucket"), "\(missing.stderr)")
        #expect(try site.postBytes() == originals)
    }

    /// SlowDown answers (every third request) are waited out and retried; every PUT's signed
    /// payload hash matches the bytes the server got.
    @Test func slowDownIsRetried() async throws {
        let site = try await BucketSite(.seaweedfs, proxyArguments: ["--slowdown-every", "3"])
        defer { site.remove() }
        let result = try site.run(["sync", "--json"])
        let problems = Self.json(result.stdout)["problems"] as? [[String: Any]] ?? []
        #expect(problems.count == 1 && !problems.contains { $0["kind"] as? String == "upload" }, "\(problems)")
        let log = site.proxy?.requests() ?? []
        #expect(log.filter { $0.hasSuffix("SLOWDOWN") }.count >= 3)
        #expect(!log.contains { $0.contains("PAYLOAD-MISMATCH") })
        try await Self.expectEveryPointedObjectStored(site, "after SlowDown")
    }

    /// The samples corpus into each server; the S3 server killed in the middle of the uploads and
    /// started again: no post points at a missing object, and the next sync completes.
    @Test(arguments: [S3Server.Kind.seaweedfs, .rclone])
    func samplesSurviveTheServerDyingMidUpload(kind: S3Server.Kind) async throws {
        let site = try await BucketSite(kind, corpus: true, proxyArguments: [])
        defer { site.remove() }
        #expect(try site.serveEveryHTTPImage() > 300)
        let originals = try site.postBytes()

        let sync = Process()
        sync.executableURL = Paths.executable
        sync.arguments = ["sync", "--config", site.config.path]
        sync.environment = site.environment()
        sync.standardOutput = FileHandle.nullDevice
        sync.standardError = FileHandle.nullDevice
        try sync.run()
        // Kill the server once uploads are under way.
        let underWay = waitUntil(within: .seconds(120)) {
            (site.proxy?.requests().filter { $0.hasPrefix("PUT ") }.count ?? 0) >= 40 || !sync.isRunning
        }
        #expect(underWay)
        let killedMidRun = sync.isRunning
        site.server.kill()
        #expect(killedMidRun, "the sync finished before the server was killed")
        sync.waitUntilExit()
        try site.server.start()
        try await Self.expectEveryPointedObjectStored(site, "after the kill")

        let again = try site.run(["sync", "--json"])
        #expect(again.status == 0 || again.status == 1, "\(again.stderr)")
        let problems = Self.json(again.stdout)["problems"] as? [[String: Any]] ?? []
        #expect(!problems.contains { $0["kind"] as? String == "upload" }, "\(problems.prefix(3))")
        try await Self.expectEveryPointedObjectStored(site, "after the second sync")
        let pointed = try site.keysPointedAt().count
        #expect(pointed > 100, "\(pointed) keys pointed at")

        // And a third sync uploads nothing.
        let putsBefore = site.proxy?.requests().filter { $0.hasPrefix("PUT ") }.count ?? 0
        let third = try site.run(["sync", "--json"])
        #expect(Self.json(third.stdout)["assets_stored"] as? Int == 0, "\(third.stdout.prefix(400))")
        #expect(site.proxy?.requests().filter { $0.hasPrefix("PUT ") }.count == putsBefore)
        let restored = try site.run(["restore"])
        #expect(restored.status == 0)
        #expect(try site.postBytes() == originals)
    }
}
