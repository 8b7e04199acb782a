import Foundation
import Logging
import MirrorPosts
import MirrorStore

/// The scan stage: finds the posts (walking the tree, or taking the paths the daemon's watcher
/// reported), forgets posts that are gone, and reads and scans every post that is new, changed
/// or has references pending. A post unchanged since it was recorded (size and mtime) with
/// nothing pending is not read: a no-op sync of a large blog is a walk and one query.
struct ScanStage {
    let posts: String
    let scanner: ReferenceScanner
    let manifest: Manifest?
    let dryRun: Bool
    /// The pass holds the writer lock it took itself: temporary files the walk meets are an
    /// interrupted run's, and are removed.
    let removeTemporaries: Bool
    let logger: Logger

    struct Result {
        var scanned: [ScannedPost] = []
        var skipped = 0
        var problems: [SyncProblem] = []
    }

    /// `progress` is called every 256 scanned posts; `shouldStop` before each post (nothing is
    /// written while scanning, so a stop abandons the pass here with `CancellationError`).
    func run(
        onlyPosts: Set<String>?, shouldStop: () -> Bool, progress: (_ scanned: Int) -> Void
    ) throws -> Result {
        var result = Result()
        let entries: [PostFinder.Entry]
        let gone: [String]
        let known: [String: PostRecord]
        if let onlyPosts, let (records, total) = knownPosts(pendingOrAt: onlyPosts, &result) {
            // The posts the manifest did not return are unchanged and have nothing pending.
            known = records
            result.skipped = total - records.count
            (entries, gone) = PostFinder.entries(changed: onlyPosts, under: posts, known: known)
        } else {
            known = knownPosts(&result)
            let walk = try PostFinder.walk(under: posts)
            entries = walk.entries
            if removeTemporaries { remove(walk.temporaries) }
            if let unread = walk.unread {
                // Posts the walk did not see may still be there: none is forgotten.
                result.problems.append(
                    SyncProblem(
                        subject: posts, kind: .scan,
                        message: "part of the tree could not be read (\(unread)); posts not seen are kept"))
                gone = []
            } else {
                let present = Set(entries.map(\.relativePath))
                gone = known.keys.filter { !present.contains($0) }.sorted()
            }
        }
        if !dryRun, let manifest {
            do {
                try manifest.forgetPosts(gone)
            } catch {
                result.problems.append(SyncProblem(subject: "manifest", kind: .manifest, message: "\(error)"))
            }
        }
        for entry in entries {
            if shouldStop() { throw CancellationError() }
            try Task.checkCancellation()
            if let record = known[entry.relativePath], record.size == entry.size, record.mtime == entry.mtime,
                record.pending == 0
            {
                result.skipped += 1
                continue
            }
            scan(entry.relativePath, into: &result)
            if result.scanned.count % 256 == 0 { progress(result.scanned.count) }
        }
        return result
    }

    private func remove(_ temporaries: [String]) {
        let removed = temporaries.filter { unlink((posts as NSString).appendingPathComponent($0)) == 0 }.count
        if removed > 0 { logger.notice("removed \(removed) temporary files left by an interrupted run") }
    }

    private func knownPosts(
        pendingOrAt paths: Set<String>, _ result: inout Result
    ) -> (records: [String: PostRecord], total: Int)? {
        guard let manifest else { return nil }
        do {
            let (records, total) = try manifest.posts(pendingOrAt: paths)
            return (Self.byPath(records), total)
        } catch {
            result.problems.append(SyncProblem(subject: "manifest", kind: .manifest, message: "\(error)"))
            return nil
        }
    }

    private func knownPosts(_ result: inout Result) -> [String: PostRecord] {
        guard let manifest else { return [:] }
        do {
            return Self.byPath(try manifest.allPosts())
        } catch {
            // Every post is then read and scanned as if new: slower, nothing lost.
            result.problems.append(SyncProblem(subject: "manifest", kind: .manifest, message: "\(error)"))
            return [:]
        }
    }

    private static func byPath(_ records: [PostRecord]) -> [String: PostRecord] {
        Dictionary(records.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private func scan(_ relative: String, into result: inout Result) {
        let path = (posts as NSString).appendingPathComponent(relative)
        guard let data = FileBytes.read(path) else {
            result.problems.append(SyncProblem(subject: relative, kind: .scan, message: "cannot be read"))
            return
        }
        let bytes = [UInt8](data)
        let scan = scanner.scan(bytes, isMarkdown: PostFinder.isMarkdown(relative))
        for problem in scan.problems {
            result.problems.append(SyncProblem(subject: relative, kind: .scan, message: problem))
        }
        result.scanned.append(ScannedPost(relativePath: relative, path: path, bytes: bytes, scan: scan))
    }
}
