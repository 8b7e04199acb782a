import GRDB

/// A post as last scanned.
public struct PostRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "posts"
    public var path: String
    public var size: Int
    public var mtime: Double
    public var sha256: String
    public var scannedAt: Double
    /// References not yet pointing at a local copy.
    public var pending: Int

    public init(path: String, size: Int, mtime: Double, sha256: String, scannedAt: Double, pending: Int = 0) {
        self.path = path
        self.size = size
        self.mtime = mtime
        self.sha256 = sha256
        self.scannedAt = scannedAt
        self.pending = pending
    }

    enum CodingKeys: String, CodingKey {
        case path, size, mtime, sha256, pending
        case scannedAt = "scanned_at"
    }

    /// Read straight from the row: every sync reads all the posts' records, and the Codable
    /// decoder cost more than the query.
    public init(row: Row) throws {
        path = try row.decode(String.self, forColumn: "path")
        size = try row.decode(Int.self, forColumn: "size")
        mtime = try row.decode(Double.self, forColumn: "mtime")
        sha256 = try row.decode(String.self, forColumn: "sha256")
        scannedAt = try row.decode(Double.self, forColumn: "scanned_at")
        pending = try row.decode(Int.self, forColumn: "pending")
    }
}
