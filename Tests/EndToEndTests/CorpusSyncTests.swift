import Foundation
import MirrorPosts
import TestSupport
import Testing

/// Every post in ../shared/samples synced against a local origin that serves an image for each
/// http URL (https ones fail: the test proxy speaks plain HTTP), then restored: every post must
/// come back byte-identical.
@Suite(.serialized)
struct CorpusSyncTests {
    @Test func syncThenRestoreEverySample() throws {
        let site = try CorpusSite(
            "mediamirror-corpus",
            configuration: """
                site:
                  posts: source/_posts
                  media: source/images/mirror
                fetch:
                  concurrency: 16
                  per_host: 8
                  attempts: 1
                  connect_timeout: 5
                thumbnails:
                  widths: [8]
                """)
        defer { site.remove() }
        let (directory, posts, config, originals) = (site.directory, site.posts, site.config, site.originals)
        let files = originals.keys.sorted()

        // Serve a small JPEG for every http URL the posts name.
        let originRoot = directory.appending("origin")
        try FileManager.default.createDirectory(at: originRoot, withIntermediateDirectories: true)
        let origin = try OriginServer(root: originRoot)
        defer { origin.stop() }
        let scanner = CorpusSite.scanner
        let pictures = try (0..<4).map { try TestImages.jpeg(width: 24 + $0 * 8, height: 16, seed: $0) }
        var served = 0
        for relative in files {
            let bytes = [UInt8](originals[relative] ?? Data())
            for reference in scanner.scan(bytes, isMarkdown: !relative.hasSuffix("html") && !relative.hasSuffix("htm"))
                .references
            {
                guard let url = reference.target?.url, url.hasPrefix("http://"),
                    let components = URLComponents(string: url), let host = components.host, !components.path.isEmpty,
                    !components.path.hasSuffix("/")
                else { continue }
                let path = String(components.path.dropFirst())
                if (try? origin.serve(pictures[abs(url.hashValue) % pictures.count], host: host, path: path)) != nil {
                    served += 1
                }
            }
        }
        #expect(served > 300)

        func run(_ arguments: [String]) throws -> (Int32, String) {
            let result = try ProcessRunner.run(
                Paths.executable, arguments + ["--config", config.path],
                environment: ProcessRunner.environment(proxiedThrough: origin))
            return (result.status, result.stdout)
        }
        // A dry run first: it prints the diffs and changes nothing, not even the manifest.
        let (dryStatus, dryOutput) = try run(["sync", "--dry-run"])
        #expect(dryStatus == 0 || dryStatus == 1)
        #expect(dryOutput.components(separatedBy: "\n+++ ").count > 50, "\(dryOutput.prefix(2000))")
        for relative in files {
            #expect(try Data(contentsOf: posts.appendingPathComponent(relative)) == originals[relative])
        }
        #expect(!FileManager.default.fileExists(atPath: site.database.path))
        #expect(origin.requests().isEmpty)

        let (syncStatus, syncOutput) = try run(["sync", "--json"])
        #expect(syncStatus == 0 || syncStatus == 1, "\(syncOutput)")
        let summary = try JSONSerialization.jsonObject(with: Data(syncOutput.utf8)) as? [String: Any]
        let rewritten = summary?["posts_rewritten"] as? Int ?? 0
        #expect(rewritten > 50)
        #expect((summary?["references_mirrored"] as? Int ?? 0) > 500)
        var changed = 0
        for relative in files where try Data(contentsOf: posts.appendingPathComponent(relative)) != originals[relative]
        {
            changed += 1
        }
        #expect(changed == rewritten)

        // The second run fetches nothing and writes nothing.
        let requestsBefore = origin.requests().count
        let snapshot = try files.map { try Data(contentsOf: posts.appendingPathComponent($0)) }
        let (_, secondOutput) = try run(["sync", "--json"])
        let second = try JSONSerialization.jsonObject(with: Data(secondOutput.utf8)) as? [String: Any]
        #expect(second?["posts_rewritten"] as? Int == 0, "\(secondOutput.prefix(500))")
        #expect(second?["urls_fetched"] as? Int == 0)
        #expect(origin.requests().count == requestsBefore)
        #expect(try files.map { try Data(contentsOf: posts.appendingPathComponent($0)) } == snapshot)

        // The report page of the synced corpus, in a real browser.
        let page = directory.appending("site/report/index.html")
        let (reportStatus, _) = try run(["report", "--html", page.path])
        #expect(reportStatus == 0)
        let output = Paths.repository.appendingPathComponent(".build/test-output/corpus-report")
        for (width, view) in try ReportPageBrowser.views(of: page.absoluteString, screenshots: output) {
            let images = view["images"] as? [[String: Any]] ?? []
            #expect(images.count > 300, "\(width): \(images.count) images")
            let broken = images.filter { $0["loaded"] as? Bool != true }
            #expect(broken.isEmpty, "\(width): \(broken.prefix(5))")
            #expect((view["logs"] as? [Any])?.isEmpty == true, "\(width): \(view["logs"] ?? "")")
            let boxes = view["boxes"] as? [[String: Any]] ?? []
            #expect(
                boxes.contains { $0["verdict"] as? String == "mismatch" },
                "the corpus declares sizes the served images do not have")
            #expect(ReportPageBrowser.wrongBoxes(view).isEmpty, "\(ReportPageBrowser.wrongBoxes(view).prefix(5))")
            // https URLs fail here (the test proxy speaks plain HTTP): the failures section groups them by host.
            let failures = (view["failures"] as? [String] ?? [])
            #expect(failures.count > 5, "\(failures.prefix(5))")
            #expect((view["horizontal_overflow"] as? Int ?? 1) <= 0, "fits \(width) px")
        }

        let (restoreStatus, restoreOutput) = try run(["restore"])
        #expect(restoreStatus == 0, "\(restoreOutput)")
        for relative in files {
            let now = try Data(contentsOf: posts.appendingPathComponent(relative))
            #expect(now == originals[relative], "\(relative) is not byte-identical after restore")
        }
    }
}
