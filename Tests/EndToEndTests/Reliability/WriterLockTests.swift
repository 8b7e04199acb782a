import Foundation
import TestSupport
import Testing

/// Two writers on one site: the second stops at once with exit 3 and names the first.
@Suite(.serialized)
struct WriterLockTests {
    @Test func aSecondSyncWhileOneRunsExitsThree() throws {
        let site = try TestSite("mediamirror-lock", configuration: "thumbnails:\n  widths: [32]\n")
        defer { site.remove() }
        try site.origin.serve(try TestImages.jpeg(width: 64, height: 48), host: "img.test", path: "a.jpg")
        try Data("<img src=\"http://img.test/__/slow/15000?then=/a.jpg\">\n".utf8)
            .write(to: site.posts.appendingPathComponent("slow.html"))
        let environment = ProcessRunner.environment(proxiedThrough: site.origin)
        let first = Process()
        first.executableURL = Paths.executable
        first.arguments = ["sync", "--config", site.config.path]
        first.environment = environment
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer { first.waitUntilExit() }
        let started = waitUntil(within: .seconds(20)) {
            site.origin.requests().contains { $0.hasPrefix("START ") }
        }
        try #require(started)
        let second = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path], environment: environment)
        #expect(second.status == 3)
        #expect(second.stderr.contains("another mediamirror is writing this site"), "\(second.stderr)")
        #expect(second.stderr.contains("pid \(first.processIdentifier), sync"), "\(second.stderr)")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        // Once the first is done, the lock is free again.
        let third = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path], environment: environment)
        #expect(third.status == 0, "\(third.stderr)")
    }
}
