import Crypto
import Foundation
import MirrorImaging
import MirrorStore
import TestSupport
import Testing

/// The real sample post synced by the real binary against a real HTTP origin on 127.0.0.1,
/// reached through the standard `http_proxy` variable so the post's own URLs are used as written.
@Suite(.serialized)
struct SampleSyncTests {
    static let samplePost = "000_f6c7ce3e199e2f35.md"
    static let wrapper = "https://cors.zfour.workers.dev/?"
    /// The sample's images and the sizes its HTML declares.
    static let images: [(host: String, path: String, width: Int, height: Int)] = [
        ("zkres1.myzaker.com", "202112/61af4f32b15ec06165253241_1024.jpg", 1920, 1280),
        ("zkres2.myzaker.com", "202112/61af4f32b15ec06165253242_1024.jpg", 1385, 822),
        ("zkres1.myzaker.com", "202112/61af4f32b15ec06165253243_1024.jpg", 1385, 733),
    ]

    struct Site {
        let directory: TemporaryDirectory
        let origin: OriginServer
        let config: URL
        let post: URL
        let original: [UInt8]
        /// URL → served bytes.
        let served: [String: [UInt8]]

        var media: URL { directory.appending("site/source/images/mirror") }
        var database: URL { directory.appending("site/.mediamirror/manifest.sqlite") }
    }

    func makeSite() throws -> Site {
        let directory = try TemporaryDirectory("mediamirror-e2e")
        let posts = directory.appending("site/source/_posts")
        try FileManager.default.createDirectory(at: posts, withIntermediateDirectories: true)
        let original = try [UInt8](Data(contentsOf: Paths.shared.appendingPathComponent("samples/\(Self.samplePost)")))
        let post = posts.appendingPathComponent(Self.samplePost)
        try Data(original).write(to: post)

        let originRoot = directory.appending("origin")
        try FileManager.default.createDirectory(at: originRoot, withIntermediateDirectories: true)
        let origin = try OriginServer(root: originRoot)
        var served: [String: [UInt8]] = [:]
        for (index, image) in Self.images.enumerated() {
            let bytes = try TestImages.jpeg(width: image.width, height: image.height, seed: index)
            try origin.serve(bytes, host: image.host, path: image.path)
            served["http://\(image.host)/\(image.path)"] = bytes
        }
        let config = directory.appending("site/mediamirror.yaml")
        try """
        site:
          posts: source/_posts
          media: source/images/mirror
          url_prefix: /images/mirror
        state:
          database: .mediamirror/manifest.sqlite
        fetch:
          concurrency: 4
          per_host: 2
        thumbnails:
          widths: [320, 640]
        """.write(to: config, atomically: true, encoding: .utf8)
        return Site(
            directory: directory, origin: origin, config: config, post: post, original: original, served: served)
    }

    typealias Run = ProcessRunner.Result

    func sync(_ site: Site, _ extra: [String] = []) throws -> Run {
        try mediamirror(site, "sync", extra)
    }

