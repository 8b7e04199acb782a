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
    }

    private let root: String
    private let excluded: String?
    private let debounce: Duration
    private let logger: Logger
    private let onChange: @Sendable (_ directories: Int, _ events: Int) -> Void
    private let inotify: Int32
    /// A pipe whose read end wakes `poll` when `stop` writes to it.
    private let stopReader: Int32
    private let stopWriter: Int32
    /// Watch descriptor → directory path. Touched only on the watcher thread once it runs.
    private var directories: [Int32: String] = [:]
    private var events = 0

    private static let mask: UInt32 =
        UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM) | UInt32(IN_DELETE)
        | UInt32(IN_CREATE) | UInt32(IN_DELETE_SELF) | UInt32(IN_EXCL_UNLINK) | UInt32(IN_ONLYDIR)

    /// `excluded`: a directory inside the tree not to watch (the media directory, when it lives
    /// under the posts).
    init(
        root: String, excluded: String?, debounce: Duration, logger: Logger,
        onChange: @escaping @Sendable (_ directories: Int, _ events: Int) -> Void
    ) throws {
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
                    onChange(directories.count, events)
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
                if handle(descriptor: descriptor, mask: mask, name: name) {
                    relevant = true
                    events += 1
                }
            }
        }
    }

    private func handle(descriptor: Int32, mask: UInt32, name: String) -> Bool {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            logger.warning("watcher: the event queue overflowed; rescanning the tree")
            try? addTree(root)
            return true
        }
        if mask & UInt32(IN_IGNORED) != 0 {
            directories[descriptor] = nil
            return false
        }
        guard let directory = directories[descriptor] else { return false }
        if mask & UInt32(IN_DELETE_SELF) != 0 { return directory == root }
        let isDirectory = mask & UInt32(IN_ISDIR) != 0
        if isDirectory {
            guard !name.hasPrefix(".") else { return false }
            if mask & (UInt32(IN_CREATE) | UInt32(IN_MOVED_TO)) != 0 {
                try? addTree((directory as NSString).appendingPathComponent(name))
            }
            return true
        }
        // IN_CREATE of a file is followed by IN_CLOSE_WRITE, which is the moment it is complete.
        if mask & UInt32(IN_CREATE) != 0 { return false }
        return PostFinder.isPostName(name)
    }

    /// Watches `path` and every directory below it (hidden ones and the excluded one aside).
    private func addTree(_ path: String) throws {
        if let excluded, path == excluded { return }
        let descriptor = inotify_add_watch(inotify, path, Self.mask)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            if path == root { throw Failure(description: "cannot watch \(path): \(reason)") }
            logger.warning("watcher: cannot watch \(path): \(reason)")
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
