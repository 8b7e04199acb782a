internal import CSystemShims
import Foundation
import MirrorStore

/// Lists the posts under the posts directory: regular files with a post extension, recursively,
/// in a stable order. Hidden files and directories (editor swap files, `.git`) are skipped, and
/// links are not followed. The walk is the C shim's (openat, getdents64, fstatat on post files
/// only): a no-op sync of a large blog is this walk and one query.
public enum PostFinder {
    static let extensions: Set<String> = ["md", "markdown", "html", "htm"]

    /// A post file and what `stat` says of it.
    struct Entry: Equatable {
        var relativePath: String
        var size: Int
        /// Seconds since 1970, as Foundation's file attributes give them (see `mtime`).
        var mtime: Double
    }

    /// Every post, or an error when part of the tree could not be read (what reads the list as
    /// all the posts there are, such as `gc`, must not go on with part of it).
    static func posts(under root: String) throws -> [String] {
        let walk = try walk(under: root)
        if let unread = walk.unread {
            throw SyncError.cannotRun("the posts directory \(root) could not be read in full: \(unread)")
        }
        return walk.entries.map(\.relativePath)
    }

    static func entries(under root: String) throws -> [Entry] {
        try walk(under: root).entries
    }

    /// The posts, and the temporary files interrupted runs left beside them (relative paths):
    /// one walk finds both.
    /// `unread` says why part of the tree went unseen (nil: the walk saw all of it).
    static func walk(under root: String) throws -> (entries: [Entry], temporaries: [String], unread: String?) {
        var walk: OpaquePointer?
        guard mm_walk_posts(root, &walk) == 0, let walk else {
            let reason = String(cString: strerror(errno))
            throw SyncError.cannotRun("posts directory \(root) does not exist or is not a directory (\(reason))")
        }
        defer { mm_post_walk_free(walk) }
        let incomplete = mm_post_walk_incomplete(walk)
        let unread = incomplete == 0 ? nil : String(cString: strerror(incomplete))
        guard let names = mm_post_walk_names(walk) else { return ([], [], unread) }
        var result: [Entry] = []
        var temporaries: [String] = []
        names.withMemoryRebound(to: UInt8.self, capacity: 1) { bytes in
            let count = mm_post_walk_count(walk)
            if count > 0, let entries = mm_post_walk_entries(walk) {
                result.reserveCapacity(count)
                for entry in UnsafeBufferPointer(start: entries, count: count) {
                    let path = UnsafeBufferPointer(start: bytes + entry.path_offset, count: entry.path_length)
                    result.append(
                        Entry(
                            relativePath: String(decoding: path, as: UTF8.self), size: Int(entry.size),
                            mtime: mtime(seconds: entry.mtime_seconds, nanoseconds: entry.mtime_nanoseconds)))
                }
            }
            let temporaryCount = mm_post_walk_temporary_count(walk)
            if temporaryCount > 0, let offsets = mm_post_walk_temporaries(walk) {
                for offset in UnsafeBufferPointer(start: offsets, count: temporaryCount) {
                    temporaries.append(String(cString: bytes + offset))
                }
            }
        }
        return (result.sorted { $0.relativePath < $1.relativePath }, temporaries, unread)
    }

    /// The posts as they are now when only `changed` can differ from what the manifest knows
    /// (the daemon's watcher reported them): the known posts as recorded, and each changed path
    /// as `lstat` finds it. Returns those entries, sorted, and the changed paths that are no
    /// longer posts.
    static func entries(
        changed: Set<String>, under root: String, known: [String: PostRecord]
    ) -> (entries: [Entry], gone: [String]) {
        var entries: [Entry] = []
        entries.reserveCapacity(known.count + changed.count)
        for (path, record) in known where !changed.contains(path) {
            entries.append(Entry(relativePath: path, size: record.size, mtime: record.mtime))
        }
        var gone: [String] = []
        for path in changed {
            var status = stat()
            let full = (root as NSString).appendingPathComponent(path)
            let isPost = path.split(separator: "/").allSatisfy { !$0.hasPrefix(".") } && isPostName(path)
            if isPost, lstat(full, &status) == 0, status.st_mode & S_IFMT == S_IFREG {
                entries.append(
                    Entry(
                        relativePath: path, size: Int(status.st_size),
                        mtime: mtime(seconds: Int64(status.st_mtim.tv_sec), nanoseconds: Int64(status.st_mtim.tv_nsec)))
                )
            } else if known[path] != nil {
                gone.append(path)
            }
        }
        return (entries.sorted { $0.relativePath < $1.relativePath }, gone.sorted())
    }

    /// The modification time exactly as `FileManager`'s `.modificationDate` gives it (a Date
    /// counts from 2001, so the sum is formed there): the manifest holds such values, and a post
    /// is skipped only when they are equal.
    static func mtime(seconds: Int64, nanoseconds: Int64) -> Double {
        Date(
            timeIntervalSinceReferenceDate: Double(seconds) - Date.timeIntervalBetween1970AndReferenceDate
                + Double(nanoseconds) / 1_000_000_000
        ).timeIntervalSince1970
    }

    /// Whether a file of this name is a post (what the watcher reacts to).
    public static func isPostName(_ name: String) -> Bool {
        !name.hasPrefix(".") && extensions.contains((name as NSString).pathExtension.lowercased())
    }

    static func isMarkdown(_ path: String) -> Bool {
        let ext = (path as NSString).pathExtension.lowercased()
        return ext == "md" || ext == "markdown"
    }
}
