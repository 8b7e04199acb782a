import Foundation
import MirrorImaging
import TestSupport
import Testing

/// report, restore, verify and gc through the real binary, after a real sync of the sample.
extension SampleSyncTests {
    func json(_ run: Run) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    @Test func reportJSONHasTheDocumentedShape() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        #expect(try sync(site).status == 0)
        let run = try mediamirror(site, "report", ["--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try json(run)
        let references = try #require(report["references"] as? [[String: Any]])
        #expect(references.count == 8)
        let first = try #require(references.first { ($0["place"] as? String) == "<img> #0 data-original" })
        #expect(first["post"] as? String == Self.samplePost)
        #expect(
            first["original_value"] as? String == "http://zkres1.myzaker.com/202112/61af4f32b15ec06165253241_1024.jpg")
        #expect(first["url"] as? String == "http://zkres1.myzaker.com/202112/61af4f32b15ec06165253241_1024.jpg")
        #expect((first["local_value"] as? String)?.hasPrefix("/images/mirror/") == true)
        #expect(first["declared"] as? [Int] == [1920, 1280])
        #expect(first["actual"] as? [Int] == [1920, 1280])
        #expect(first["verdict"] as? String == "match")
        let headimg = try #require(references.first { ($0["place"] as? String) == "front matter headimg" })
        #expect(headimg["declared"] is NSNull)
        #expect(headimg["verdict"] as? String == "undeclared")
        let assets = try #require(report["assets"] as? [[String: Any]])
        #expect(assets.count == 3)
        for asset in assets {
            #expect(asset["type"] as? String == "jpeg")
            let path = try #require(asset["path"] as? String)
            #expect(FileManager.default.fileExists(atPath: path))
            let thumbnails = try #require(asset["thumbnails"] as? [[String: Any]])
            #expect(thumbnails.compactMap { $0["width"] as? Int } == [320, 640])
            for thumbnail in thumbnails {
                #expect(FileManager.default.fileExists(atPath: try #require(thumbnail["path"] as? String)))
            }
        }
        #expect((report["failures"] as? [Any])?.isEmpty == true)
    }

