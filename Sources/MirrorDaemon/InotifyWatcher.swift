import Foundation
import Logging
import MirrorEngine

/// Watches a directory tree with inotify on a thread of its own and calls `onChange` once the
/// tree has been quiet for the debounce time after a change to a post (created, written,
/// renamed in or out, deleted) or a directory. Directories created or moved in later are
/// watched too; editors that save through a temporary file and a rename show up as the rename.
/// A queue overflow is reported as a change (the pass that follows looks at every post).
final class InotifyWatcher: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        var errno: Int32 = 0
    }

    /// What an exhausted watch limit means, for the log and the status page.
    static func limitMessage(_ path: String) -> String {
        let limit =
            (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_user_watches", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        return "the inotify watch limit is reached (fs.inotify.max_user_watches = \(limit)): changes below \(path) "
            + "are not seen; periodic rescans carry on"
    }

    private let root: String
    private let excluded: String?
    private let debounce: Duration
    private let logger: Logger
    private let onChange: @Sendable (_ directories: Int, _ events: Int, _ changed: ChangedPosts.Scope) -> Void
    private let inotify: Int32
    /// A pipe whose read end wakes `poll` when `stop` writes to it.
    private let stopReader: Int32
    private let stopWriter: Int32
    /// Watch descriptor → directory path. Touched only on the watcher thread once it runs.
    private var directories: [Int32: String] = [:]
    private var events = 0
    /// What changed since the last `onChange`.
    private var changed = ChangedPosts.Scope.posts([])
    private var limitReported = false

    private static let mask: UInt32 =
        UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM) | UInt32(IN_DELETE)
        | UInt32(IN_CREATE) | UInt32(IN_DELETE_SELF) | UInt32(IN_EXCL_UNLINK) | UInt32(IN_ONLYDIR)

    /// `excluded`: a directory inside the tree not to watch (the media directory, when it lives
    /// under the posts).
    init(
        root: String, excluded: String?, debounce: Duration, logger: Logger,
        onChange: @escaping @Sendable (_ directories: Int, _ events: Int, _ changed: ChangedPosts.Scope) -> Void
    ) throws {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
        self.excluded = excluded
        self.debounce = debounce
        self.logger = logger
        self.onChange = onChange
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else { throw Failure(description: "inotify_init1: \(String(cString: strerror(errno)))") }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            close(inotify)
            throw Failure(description: "pipe: \(String(cString: strerror(errno)))")
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        stopReader = ends[0]
        stopWriter = ends[1]
        try addTree(root)
    }

    deinit {
        close(inotify)
        close(stopReader)
        close(stopWriter)
    }

    var watchedDirectories: Int { directories.count }

    /// Ends `run` (from any thread).
    func stop() {
        var byte: UInt8 = 1
        _ = write(stopWriter, &byte, 1)
    }

    /// The thread's body: returns after `stop`.
    func run() {
        var pendingSince: ContinuousClock.Instant?
        var lastEvent = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var timeout: Int32 = -1
            if let pendingSince {
                let now = ContinuousClock.now
                let quietLeft = debounce - (now - lastEvent)
                let capLeft = debounce * 4 - (now - pendingSince)
                timeout = Int32(max(0, Self.milliseconds(min(quietLeft, capLeft))))
            }
            var descriptors = [
                pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stopReader, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, timeout)
            if ready < 0 && errno != EINTR {
                logger.error("watcher: poll failed: \(String(cString: strerror(errno)))")
                return
            }
            if descriptors[1].revents != 0 { return }
            if descriptors[0].revents != 0, readEvents(into: &buffer) {
                lastEvent = ContinuousClock.now
                if pendingSince == nil { pendingSince = lastEvent }
            }
            if let since = pendingSince {
                let now = ContinuousClock.now
                if now - lastEvent >= debounce || now - since >= debounce * 4 {
                    pendingSince = nil
                    let scope = changed
                    changed = .posts([])
                    onChange(directories.count, events, scope)
                }
            }
        }
    }

    /// Reads what is queued; true when something relevant to the posts changed.
    private func readEvents(into buffer: inout [UInt8]) -> Bool {
        var relevant = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
            if count <= 0 { return relevant }
            var offset = 0
            let headerSize = MemoryLayout<inotify_event>.size
            while offset + headerSize <= count {
                let (descriptor, mask, nameLength) = buffer.withUnsafeBytes { raw in
                    (
                        raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                        raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                        Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    )
                }
                let nameStart = offset + headerSize
                let nameEnd = min(count, nameStart + nameLength)
                let nameBytes = buffer[nameStart..<nameEnd].prefix { $0 != 0 }
                let name = String(decoding: nameBytes, as: UTF8.self)
                offset = nameStart + nameLength
                if let change = handle(descriptor: descriptor, mask: mask, name: name) {
                    relevant = true
                    events += 1
                    changed.merge(change)
                }
            }
        }
    }

    /// What one event changed, or nil when it is nothing to the posts.
    private func handle(descriptor: Int32, mask: UInt32, name: String) -> ChangedPosts.Scope? {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            logger.warning("watcher: the event queue overflowed; rescanning the tree")
            try? addTree(root)
            return .everything
        }
        if mask & UInt32(IN_IGNORED) != 0 {
            directories[descriptor] = nil
            return nil
        }
        guard let directory = directories[descriptor] else { return nil }
        if mask & UInt32(IN_DELETE_SELF) != 0 { return directory == root ? .everything : nil }
        let isDirectory = mask & UInt32(IN_ISDIR) != 0
        if isDirectory {
            guard !name.hasPrefix(".") else { return nil }
            if mask & (UInt32(IN_CREATE) | UInt32(IN_MOVED_TO)) != 0 {
                try? addTree((directory as NSString).appendingPathComponent(name))
            }
            // A directory moved in or out takes its posts along: only a walk sees them all.
            return .everything
        }
        // IN_CREATE of a file is followed by IN_CLOSE_WRITE, which is the moment it is complete
        // (a post hard-linked into place raises only IN_CREATE: the periodic walk finds it).
        if mask & UInt32(IN_CREATE) != 0 { return nil }
        guard PostFinder.isPostName(name) else { return nil }
        // Some directories could not be watched: their changes are unseen, so every change
        // means a walk.
        if limitReported { return .everything }
        let relativeDirectory = directory == root ? "" : String(directory.dropFirst(root.count + 1)) + "/"
        return .posts([relativeDirectory + name])
    }

    /// Watches `path` and every directory below it (hidden ones and the excluded one aside).
    private func addTree(_ path: String) throws {
        if let excluded, path == excluded { return }
        let descriptor = inotify_add_watch(inotify, path, Self.mask)
        guard descriptor >= 0 else {
            let error = errno
            let reason = String(cString: strerror(error))
            if path == root { throw Failure(description: "cannot watch \(path): \(reason)", errno: error) }
            if error == ENOSPC {
                if !limitReported { logger.warning("watcher: \(Self.limitMessage(path))") }
                limitReported = true
            } else {
                logger.warning("watcher: cannot watch \(path): \(reason)")
            }
            return
        }
        directories[descriptor] = path
        guard let children = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for child in children where !child.hasPrefix(".") {
            let childPath = (path as NSString).appendingPathComponent(child)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: childPath, isDirectory: &isDirectory), isDirectory.boolValue {
                try addTree(childPath)
            }
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000) + 1
    }
}
