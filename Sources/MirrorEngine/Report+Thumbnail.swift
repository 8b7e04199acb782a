extension Report {
    public struct Thumbnail: Sendable, Codable, Equatable {
        public var width: Int
        public var height: Int
        public var path: String
        /// `jpeg`, `png` or `webp`.
        public var format: String
    }
}
