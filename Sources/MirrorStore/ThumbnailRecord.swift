import GRDB

/// A thumbnail of an asset at one width.
public struct ThumbnailRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "thumbnails"
    public var asset: String
    public var width: Int
    public var height: Int
    /// Relative to the media directory.
    public var path: String
    public var bytes: Int

    public init(asset: String, width: Int, height: Int, path: String, bytes: Int) {
        self.asset = asset
        self.width = width
        self.height = height
        self.path = path
        self.bytes = bytes
    }
}