    @Test func reportListsFailuresWithClassAndAttempts() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        let missing = Self.images[2]
        try FileManager.default.removeItem(
            at: site.origin.root.appendingPathComponent("\(missing.host)/\(missing.path)"))
        #expect(try sync(site).status == 1)
        let failures = try #require(
            try json(try mediamirror(site, "report", ["--json"]))["failures"] as? [[String: Any]])
        #expect(failures.count == 1)
        #expect(failures.first?["url"] as? String == "http://\(missing.host)/\(missing.path)")
        #expect((failures.first?["class"] as? String)?.isEmpty == false)
        #expect((failures.first?["attempts"] as? Int ?? 0) >= 2)  // origin, then the wrapper
        let text = try mediamirror(site, "report")
        #expect(text.stdout.contains("failures (1)"))
    }

    @Test func restoreGivesBackTheOriginalBytes() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        #expect(try sync(site).status == 0)
        #expect(try [UInt8](Data(contentsOf: site.post)) != site.original)
        let run = try mediamirror(site, "restore", ["--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try json(run)["references_restored"] as? Int == 8)
        #expect(try [UInt8](Data(contentsOf: site.post)) == site.original)
        // The manifest knows the post points at its originals again; a second restore does nothing.
        let report = try json(try mediamirror(site, "report", ["--json"]))
        let references = try #require(report["references"] as? [[String: Any]])
        #expect(references.allSatisfy { $0["local_value"] is NSNull })
        #expect(try json(try mediamirror(site, "restore", ["--json"]))["posts_restored"] as? Int == 0)
    }

    @Test func restoreKeepsAPlaceEditedSinceTheRewrite() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        #expect(try sync(site).status == 0)
        var text = String(decoding: try Data(contentsOf: site.post), as: UTF8.self)
        let headimg = try #require(text.range(of: "headimg: '/images/mirror/"))
        text.replaceSubrange(headimg, with: "headimg: '/images/mine/")
        try Data(text.utf8).write(to: site.post)
        let run = try mediamirror(site, "restore", [site.post.path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("changed since they were rewritten"))
        let restored = String(decoding: try Data(contentsOf: site.post), as: UTF8.self)
        #expect(restored.contains("headimg: '/images/mine/"))
        #expect(restored.contains("data-original=\"http://zkres1.myzaker.com/"))
    }

    @Test func verifyFindsAndRepairsMissingAndCorruptFiles() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        #expect(try sync(site).status == 0)
        #expect(try mediamirror(site, "verify").status == 0)
        let assets = try #require(try json(try mediamirror(site, "report", ["--json"]))["assets"] as? [[String: Any]])
        let first = try #require(assets[0]["path"] as? String)
        let second = try #require(assets[1]["path"] as? String)
        let thumbnail = try #require((assets[2]["thumbnails"] as? [[String: Any]])?.first?["path"] as? String)
        let secondBytes = try Data(contentsOf: URL(fileURLWithPath: second))
        try FileManager.default.removeItem(atPath: first)
        try Data("not the image".utf8).write(to: URL(fileURLWithPath: second))
        try FileManager.default.removeItem(atPath: thumbnail)

        let check = try mediamirror(site, "verify", ["--json"])
        #expect(check.status == 1)
        let found = try json(check)
        #expect((found["missing"] as? [String])?.count == 1)
        #expect((found["corrupt"] as? [String])?.count == 1)
        #expect((found["thumbnails_bad"] as? [String])?.count == 1)

        let repair = try mediamirror(site, "verify", ["--repair", "--json"])
        #expect(repair.status == 0, "\(repair.stdout)\n\(repair.stderr)")
        #expect((try json(repair)["repaired"] as? [String])?.count == 2)
        #expect(FileManager.default.fileExists(atPath: first))
        #expect(try Data(contentsOf: URL(fileURLWithPath: second)) == secondBytes)
        let regenerated = try [UInt8](Data(contentsOf: URL(fileURLWithPath: thumbnail)))
        #expect(try ImageProber.probe(regenerated).width == 320)
        #expect(try mediamirror(site, "verify").status == 0)
    }

    @Test func gcRemovesOnlyWhatNothingUses() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        #expect(try sync(site).status == 0)
        let before = try FileManager.default.subpathsOfDirectory(atPath: site.media.path).filter { $0.contains(".") }
        #expect(before.count == 9)
        // An orphan (say, a thumbnail written before a crash) and a fresh orphan inside the grace period.
        let orphan = site.media.appendingPathComponent("ff/\(String(repeating: "f", count: 64))-320w.jpg")
        try FileManager.default.createDirectory(
            at: orphan.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: orphan)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: orphan.path)

        let dry = try json(try mediamirror(site, "gc", ["--dry-run", "--json"]))
        #expect(dry["removed"] as? [String] == ["ff/\(String(repeating: "f", count: 64))-320w.jpg"])
        #expect(FileManager.default.fileExists(atPath: orphan.path))

        let run = try mediamirror(site, "gc", ["--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: orphan.path))
        #expect(
            try FileManager.default.subpathsOfDirectory(atPath: site.media.path).filter { $0.contains(".") }.sorted()
                == before.sorted())
        #expect(try mediamirror(site, "verify").status == 0)

        // After a restore nothing uses the copies any more.
        #expect(try mediamirror(site, "restore").status == 0)
        let recent = try json(try mediamirror(site, "gc", ["--json"]))
        #expect(recent["too_recent"] as? Int == 9)
        let all = try json(try mediamirror(site, "gc", ["--grace", "0", "--json"]))
        #expect((all["removed"] as? [String])?.count == 9)
        #expect(try [UInt8](Data(contentsOf: site.post)) == site.original)
        #expect(try mediamirror(site, "gc", ["--grace", "soon"]).status == 2)
    }

    @Test func aDeletedPostIsForgottenAndItsFilesCanBeCollected() throws {
        let site = try makeSite()
        defer {
            site.origin.stop()
            site.directory.remove()
        }
        #expect(try sync(site).status == 0)
        try FileManager.default.removeItem(at: site.post)
        #expect(try sync(site).status == 0)
        let report = try json(try mediamirror(site, "report", ["--json"]))
        #expect((report["references"] as? [Any])?.isEmpty == true)
        let collected = try json(try mediamirror(site, "gc", ["--grace", "0", "--json"]))
        #expect((collected["removed"] as? [String])?.count == 9)
    }
}
