import GRDB

/// A post as last scanned.
public struct PostRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "posts"
    public var path: String
    public var size: Int
    public var mtime: Double
    public var sha256: String
    public var scannedAt: Double

    public init(path: String, size: Int, mtime: Double, sha256: String, scannedAt: Double) {
        self.path = path
        self.size = size
        self.mtime = mtime
        self.sha256 = sha256
        self.scannedAt = scannedAt
    }

    enum CodingKeys: String, CodingKey {
        case path, size, mtime, sha256
        case scannedAt = "scanned_at"
    }
}
