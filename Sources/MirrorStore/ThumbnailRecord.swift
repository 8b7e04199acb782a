import GRDB

/// A thumbnail of an asset at one width, in one format.
public struct ThumbnailRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "thumbnails"
    public var asset: String
    public var width: Int
    public var height: Int
    /// Relative to the media directory.
    public var path: String
    public var bytes: Int
    /// `jpeg`, `png`, `webp` or `avif`.
    public var format: String

    /// `format` nil: the one the path's extension names.
    public init(asset: String, width: Int, height: Int, path: String, bytes: Int, format: String? = nil) {
        self.asset = asset
        self.width = width
        self.height = height
        self.path = path
        self.bytes = bytes
        self.format = format ?? Self.format(ofPath: path)
    }

    public static func format(ofPath path: String) -> String {
        if path.hasSuffix(".png") { return "png" }
        if path.hasSuffix(".webp") { return "webp" }
        if path.hasSuffix(".avif") { return "avif" }
        return "jpeg"
    }
}
