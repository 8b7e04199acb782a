import Foundation
import MirrorPosts
import TestSupport
import Testing

/// Every post of `../shared/generator-samples` (Hugo, Hexo, Octopress, Jekyll and Eleventy
/// blogs: shortcodes, tags, image links, TOML and nested front matter…) synced against a local
/// origin that answers every http and https URL (https through its CONNECT tunnel, with a
/// certificate the test makes for every host), then synced again and restored.
@Suite(.serialized)
struct GeneratorSamplesSyncTests {
    /// A fetchable reference of the original posts.
    struct Fetchable {
        var post: String
        var url: String
        var place: ReferencePlace
    }

    @Test func everyFetchableImageIsMirroredAndRestoredExactly() throws {
        let site = try CorpusSite("mediamirror-generators", configuration: "", source: "generator-samples")
        defer { site.remove() }
        let files = site.originals.keys.sorted()
        var fetchable: [Fetchable] = []
        for relative in files {
            let bytes = [UInt8](site.originals[relative] ?? Data())
            for reference in CorpusSite.scanner.scan(bytes, isMarkdown: CorpusSite.isMarkdown(relative)).references {
                if let url = reference.target?.url {
                    fetchable.append(Fetchable(post: relative, url: url, place: reference.place))
                }
            }
        }
        #expect(fetchable.count > 300)
        #expect(Set(fetchable.map(\.place.kind)).isSuperset(of: ["shortcode", "tag_plugin", "image_link", "css_url"]))

        // One image link whose URL answers with an HTML page (and that no other place names):
        // it must stay as it was.
        let shownImages = Set(fetchable.filter { !$0.place.isImageLink }.map(\.url))
        let links = fetchable.filter { $0.place.isImageLink && !shownImages.contains($0.url) }
        let page = try #require(links.first { link in links.filter { $0.url == link.url }.count == 1 })
        let origin = try startOrigin(site, fetchable: fetchable, htmlPage: page.url)
        defer { origin.stop() }
        let config = site.directory.appending("site/mediamirror.yaml")
        try """
        site:
          posts: source/_posts
          media: static/mirror
          url_prefix: /mirror
        fetch:
          concurrency: 16
          per_host: 8
          attempts: 1
          connect_timeout: 5
          ca_bundle: \(site.directory.appending("origin-cert.pem").path)
        thumbnails:
          widths: [8]
        """.write(to: config, atomically: true, encoding: .utf8)
        func run(_ arguments: [String]) throws -> (Int32, [String: Any]) {
            let result = try ProcessRunner.run(
                Paths.executable, arguments + ["--config", config.path],
                environment: ProcessRunner.environment(proxiedThrough: origin))
            let object = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]
            return (result.status, object ?? ["stdout": result.stdout, "stderr": result.stderr])
        }

        let (status, summary) = try run(["sync", "--json"])
        #expect(status == 1, "the HTML page is a failure: \(summary)")
        #expect(summary["urls_failed"] as? Int == 1, "\(summary)")
        #expect(summary["references_failed"] as? Int == 1, "\(summary)")
        #expect(summary["references_pending"] as? Int == 0)
        #expect("\(summary["problems"] ?? "")".contains(page.url), "the page is reported: \(summary)")

        // Every fetchable reference now names the mirror, but the page; only values changed.
        for relative in files {
            let before = [UInt8](site.originals[relative] ?? Data())
            let after = try [UInt8](Data(contentsOf: site.posts.appendingPathComponent(relative)))
            let markdown = CorpusSite.isMarkdown(relative)
            let old = CorpusSite.scanner.scan(before, isMarkdown: markdown).references
            let new = CorpusSite.scanner.scan(after, isMarkdown: markdown).references
            #expect(old.map(\.place) == new.map(\.place), "\(relative): places changed")
            #expect(
                Self.outsideValues(before, old) == Self.outsideValues(after, new), "\(relative): not only URLs changed")
            for reference in new where reference.target != nil {
                #expect(
                    reference.target?.url == page.url, "\(relative) \(reference.place) still remote: \(reference.value)"
                )
            }
            for (was, now) in zip(old, new) where was.target != nil && was.target?.url != page.url {
                #expect(now.value.hasPrefix("/mirror/"), "\(relative) \(now.place): \(now.value)")
            }
        }

        // A second sync fetches and writes nothing.
        let requests = origin.requests().count
        let (_, second) = try run(["sync", "--json"])
        #expect(second["posts_rewritten"] as? Int == 0, "\(second)")
        #expect(second["urls_fetched"] as? Int == 0)
        #expect(origin.requests().count == requests)

        let (restoreStatus, restored) = try run(["restore"])
        #expect(restoreStatus == 0, "\(restored)")
        for relative in files {
            let now = try Data(contentsOf: site.posts.appendingPathComponent(relative))
            #expect(now == site.originals[relative], "\(relative) is not byte-identical after restore")
        }
    }

    /// The origin with a certificate naming every host, JPEGs for every URL and an HTML page
    /// at `htmlPage`.
    private func startOrigin(_ site: CorpusSite, fetchable: [Fetchable], htmlPage: String) throws -> OriginServer {
        let hosts = Set(fetchable.compactMap { URLComponents(string: $0.url)?.host?.lowercased() }).sorted()
        let names = hosts.map { $0.allSatisfy { $0.isNumber || $0 == "." } ? "IP:\($0)" : "DNS:\($0)" }
        let certificate = site.directory.appending("origin-cert.pem")
        let key = site.directory.appending("origin-key.pem")
        let openssl = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=mediamirror test origin", "-keyout", key.path, "-out", certificate.path, "-addext",
                "subjectAltName=" + names.joined(separator: ","),
            ])
        try #require(openssl.status == 0, "openssl failed: \(openssl.stderr)")
        let fallback = site.directory.appending("fallback")
        try FileManager.default.createDirectory(at: fallback, withIntermediateDirectories: true)
        for seed in 0..<4 {
            let jpeg = try TestImages.jpeg(width: 24 + seed * 8, height: 16, seed: seed)
            try Data(jpeg).write(to: fallback.appendingPathComponent("\(seed).jpg"))
        }
        let root = site.directory.appending("origin")
        let components = try #require(URLComponents(string: htmlPage))
        let file = root.appendingPathComponent(components.host ?? "").appendingPathComponent(
            String(components.percentEncodedPath.dropFirst()).removingPercentEncoding ?? "")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("<!doctype html><html><body>a photo page</body></html>".utf8).write(to: file)
        return try OriginServer(
            root: root, arguments: ["--fallback", fallback.path, "--tls", certificate.path, key.path])
    }

    /// The post's bytes between reference values, in order.
    static func outsideValues(_ bytes: [UInt8], _ references: [ImageReference]) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var position = 0
        for reference in references.sorted(by: { $0.valueRange.lowerBound < $1.valueRange.lowerBound })
        where reference.valueRange.lowerBound >= position {
            pieces.append(Array(bytes[position..<reference.valueRange.lowerBound]))
            position = reference.valueRange.upperBound
        }
        pieces.append(Array(bytes[position...]))
        return pieces
    }
}
