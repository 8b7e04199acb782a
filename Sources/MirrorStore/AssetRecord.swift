import GRDB

/// A stored original, identified by the SHA-256 of its bytes.
public struct AssetRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "assets"
    public var sha256: String
    /// Relative to the media directory.
    public var path: String
    public var format: String
    public var bytes: Int
    /// Stored size.
    public var width: Int
    public var height: Int
    public var orientation: Int
    /// Size after EXIF orientation.
    public var displayedWidth: Int
    public var displayedHeight: Int
    public var frames: Int
    public var createdAt: Double

    public init(
        sha256: String, path: String, format: String, bytes: Int, width: Int, height: Int, orientation: Int,
        displayedWidth: Int, displayedHeight: Int, frames: Int, createdAt: Double
    ) {
        self.sha256 = sha256
        self.path = path
        self.format = format
        self.bytes = bytes
        self.width = width
        self.height = height
        self.orientation = orientation
        self.displayedWidth = displayedWidth
        self.displayedHeight = displayedHeight
        self.frames = frames
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case sha256, path, format, bytes, width, height, orientation, frames
        case displayedWidth = "displayed_width"
        case displayedHeight = "displayed_height"
        case createdAt = "created_at"
    }
}