    /// Runs the built binary with `--config` of the site, its origin as the proxy.
    func mediamirror(_ site: Site, _ command: String, _ extra: [String] = []) throws -> Run {
        try ProcessRunner.run(
            Paths.executable, [command, "--config", site.config.path] + extra,
            environment: ProcessRunner.environment(proxiedThrough: site.origin))
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    @Test func firstSyncMirrorsEveryImageAndChangesOnlyURLBytes() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        let run = try sync(site, ["--json"])
        #expect(run.status == 0, "stderr: \(run.stderr)\nstdout: \(run.stdout)")

        // Every URL fetched exactly once, from the origin (not the wrapper).
        let requests = site.origin.requests()
        #expect(requests.count == 3, "\(requests)")
        for url in site.served.keys {
            #expect(requests.filter { $0 == "GET \(url) 200" }.count == 1, "\(url) in \(requests)")
        }

        // The post: the original with each URL value (wrapped or not) replaced by its local path.
        var expected = String(decoding: site.original, as: UTF8.self)
        for (url, bytes) in site.served {
            let local = "/images/mirror/\(Self.sha256(bytes).prefix(2))/\(Self.sha256(bytes)).jpg"
            expected = expected.replacingOccurrences(of: Self.wrapper + url, with: local)
            expected = expected.replacingOccurrences(of: "\"\(url)\"", with: "\"\(local)\"")
        }
        let rewritten = try [UInt8](Data(contentsOf: site.post))
        #expect(rewritten == Array(expected.utf8))
        #expect(!expected.contains("zkres"), "every reference points at a local copy")

        // Stored originals hash to their names and equal what was served; thumbnails decode.
        for (_, bytes) in site.served {
            let sha = Self.sha256(bytes)
            let stored = site.media.appendingPathComponent("\(sha.prefix(2))/\(sha).jpg")
            let data = try [UInt8](Data(contentsOf: stored))
            #expect(data == bytes)
            let probe = try ImageProber.probe(bytes)
            for width in [320, 640] {
                let thumbnail = site.media.appendingPathComponent("\(sha.prefix(2))/\(sha)-\(width)w.jpg")
                let thumbBytes = try [UInt8](Data(contentsOf: thumbnail))
                let decoded = try JPEGCodec.decode(thumbBytes, maxPixels: 10_000_000)
                #expect(decoded.width == width)
                let expectedHeight = Int((Double(probe.height) * Double(width) / Double(probe.width)).rounded())
                #expect(decoded.height == expectedHeight)
            }
        }

        // The manifest: declared sizes beside the real ones, for every HTML reference.
        let manifest = try Manifest(path: site.database.path)
        let references = try manifest.references(ofPost: Self.samplePost)
        #expect(references.count == 8)
        #expect(references.allSatisfy { $0.localValue != nil && $0.asset != nil })
        let declared = references.filter { $0.kind == "html_attribute" }
        #expect(declared.count == 6)
        for reference in declared {
            let sha = try #require(reference.asset)
            let asset = try #require(try manifest.asset(sha))
            #expect(reference.declaredWidth == asset.displayedWidth)
            #expect(reference.declaredHeight == asset.displayedHeight)
            #expect(reference.verdict == "match")
        }
        let headimg = try #require(references.first { $0.place == "front matter headimg" })
        #expect(
            headimg.originalValue == Self.wrapper + "http://zkres1.myzaker.com/202112/61af4f32b15ec06165253241_1024.jpg"
        )
        #expect(try manifest.count("assets") == 3)
        #expect(try manifest.count("thumbnails") == 6)

