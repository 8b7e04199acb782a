import Foundation
import TestSupport
import Testing

@testable import MirrorEngine

/// The shim's walk against Foundation's enumerator, the way the posts were found before: the
/// same files, sizes and modification times (to the last bit: the manifest compares them), in
/// the same order.
struct PostFinderTests {
    /// Foundation's answer, kept here as the reference.
    static func reference(under root: String) -> [PostFinder.Entry] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var result: [PostFinder.Entry] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            let type = enumerator.fileAttributes?[.type] as? FileAttributeType
            if name.hasPrefix(".") {
                if type == .typeDirectory { enumerator.skipDescendants() }
                continue
            }
            guard PostFinder.extensions.contains((name as NSString).pathExtension.lowercased()), type == .typeRegular
            else { continue }
            let attributes = enumerator.fileAttributes
            result.append(
                PostFinder.Entry(
                    relativePath: relative, size: (attributes?[.size] as? Int) ?? -1,
                    mtime: (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1))
        }
        return result.sorted { $0.relativePath < $1.relativePath }
    }

    @Test func agreesWithFoundationOnAMixedTree() throws {
        let directory = try TemporaryDirectory("mediamirror-postfinder")
        defer { directory.remove() }
        let root = directory.appending("posts")
        let files = [
            "a.md", "B.MD", "c.markdown", "d.html", "e.HTM", "f.txt", "noext", ".hidden.md", "sub/x.md",
            "sub/deeper/y.html", ".git/z.md", "sub/.cache/w.md", "dir.md/inner.md", "中文/文章.md", "sp ace/p q.md",
            "2026/12/07/post.md",
        ]
        var random = SplitMix(seed: 7)
        for (index, file) in files.enumerated() {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(repeating: UInt8(index), count: index * 37).write(to: url)
            // Arbitrary nanoseconds, so rounding is exercised.
            var times = [
                timespec(
                    tv_sec: 1_600_000_000 + Int(random.next() % 100_000_000),
                    tv_nsec: Int(random.next() % 1_000_000_000)),
                timespec(
                    tv_sec: 1_700_000_000 + Int(random.next() % 100_000_000),
                    tv_nsec: Int(random.next() % 1_000_000_000)),
            ]
            #expect(utimensat(AT_FDCWD, url.path, &times, 0) == 0)
        }
        symlink(root.appendingPathComponent("a.md").path, root.appendingPathComponent("link.md").path)
        symlink(root.appendingPathComponent("sub").path, root.appendingPathComponent("linked-dir").path)
        let found = try PostFinder.entries(under: root.path)
        #expect(found == Self.reference(under: root.path))
        #expect(found.map(\.relativePath).contains("中文/文章.md"))
        #expect(!found.map(\.relativePath).contains { $0.contains(".git") || $0.contains("link") })
    }

    /// Many modification times: the shim's arithmetic gives Foundation's Double every time.
    @Test func modificationTimesMatchFoundationToTheBit() throws {
        var random = SplitMix(seed: 42)
        let directory = try TemporaryDirectory("mediamirror-mtime")
        defer { directory.remove() }
        let path = directory.appending("p.md").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
        for _ in 0..<2000 {
            let seconds = Int(random.next() % 4_000_000_000)
            let nanoseconds = Int(random.next() % 1_000_000_000)
            var times = [
                timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds),
            ]
            _ = utimensat(AT_FDCWD, path, &times, 0)
            let foundation =
                (try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)?
                .timeIntervalSince1970
            let ours = PostFinder.mtime(seconds: Int64(seconds), nanoseconds: Int64(nanoseconds))
            #expect(foundation == ours, "\(seconds).\(nanoseconds)")
        }
    }

    /// The same walk lists an interrupted run's temporary files in the directories it visits.
    @Test func temporaryFilesAreListedApart() throws {
        let directory = try TemporaryDirectory("mediamirror-postfinder-tmp")
        defer { directory.remove() }
        let root = directory.appending("posts")
        for file in ["a.md", ".mm-tmp-abc", "sub/.mm-tmp-def", "sub/b.md", ".git/.mm-tmp-ignored"] {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        let walk = try PostFinder.walk(under: root.path)
        #expect(walk.entries.map(\.relativePath) == ["a.md", "sub/b.md"])
        #expect(walk.temporaries.sorted() == [".mm-tmp-abc", "sub/.mm-tmp-def"])
    }

    @Test func aMissingRootIsAClearError() {
        #expect(throws: SyncError.self) { try PostFinder.entries(under: "/nonexistent/mediamirror-posts") }
    }
}
