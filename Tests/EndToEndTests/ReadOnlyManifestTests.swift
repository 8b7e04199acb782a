import Foundation
import TestSupport
import Testing

/// A manifest the user cannot write: report still works, sync stops with exit 3 and a clear
/// message, and nothing is changed. The binary runs as `nobody` (tests run as root, for whom
/// permission bits mean nothing).
extension SampleSyncTests {
    @Test func readOnlyManifestAllowsReportAndRefusesSync() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        #expect(try sync(site).status == 0)
        guard getuid() == 0 else {
            Issue.record("this test needs root to run the binary as another user")
            return
        }
        // A copy of the binary everyone can execute, whatever the checkout's permissions.
        let binary = site.directory.appending("mediamirror")
        try FileManager.default.copyItem(at: Paths.executable, to: binary)
        chmod(binary.path, 0o755)
        chmod(site.directory.path, 0o755)
        let manifestBefore = try Data(contentsOf: site.database)
        let postBefore = try Data(contentsOf: site.post)

        func runAsNobody(_ arguments: [String]) throws -> Run {
            try ProcessRunner.run(
                URL(fileURLWithPath: "/usr/bin/setpriv"),
                ["--reuid=65534", "--regid=65534", "--clear-groups", binary.path] + arguments, in: site.directory.url)
        }

        let report = try runAsNobody(["report", "--json", "--config", site.config.path])
        #expect(report.status == 0, "\(report.stderr)")
        let references = try json(report)["references"] as? [[String: Any]]
        #expect(references?.count == 8)

        let sync = try runAsNobody(["sync", "--config", site.config.path])
        #expect(sync.status == 3)
        #expect(sync.stderr.contains("manifest"), "\(sync.stderr)")
        #expect(sync.stderr.contains("read-only"), "\(sync.stderr)")
        #expect(try Data(contentsOf: site.database) == manifestBefore)
        #expect(try Data(contentsOf: site.post) == postBefore)
    }
}