        // No temporary file is left anywhere under the media directory.
        let leftovers =
            FileManager.default.enumerator(atPath: site.media.path)?.compactMap { $0 as? String }
            .filter { ($0 as NSString).lastPathComponent.hasPrefix(".mm-tmp-") } ?? []
        #expect(leftovers.isEmpty)
    }

    @Test func secondSyncChangesNothingAndFetchesNothing() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        #expect(try sync(site).status == 0)
        let afterFirst = try Data(contentsOf: site.post)
        let requestsAfterFirst = site.origin.requests().count
        let mediaAfterFirst = try FileManager.default.subpathsOfDirectory(atPath: site.media.path).sorted()

        let second = try sync(site, ["--json"])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(try Data(contentsOf: site.post) == afterFirst)
        #expect(site.origin.requests().count == requestsAfterFirst)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: site.media.path).sorted() == mediaAfterFirst)
        let summary = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any]
        #expect(summary?["posts_rewritten"] as? Int == 0)
        #expect(summary?["urls_fetched"] as? Int == 0)
        // Unchanged on disk with nothing pending: not even read.
        #expect(summary?["posts_skipped"] as? Int == 1)
        #expect(summary?["posts_scanned"] as? Int == 0)

        // Touching the post (same bytes, new mtime) makes it read again; still nothing to do.
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: site.post.path)
        let third = try sync(site, ["--json"])
        let thirdSummary = try JSONSerialization.jsonObject(with: Data(third.stdout.utf8)) as? [String: Any]
        #expect(thirdSummary?["posts_scanned"] as? Int == 1)
        #expect(thirdSummary?["references_mirrored"] as? Int == 8)
        #expect(thirdSummary?["posts_rewritten"] as? Int == 0)
        #expect(try Data(contentsOf: site.post) == afterFirst)
        #expect(site.origin.requests().count == requestsAfterFirst)
    }

    @Test func unreachableImagesLeaveTheirReferencesAlone() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        // The origin loses one image (origin and wrapper both fail: 404, and the https wrapper is
        // not reachable through the plain-HTTP test proxy).
        let missing = Self.images[1]
        try FileManager.default.removeItem(
            at: site.origin.root.appendingPathComponent("\(missing.host)/\(missing.path)"))
        let run = try sync(site, ["--json"])
        #expect(run.status == 1)
        let text = String(decoding: try Data(contentsOf: site.post), as: UTF8.self)
        let missingURL = "http://\(missing.host)/\(missing.path)"
        #expect(text.contains("data-original=\"\(missingURL)\""))
        #expect(text.contains("src=\"\(Self.wrapper)\(missingURL)\""))
        #expect(!text.contains("61af4f32b15ec06165253241_1024.jpg"))
        let summary = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(summary?["references_failed"] as? Int == 2)
        #expect(summary?["urls_failed"] as? Int == 1)
    }

    @Test func dryRunWritesNothing() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        let run = try sync(site, ["--dry-run"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(try [UInt8](Data(contentsOf: site.post)) == site.original)
        #expect(site.origin.requests().isEmpty)
        #expect(run.stdout.contains("dry run"))
        // Nothing at all is created, not even the manifest or the media directory.
        #expect(!FileManager.default.fileExists(atPath: site.database.path))
        #expect(!FileManager.default.fileExists(atPath: site.media.path))
        // The diff shows each changed line, old and new.
        #expect(run.stdout.contains("--- a/\(Self.samplePost)\n+++ b/\(Self.samplePost)\n"))
        #expect(run.stdout.contains("\n-headimg: 'https://cors.zfour.workers.dev/?http://zkres1.myzaker.com/"))
        #expect(run.stdout.contains("\n+headimg: '/images/mirror/(not-downloaded-yet)'\n"))

        // After a real sync, a dry run of a post with a new image shows the known local paths.
        #expect(try sync(site).status == 0)
        let local = String(decoding: try Data(contentsOf: site.post), as: UTF8.self)
        let second = try sync(site, ["--dry-run"])
        #expect(second.stdout.contains("posts      1     rewritten 0"))
        #expect(!second.stdout.contains("--- a/"))
        #expect(String(decoding: try Data(contentsOf: site.post), as: UTF8.self) == local)
    }

    @Test func badConfigurationExitsWithTwoAndNamesTheKey() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        try "fetch:\n  concurrency: lots\n".write(to: site.config, atomically: true, encoding: .utf8)
        let run = try sync(site)
        #expect(run.status == 2)
        #expect(run.stderr.contains("fetch.concurrency"))
        #expect(try [UInt8](Data(contentsOf: site.post)) == site.original)
    }

    @Test func failedURLsWaitForTheirRetryTime() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        let missing = Self.images[1]
        let file = site.origin.root.appendingPathComponent("\(missing.host)/\(missing.path)")
        let bytes = try Data(contentsOf: file)
        try FileManager.default.removeItem(at: file)
        #expect(try sync(site).status == 1)
        let requests = site.origin.requests().count

        // The image is back, but the failure is not retried before its time: nothing is fetched.
        try bytes.write(to: file)
        let second = try sync(site, ["--json"])
        #expect(second.status == 1)
        let summary = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any]
        #expect(summary?["urls_deferred"] as? Int == 1)
        #expect(summary?["posts_scanned"] as? Int == 1)  // a post with pending references is read again
        #expect(site.origin.requests().count == requests)

        // --retry-failed tries now, and the post is completed.
        let third = try sync(site, ["--retry-failed", "--json"])
        #expect(third.status == 0, "\(third.stdout)")
        let text = String(decoding: try Data(contentsOf: site.post), as: UTF8.self)
        #expect(!text.contains("zkres"))
        let report =
            try JSONSerialization.jsonObject(with: Data(try mediamirror(site, "report", ["--json"]).stdout.utf8))
            as? [String: Any]
        #expect((report?["failures"] as? [Any])?.isEmpty == true)
    }
}
