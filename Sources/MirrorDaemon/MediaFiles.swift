import Foundation
import MirrorConfig
import MirrorImaging
import MirrorStore

/// The stored files the dashboard shows, served at `/media/<path below site.media>`: only a path
/// the manifest names as an original or a thumbnail, and only while the file really lies inside
/// the media directory. Anything else — unknown names, `..` in any spelling, absolute paths, a
/// symlink leading out — is not found, whatever exists on disk.
struct MediaFiles: Sendable {
    let manifest: Manifest
    let configuration: LiveConfiguration

    static let routePrefix = "/media/"
    /// A stored file is never a document: an SVG opened on its own runs no script (`sandbox`
    /// gives it an origin of its own) and loads nothing.
    static let contentSecurityPolicy = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"

    /// The absolute path to serve for a request's raw path, or nil (404).
    func file(forRequestPath rawPath: String) -> String? {
        guard rawPath.hasPrefix(Self.routePrefix),
            let relative = String(rawPath.dropFirst(Self.routePrefix.count)).removingPercentEncoding,
            isKnown(relative)
        else { return nil }
        let media = configuration.current.site.media
        guard let root = Self.realPath(media), let real = Self.realPath(media + "/" + relative),
            real.hasPrefix(root.hasSuffix("/") ? root : root + "/")
        else { return nil }
        return real
    }

    /// Whether the manifest names `relative` as an original or one of its thumbnails. Stored
    /// names start with the original's SHA-256, which finds the record without a scan.
    private func isKnown(_ relative: String) -> Bool {
        guard !relative.hasPrefix("/"), !relative.split(separator: "/").contains(".."),
            let name = relative.split(separator: "/").last, name.utf8.count >= 64
        else { return false }
        let sha256 = String(name.prefix(64))
        guard sha256.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
            let asset = try? manifest.asset(sha256)
        else { return false }
        if asset.path == relative { return true }
        return ((try? manifest.thumbnails(of: sha256)) ?? []).contains { $0.path == relative }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The `Content-Type` for a stored file, from the extension the store gave it.
    static func contentType(of path: String) -> String {
        ImageFormat.mediaType(ofPath: path)
    }
}
