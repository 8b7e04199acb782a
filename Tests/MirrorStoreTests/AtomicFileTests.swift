import Foundation
import MirrorStore
import TestSupport
import Testing

struct AtomicFileTests {
    @Test func replacesContentKeepsModeAndLeavesNoTemporary() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("post.md").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        try AtomicFile.write(Array("new".utf8), to: path, mode: 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["post.md"])
    }

    @Test func replaceIfStillSwapsOnlyAnUnchangedFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("post.md").path
        try Data("scanned".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o640)
        #expect(try AtomicFile.replace(path, with: Array("rewritten".utf8), ifStill: Array("scanned".utf8)))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "rewritten")
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o640)
        // An editor saved meanwhile: nothing changes, and nothing is left beside the post.
        #expect(try !AtomicFile.replace(path, with: Array("mine".utf8), ifStill: Array("scanned".utf8)))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "rewritten")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["post.md"])
    }

    @Test func writingIntoAMissingDirectoryFailsCleanly() {
        #expect(throws: AtomicFile.Failure.self) {
            try AtomicFile.write([1, 2, 3], to: "/nonexistent-mediamirror-dir/x")
        }
    }

    @Test func contentStorePublishesOnceAndCleansStaleTemporaries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = ContentStore(root: directory.path)
        let relative = ContentStore.originalPath(sha256: "abcdef", fileExtension: "jpg")
        #expect(relative == "ab/abcdef.jpg")
        #expect(ContentStore.thumbnailPath(sha256: "abcdef", width: 320, fileExtension: "jpg") == "ab/abcdef-320w.jpg")
        for _ in 0..<2 {
            let (temporary, descriptor) = try AtomicFile.createTemporary(in: directory.path)
            close(descriptor)
            try Data("same".utf8).write(to: URL(fileURLWithPath: temporary))
            try store.publish(temporary: temporary, as: relative)
            #expect(!FileManager.default.fileExists(atPath: temporary))
        }
        #expect(store.exists(relative))
        let (stale, descriptor) = try AtomicFile.createTemporary(in: directory.path)
        close(descriptor)
        #expect(store.removeStaleTemporaries() == 1)
        #expect(!FileManager.default.fileExists(atPath: stale))
    }
}
