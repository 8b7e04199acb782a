import Foundation

/// Originals stored by the SHA-256 of their bytes under the media directory, fanned out by the
/// first two hex digits; thumbnails beside them named by hash and width. No name ever comes
/// from a URL.
public struct ContentStore: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// `ab/abcdef….jpg`
    public static func originalPath(sha256: String, fileExtension: String) -> String {
        "\(sha256.prefix(2))/\(sha256).\(fileExtension)"
    }

    /// `ab/abcdef…-320w.jpg`
    public static func thumbnailPath(sha256: String, width: Int, fileExtension: String) -> String {
        "\(sha256.prefix(2))/\(sha256)-\(width)w.\(fileExtension)"
    }

    public func absolute(_ relativePath: String) -> String {
        (root as NSString).appendingPathComponent(relativePath)
    }

    public func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: absolute(relativePath))
    }

    /// Publishes a finished, fsynced temporary file (created under `root`) as `relativePath`.
    /// When the file already exists it holds the same bytes (same hash): the temporary is dropped.
    public func publish(temporary: String, as relativePath: String) throws(AtomicFile.Failure) {
        let target = absolute(relativePath)
        try AtomicFile.makeDirectories((target as NSString).deletingLastPathComponent)
        if FileManager.default.fileExists(atPath: target) {
            unlink(temporary)
            return
        }
        try AtomicFile.publish(temporary, to: target)
    }

    /// Writes bytes atomically as `relativePath`.
    public func write(_ bytes: [UInt8], as relativePath: String) throws(AtomicFile.Failure) {
        let target = absolute(relativePath)
        try AtomicFile.makeDirectories((target as NSString).deletingLastPathComponent)
        try AtomicFile.write(bytes, to: target)
    }

    /// Removes temporary files a killed run left behind in the media directory's top level.
    @discardableResult
    /// Removes temporary files left under `root` and its fan-out directories by a process that
    /// died mid-write. Call only while holding the writer lock.
    public func removeStaleTemporaries() -> Int {
        AtomicFile.removeTemporaries(under: root, depth: 1)
    }
}
