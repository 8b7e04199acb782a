extension Report {
    public struct Asset: Sendable, Codable, Equatable {
        public var sha256: String
        /// Absolute path of the stored original.
        public var path: String
        public var bytes: Int
        public var type: String
        /// Size as stored in the file.
        public var width: Int
        public var height: Int
        public var orientation: Int
        public var displayedWidth: Int
        public var displayedHeight: Int
        public var thumbnails: [Thumbnail]

        enum CodingKeys: String, CodingKey {
            case sha256, path, type, bytes, width, height, orientation, thumbnails
            case displayedWidth = "displayed_width"
            case displayedHeight = "displayed_height"
        }
    }
}
