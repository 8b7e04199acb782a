extension Report {
    public struct Totals: Sendable, Codable, Equatable {
        public var posts = 0
        public var references = 0
        public var local = 0
        /// References by verdict of their declared size.
        public var verdicts: [String: Int] = [:]
        public var assets = 0
        public var assetBytes = 0
        public var thumbnails = 0
        public var failures = 0

        enum CodingKeys: String, CodingKey {
            case posts, references, local, assets, thumbnails, failures, verdicts
            case assetBytes = "asset_bytes"
        }
    }
}
