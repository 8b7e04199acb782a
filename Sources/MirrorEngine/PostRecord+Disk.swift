import Foundation
import MirrorStore

extension PostRecord {
    /// The record of a post as it is on disk now, holding `bytes`.
    static func describing(relativePath: String, path: String, bytes: [UInt8], pending: Int) throws -> PostRecord {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return PostRecord(
            path: relativePath,
            size: bytes.count,
            mtime: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0,
            sha256: bytes.sha256Hex,
            scannedAt: Date().timeIntervalSince1970,
            pending: pending)
    }
}
