import Foundation

/// One writer per site at a time: an exclusive `flock` on `<manifest>.lock`, held by a sync pass,
/// `restore`, `gc` and `verify --repair` while they run, released when the process ends however
/// it ends. Besides keeping two writers from editing the same post, it makes cleaning up
/// temporary files safe: while the lock is held, any temporary file is a dead process's.
public final class WriterLock: Sendable {
    public struct Held: Error, CustomStringConvertible {
        public var path: String
        /// What the holder wrote into the lock file: its pid and command.
        public var holder: String
        public var description: String {
            "another mediamirror is writing this site (\(holder.isEmpty ? "unknown process" : holder)); lock \(path)"
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot open the lock \(path): \(reason)" }
    }

    public let path: String
    private let descriptor: Int32

    /// Takes the lock or throws `Held` at once (it never waits).
    public init(manifest: String, purpose: String) throws {
        path = manifest + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Failure(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = read(descriptor, &buffer, buffer.count)
            close(descriptor)
            if error == EWOULDBLOCK {
                throw Held(
                    path: path,
                    holder: String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
                        .trimmingCharacters(in: .whitespacesAndNewlines))
            }
            throw Failure(path: path, reason: String(cString: strerror(error)))
        }
        self.descriptor = descriptor
        let note = Array("pid \(getpid()), \(purpose)\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, note, note.count, 0)
    }

    deinit {
        close(descriptor)
    }
}
