extension Report {
    /// An image its origin lost, mirrored from a web archive's capture.
    public struct Rescued: Sendable, Codable, Equatable {
        public var url: String
        /// Always `archive`: the manifest's `fetched_via` for a rescued URL.
        public var fetchedVia: String
        /// The capture whose raw bytes were stored.
        public var archiveURL: String
        /// When the archive captured it (seconds since the epoch), when it said.
        @NullWhenAbsent public var capturedAt: Double?
        @NullWhenAbsent public var sha256: String?
        /// The posts that reference it.
        public var posts: [String]

        enum CodingKeys: String, CodingKey {
            case url, sha256, posts
            case fetchedVia = "fetched_via"
            case archiveURL = "archive_url"
            case capturedAt = "captured_at"
        }
    }
}
