import Foundation
import TestSupport
import Testing

/// Posts the sync may not write (it runs as `nobody`; the posts belong to root): each post is
/// reported with the reason, nothing is written beside them, and the manifest does not claim
/// any reference was rewritten.
@Suite(.serialized)
struct ReadOnlyPostsTests {
    @Test func unwritablePostsAreReportedAndLeftAlone() throws {
        guard getuid() == 0 else {
            Issue.record("this test needs root to run the binary as another user")
            return
        }
        let site = try TestSite("mediamirror-ro-posts", configuration: "thumbnails:\n  widths: [32]\n")
        defer { site.remove() }
        try site.origin.serve(try TestImages.jpeg(width: 64, height: 48), host: "img.test", path: "a.jpg")
        let post = site.posts.appendingPathComponent("a.md")
        let original = Data("---\nheadimg: http://img.test/a.jpg\n---\n![a](http://img.test/a.jpg)\n".utf8)
        try original.write(to: post)
        // Everything but the posts belongs to nobody; the posts stay root's, 0644 in a 0755 directory.
        let binary = site.directory.appending("mediamirror")
        try FileManager.default.copyItem(at: Paths.executable, to: binary)
        try FileManager.default.createDirectory(at: site.media, withIntermediateDirectories: true)
        for path in [
            site.directory.path, site.directory.appending("site").path, site.config.path, binary.path, site.media.path,
        ] {
            chown(path, 65534, 65534)
            chmod(path, 0o755)
        }
        chmod(site.posts.deletingLastPathComponent().path, 0o755)
        chmod(site.posts.path, 0o755)
        let sync = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            [
                "--reuid=65534", "--regid=65534", "--clear-groups", binary.path, "sync", "--json", "--config",
                site.config.path,
            ],
            environment: ProcessRunner.environment(proxiedThrough: site.origin), in: site.directory.url)
        #expect(sync.status == 1, "\(sync.stdout)\(sync.stderr)")
        let summary = (try? JSONSerialization.jsonObject(with: Data(sync.stdout.utf8))) as? [String: Any]
        let problems = summary?["problems"] as? [[String: Any]] ?? []
        #expect(
            problems.contains {
                $0["subject"] as? String == "a.md" && ($0["message"] as? String ?? "").contains("ermission denied")
            }, "\(problems)")
        #expect(try Data(contentsOf: post) == original)
        let beside = try FileManager.default.contentsOfDirectory(atPath: site.posts.path)
        #expect(beside == ["a.md"], "\(beside)")

        let report = try ProcessRunner.run(Paths.executable, ["report", "--json", "--config", site.config.path])
        let references =
            (try? JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])?[
                "references"] as? [[String: Any]]
        #expect(references?.count == 2, "\(report.stdout)\(report.stderr)")
        #expect(references?.allSatisfy { $0["local_value"] is NSNull } == true, "\(references ?? [])")
    }

    /// A directory of posts the sync cannot read (it runs as `nobody`; the directory is root's,
    /// 0700): reported, and its posts stay in the manifest rather than being forgotten as gone;
    /// `gc`, which needs every post, refuses to run.
    @Test func postsInAnUnreadableDirectoryAreKeptNotForgotten() throws {
        guard getuid() == 0 else {
            Issue.record("this test needs root to run the binary as another user")
            return
        }
        let site = try TestSite("mediamirror-unreadable", configuration: "thumbnails:\n  widths: [32]\n")
        defer { site.remove() }
        try site.origin.serve(try TestImages.jpeg(width: 64, height: 48), host: "img.test", path: "a.jpg")
        let secret = site.posts.appendingPathComponent("secret")
        try FileManager.default.createDirectory(at: secret, withIntermediateDirectories: true)
        for post in [site.posts.appendingPathComponent("a.md"), secret.appendingPathComponent("b.md")] {
            try Data("![a](http://img.test/a.jpg)\n".utf8).write(to: post)
        }
        let environment = ProcessRunner.environment(proxiedThrough: site.origin)
        let first = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path], environment: environment)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let binary = site.directory.appending("mediamirror")
        try FileManager.default.copyItem(at: Paths.executable, to: binary)
        let everything = FileManager.default.enumerator(atPath: site.directory.path)?.allObjects as? [String] ?? []
        for relative in [""] + everything {
            chown(site.directory.appending(relative).path, 65534, 65534)
        }
        chown(secret.path, 0, 0)
        chmod(secret.path, 0o700)
        defer { chmod(secret.path, 0o755) }
        func asNobody(_ arguments: [String]) throws -> ProcessRunner.Result {
            try ProcessRunner.run(
                URL(fileURLWithPath: "/usr/bin/setpriv"),
                ["--reuid=65534", "--regid=65534", "--clear-groups", binary.path] + arguments + [
                    "--config", site.config.path,
                ], environment: environment, in: site.directory.url)
        }
        let sync = try asNobody(["sync", "--json"])
        let summary = (try? JSONSerialization.jsonObject(with: Data(sync.stdout.utf8))) as? [String: Any]
        let problems = summary?["problems"] as? [[String: Any]] ?? []
        #expect(
            problems.contains { ($0["message"] as? String ?? "").contains("could not be read") },
            "\(sync.stdout)\(sync.stderr)")
        let report = try ProcessRunner.run(Paths.executable, ["report", "--json", "--config", site.config.path])
        let references =
            (try? JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])?["references"]
            as? [[String: Any]] ?? []
        #expect(references.contains { $0["post"] as? String == "secret/b.md" }, "\(report.stdout)")
        let gc = try asNobody(["gc"])
        #expect(gc.status == 3, "\(gc.stdout)\(gc.stderr)")
        #expect(gc.stderr.contains("could not be read in full"), "\(gc.stderr)")
    }
}
