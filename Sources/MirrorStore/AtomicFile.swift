internal import CSystemShims
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that readers see either the old file or the whole new one: a temporary file
/// in the same directory, fsync, rename, fsync of the directory.
public enum AtomicFile {
    /// Thrown by this store only (made with the memberwise initializer); others read it.
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var operation: String
        public var code: Int32

        public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
        /// True when the disk is full or over quota.
        public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }
    }

    /// The prefix of every temporary file this process creates; never published, cleaned on start.
    public static let temporaryPrefix = ".mm-tmp-"

    /// Removes this process's kind of temporary file under `directory`, down to `depth` levels of
    /// subdirectories (hidden ones included: temporaries sit beside their targets). Returns how
    /// many were removed.
    public static func removeTemporaries(under directory: String, depth: Int) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var removed = 0
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            if name.hasPrefix(temporaryPrefix) {
                if unlink(path) == 0 { removed += 1 }
                continue
            }
            guard depth > 0 else { continue }
            var status = stat()
            if lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
                removed += removeTemporaries(under: path, depth: depth - 1)
            }
        }
        return removed
    }

    /// Creates a new, empty temporary file in `directory` (O_EXCL, mode 0644, open for reading and
    /// writing: downloads are read back to be hashed) and returns its path
    /// and open descriptor.
    public static func createTemporary(in directory: String) throws(Failure) -> (path: String, descriptor: Int32) {
        for _ in 0..<16 {
            let name = temporaryPrefix + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let path = (directory as NSString).appendingPathComponent(name)
            let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 { return (path, descriptor) }
            if errno != EEXIST { throw Failure(path: path, operation: "create", code: errno) }
        }
        throw Failure(path: directory, operation: "create a temporary file in", code: EEXIST)
    }

    /// Writes all bytes to a descriptor, retrying short writes and EINTR.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, operation: "write", code: errno)
            }
            offset += written
        }
    }

    /// Atomically replaces (or creates) `path` with `bytes`, with the given permission bits and,
    /// when given, owner (so rewriting a post as root does not hand it to root).
    public static func write(
        _ bytes: [UInt8], to path: String, mode: mode_t = 0o644, owner: (uid: uid_t, gid: gid_t)? = nil
    ) throws(Failure) {
        let temporary = try writeTemporary(bytes, beside: path, mode: mode, owner: owner)
        try publish(temporary, to: path)
    }

    /// A finished, fsynced temporary file holding `bytes` in `path`'s directory, with the given
    /// permission bits and owner; its path.
    private static func writeTemporary(
        _ bytes: [UInt8], beside path: String, mode: mode_t, owner: (uid: uid_t, gid: gid_t)?
    ) throws(Failure) -> String {
        let (temporary, descriptor) = try createTemporary(in: (path as NSString).deletingLastPathComponent)
        do throws(Failure) {
            let written: Result<Void, Failure> = bytes.withUnsafeBytes { buffer in
                Result { () throws(Failure) in try writeAll(buffer, to: descriptor, path: temporary) }
            }
            try written.get()
            if fchmod(descriptor, mode) != 0 { throw Failure(path: temporary, operation: "chmod", code: errno) }
            if let owner, owner.uid != geteuid() || owner.gid != getegid() {
                if fchown(descriptor, owner.uid, owner.gid) != 0 {
                    throw Failure(path: temporary, operation: "chown", code: errno)
                }
            }
            if fsync(descriptor) != 0 { throw Failure(path: temporary, operation: "fsync", code: errno) }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        return temporary
    }

    /// Replaces `path` with `bytes` only if it still holds `expected`, keeping its mode and owner
    /// (a post rewritten by root stays its author's).
    /// Returns false, changing nothing, when someone changed the file meanwhile.
    ///
    /// The new file is written and fsynced first; then the two are swapped atomically
    /// (renameat2 RENAME_EXCHANGE) and the file swapped out is compared with `expected`: if an
    /// editor saved in the meantime (even between the check and the swap), it is swapped back.
    /// Where the file system cannot exchange, a check right before a plain rename is the guard.
    public static func replace(_ path: String, with bytes: [UInt8], ifStill expected: [UInt8]) throws(Failure) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { throw Failure(path: path, operation: "stat", code: errno) }
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = try writeTemporary(
            bytes, beside: path, mode: info.st_mode & 0o7777, owner: (info.st_uid, info.st_gid))
        guard holds(path, expected) else {
            unlink(temporary)
            return false
        }
        if mm_rename_exchange(temporary, path) == 0 {
            // `temporary` now names the file that was at `path` a moment ago.
            guard holds(temporary, expected) else {
                if mm_rename_exchange(temporary, path) != 0 {
                    // Cannot swap back: keep the editor's version under its name at least.
                    let code = errno
                    throw Failure(path: path, operation: "swap back (the edit is kept in \(temporary))", code: code)
                }
                unlink(temporary)
                syncDirectory(directory)
                return false
            }
            unlink(temporary)
            syncDirectory(directory)
            return true
        }
        guard errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP else {
            let code = errno
            unlink(temporary)
            throw Failure(path: path, operation: "exchange with", code: code)
        }
        try publish(temporary, to: path)
        return true
    }

    private static func holds(_ path: String, _ expected: [UInt8]) -> Bool {
        guard let data = FileBytes.read(path) else { return false }
        return data.elementsEqual(expected)
    }

    /// Makes a file's written bytes durable (before it is published under its final name).
    public static func flush(_ descriptor: Int32, path: String) throws(Failure) {
        if fsync(descriptor) != 0 { throw Failure(path: path, operation: "fsync", code: errno) }
    }

    /// Renames a finished, fsynced temporary file over `path` and makes the rename durable.
    public static func publish(_ temporary: String, to path: String) throws(Failure) {
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw Failure(path: path, operation: "rename to", code: code)
        }
        syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// fsync of a directory, so a rename in it survives a crash.
    public static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Creates a directory and its parents (mode 0755).
    /// `mkdir -p`, with the real errno in the error (Foundation's error loses it on Linux).
    public static func makeDirectories(_ path: String) throws(Failure) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw Failure(path: path, operation: "create directory", code: errno)
        }
    }
}
