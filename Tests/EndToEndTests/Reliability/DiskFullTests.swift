import Crypto
import Foundation
import TestSupport
import Testing

/// The media directory on a small tmpfs that fills up during the sync: exit 3 with a clear
/// message, no partial file, no post pointing at a file that is not stored in full; once there
/// is room, the next sync finishes the work. Needs root (mount), as CI runs.
@Suite(.serialized)
struct DiskFullTests {
    @Test func aFullMediaDirectoryStopsTheRunWithoutDamage() throws {
        let site = try TestSite(
            "mediamirror-diskfull",
            configuration: "fetch:\n  concurrency: 2\n  per_host: 2\nthumbnails:\n  widths: [64]\n")
        defer { site.remove() }
        try FileManager.default.createDirectory(at: site.media, withIntermediateDirectories: true)
        let mount = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", site.media.path])
        try #require(mount.status == 0, "cannot mount a tmpfs (this suite needs root): \(mount.stderr)")
        defer {
            _ = try? ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["umount", "-l", site.media.path])
        }
        // Twelve distinct photos of about 100 KB each: three or four fit.
        var body = ""
        for index in 0..<12 {
            let jpeg = try TestImages.jpeg(width: 640, height: 480, seed: index, quality: 98)
            try site.origin.serve(jpeg, host: "img.test", path: "\(index).jpg")
            body += "<img src=\"http://img.test/\(index).jpg\">\n"
        }
        let post = site.posts.appendingPathComponent("photos.html")
        try Data(body.utf8).write(to: post)
        let environment = ProcessRunner.environment(proxiedThrough: site.origin)

        let full = try ProcessRunner.run(
            Paths.executable, ["sync", "--json", "--config", site.config.path], environment: environment)
        #expect(full.status == 3, "\(full.stdout)\(full.stderr)")
        #expect(full.stderr.contains("no space left"), "\(full.stderr)")
        let summary = (try? JSONSerialization.jsonObject(with: Data(full.stdout.utf8))) as? [String: Any]
        #expect(summary?["disk_full"] as? Bool == true)
        try Self.checkStoredReferences(site: site, post: post)

        // Room again: the next run finishes.
        let remount = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["mount", "-o", "remount,size=20m", site.media.path])
        #expect(remount.status == 0, "\(remount.stderr)")
        let after = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path], environment: environment)
        #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
        #expect(!String(decoding: try Data(contentsOf: post), as: UTF8.self).contains("img.test"))
        try Self.checkStoredReferences(site: site, post: post)
    }

    /// Every local reference names a complete stored file; no temporary file is left.
    static func checkStoredReferences(site: TestSite, post: URL) throws {
        let text = String(decoding: try Data(contentsOf: post), as: UTF8.self)
        for line in text.split(separator: "\n") where line.contains("/images/mirror/") {
            guard let start = line.range(of: "/images/mirror/"),
                let end = line[start.upperBound...].firstIndex(of: "\"")
            else { continue }
            let stored = String(line[start.upperBound..<end])
            let data = try Data(contentsOf: site.media.appendingPathComponent(stored))
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            #expect(stored.hasSuffix("\(digest).jpg"), "\(stored) is not complete")
        }
        let leftovers = (FileManager.default.subpaths(atPath: site.directory.appending("site").path) ?? [])
            .filter { ($0 as NSString).lastPathComponent.hasPrefix(".mm-tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}
