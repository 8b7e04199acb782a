import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import MirrorDaemon

/// The watcher on a real directory tree, with real inotify.
@Suite(.serialized)
struct InotifyWatcherTests {
    final class Changes: Sendable {
        let count = Atomic<Int>(0)
    }

    func withWatcher(
        _ body: (_ root: URL, _ changes: Changes, _ watcher: InotifyWatcher) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory("mediamirror-watch")
        defer { directory.remove() }
        let root = directory.appending("posts")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("2025"), withIntermediateDirectories: true)
        let changes = Changes()
        let watcher = try InotifyWatcher(
            root: root.path, excluded: nil, debounce: .milliseconds(150), logger: Logger(label: "test")
        ) { _, _, _ in changes.count.add(1, ordering: .relaxed) }
        let thread = Thread { watcher.run() }
        thread.start()
        defer { watcher.stop() }
        try await body(root, changes, watcher)
    }

    @Test func aBurstOfWritesIsOneChange() async throws {
        try await withWatcher { root, changes, _ in
            for index in 0..<5 {
                try Data("post \(index)\n".utf8).write(to: root.appendingPathComponent("2025/p\(index).md"))
            }
            #expect(await eventually(within: .seconds(3)) { changes.count.load(ordering: .relaxed) >= 1 })
            try await Task.sleep(for: .milliseconds(400))
            #expect(changes.count.load(ordering: .relaxed) == 1)
        }
    }

    @Test func filesInANewDirectoryAreSeen() async throws {
        try await withWatcher { root, changes, watcher in
            let fresh = root.appendingPathComponent("2026/11")
            try FileManager.default.createDirectory(at: fresh, withIntermediateDirectories: true)
            #expect(await eventually(within: .seconds(3)) { changes.count.load(ordering: .relaxed) >= 1 })
            try await Task.sleep(for: .milliseconds(300))
            let before = changes.count.load(ordering: .relaxed)
            try Data("new\n".utf8).write(to: fresh.appendingPathComponent("new.md"))
            #expect(await eventually(within: .seconds(3)) { changes.count.load(ordering: .relaxed) > before })
            _ = watcher
        }
    }

    @Test func aRenameIntoPlaceIsSeenAndOtherFilesAreNot() async throws {
        try await withWatcher { root, changes, _ in
            try Data("image".utf8).write(to: root.appendingPathComponent("2025/picture.jpg"))
            try Data("swap".utf8).write(to: root.appendingPathComponent("2025/.post.md.swp"))
            try await Task.sleep(for: .milliseconds(500))
            #expect(changes.count.load(ordering: .relaxed) == 0, "non-post files are not changes")
            #expect(
                rename(
                    root.appendingPathComponent("2025/.post.md.swp").path,
                    root.appendingPathComponent("2025/post.md").path)
                    == 0)
            #expect(await eventually(within: .seconds(3)) { changes.count.load(ordering: .relaxed) == 1 })
        }
    }
}
