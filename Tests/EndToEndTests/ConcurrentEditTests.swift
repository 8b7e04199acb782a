import Foundation
import TestSupport
import Testing

/// A post edited while its images download: the edit is kept and the post is rewritten on a
/// rescan. Timing comes from the origin, which holds the image for two seconds.
@Suite(.serialized)
struct ConcurrentEditTests {
    @Test func anEditDuringTheSyncIsKeptAndThePostRewritten() throws {
        let site = try TestSite("mediamirror-edit", configuration: "thumbnails:\n  widths: [32]\n")
        defer { site.remove() }
        let (posts, origin, config) = (site.posts, site.origin, site.config)
        try origin.serve(try TestImages.jpeg(width: 64, height: 48), host: "img.test", path: "a.jpg")
        let post = posts.appendingPathComponent("slow.md")
        let original = "---\ntitle: slow\n---\n<img src=\"http://img.test/__/slow/3000?then=/a.jpg\">\n"
        try Data(original.utf8).write(to: post)

        let process = Process()
        process.executableURL = Paths.executable
        process.arguments = ["sync", "--json", "--config", config.path]
        process.environment = ProcessRunner.environment(proxiedThrough: origin)
        let output = Pipe()
        process.standardOutput = output
        // The editor runs on a thread of its own, so busy test workers cannot delay it: once the
        // download is under way (the origin logs its start), it edits the post the way editors
        // do, temp + rename.
        let edited = original + "A paragraph written during the sync.\n"
        let editedInTime = ConditionFlag()
        let editor = Thread {
            for _ in 0..<400 {
                if origin.requests().contains(where: { $0.hasPrefix("START ") }) {
                    let temporary = posts.appendingPathComponent(".slow.md.swp")
                    if (try? Data(edited.utf8).write(to: temporary)) != nil, rename(temporary.path, post.path) == 0 {
                        editedInTime.set()
                    }
                    return
                }
                usleep(20_000)
            }
        }
        editor.start()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(editedInTime.isSet, "the editor never saw the download start")

        let summary = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(summary?["posts_rescanned"] as? Int == 1, "\(String(decoding: data, as: UTF8.self))")
        #expect(summary?["posts_rewritten"] as? Int == 1)
        let final = String(decoding: try Data(contentsOf: post), as: UTF8.self)
        #expect(final.contains("A paragraph written during the sync.\n"))
        #expect(final.contains("<img src=\"/images/mirror/"))
        #expect(!final.contains("img.test"))
    }
}

extension ConcurrentEditTests {
    /// Readers are not blocked by a sync in progress (WAL): report answers while one runs.
    @Test func reportAnswersWhileASyncRuns() throws {
        let site = try TestSite("mediamirror-reader", configuration: "thumbnails:\n  widths: [32]\n")
        defer { site.remove() }
        let (posts, origin, config) = (site.posts, site.origin, site.config)
        try origin.serve(try TestImages.jpeg(width: 64, height: 48), host: "img.test", path: "a.jpg")
        try origin.serve(try TestImages.jpeg(width: 80, height: 48, seed: 1), host: "img.test", path: "b.jpg")
        try Data("<img src=\"http://img.test/a.jpg\">\n".utf8).write(to: posts.appendingPathComponent("a.md"))
        let environment = ProcessRunner.environment(proxiedThrough: origin)
        #expect(
            try ProcessRunner.run(Paths.executable, ["sync", "--config", config.path], environment: environment).status
                == 0)

        // A second post whose image takes three seconds; report runs meanwhile.
        try Data("<img src=\"http://img.test/__/slow/3000?then=/b.jpg\">\n".utf8).write(
            to: posts.appendingPathComponent("b.md"))
        let sync = Process()
        sync.executableURL = Paths.executable
        sync.arguments = ["sync", "--config", config.path]
        sync.environment = environment
        sync.standardOutput = FileHandle.nullDevice
        try sync.run()
        var started = false
        for _ in 0..<400 where !started {
            usleep(20_000)
            started = origin.requests().contains { $0.hasPrefix("START ") }
        }
        #expect(started)
        let report = try ProcessRunner.run(Paths.executable, ["report", "--json", "--config", config.path])
        #expect(sync.isRunning, "the report must have run during the sync")
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("\"post\":\"a.md\""))
        sync.waitUntilExit()
        #expect(sync.terminationStatus == 0)
    }
}
